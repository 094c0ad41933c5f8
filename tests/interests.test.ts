import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

const DAILY_LIMIT = 4;

let smtp: TestSmtpServer;
let ctx: TestContext;
let owner: TestUser;
let ownerColleague: TestUser;
let ownerIntermediary: TestUser;
let seeker: TestUser;
let seekerColleague: TestUser;
let seekerIntermediary: TestUser;
let clientOrganizationId: string;
let stranger: TestUser;
let editor: TestUser;
let admin: TestUser;

type Caller = TestUser | null;
const call = (method: 'GET' | 'POST', url: string, user: Caller, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, ...(user ? { headers: user.auth } : {}), ...(payload ? { payload } : {}) });
const drain = () => ctx.app.services.jobs.drain();

async function addClient(intermediary: TestUser, organizationId: string) {
  const response = await call('POST', `/admin/users/${intermediary.id}/clients`, admin, { organizationId });
  expect(response.statusCode).toBe(201);
}

/** A listing of the owner organisation, posted by its intermediary (so the intermediary is mailed too). */
async function ownerListing(overrides: Record<string, unknown> = {}) {
  return publishListing(ctx, ownerIntermediary, editor, offerBody({ organizationId: owner.organizationId, ...overrides }));
}

async function sendInterest(user: TestUser, listingId: string, extra: Record<string, unknown> = {}) {
  const response = await call('POST', '/interests', user, { listingId, message: 'We would like to license this for 30 villages in Sri Lanka.', ...extra });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url, EOI_DAILY_LIMIT: String(DAILY_LIMIT) });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { name: 'Somchai Owner', country: 'TH' });
  ownerColleague = await createUser(ctx, { organizationId: owner.organizationId, name: 'Malee Colleague' });
  ownerIntermediary = await createUser(ctx, { role: 'intermediary', name: 'Tara TTO' });
  await addClient(ownerIntermediary, owner.organizationId!);
  seeker = await createUser(ctx, { name: 'Nimal Seeker', country: 'LK' });
  seekerColleague = await createUser(ctx, { organizationId: seeker.organizationId, name: 'Kumari Colleague' });
  seekerIntermediary = await createUser(ctx, { role: 'intermediary', name: 'Ivan Broker' });
  const client = await call('POST', '/organizations', seekerIntermediary, { name: 'Client Dryers Ltd', type: 'sme', country: 'BD', contactEmail: 'office@dryers.example' });
  expect(client.statusCode).toBe(201);
  clientOrganizationId = client.json().id;
  await addClient(seekerIntermediary, seeker.organizationId!);
  stranger = await createUser(ctx, { name: 'Stranger Danger' });
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});
beforeEach(async () => {
  // A new day for every test, so the daily limit counts only the test's own EOIs.
  ctx.clock.advanceDays(1);
  await drain();
  smtp.clear();
});

describe('sending an expression of interest', () => {
  it('stores it pending and mails the owner organisation and its intermediary, not the sender', async () => {
    const listing = await ownerListing();
    const sent = await sendInterest(seeker, listing.id, { message: 'Can it run on <220 V> & diesel backup?' });
    expect(sent).toMatchObject({
      status: 'pending',
      message: 'Can it run on <220 V> & diesel backup?',
      listing: { id: listing.id, reference: listing.reference, organization: { id: owner.organizationId } },
      senderOrganization: { id: seeker.organizationId },
      sender: { id: seeker.id, name: 'Nimal Seeker' },
      sentByIntermediary: false,
      viewerSides: ['sender'],
      introductionId: null,
      contacts: null,
    });
    expect(sent.listing).not.toHaveProperty('contact');

    await drain();
    for (const [user, name] of [
      [owner, 'Somchai Owner'],
      [ownerColleague, 'Malee Colleague'],
      [ownerIntermediary, 'Tara TTO'],
    ] as const) {
      const [mail] = smtp.to(user.email);
      expect(mail, user.email).toBeDefined();
      expect(mail!.subject).toBe(`Expression of interest in ${listing.reference}: ${listing.title}`);
      expect(mail!.text).toContain(`Dear ${name},`);
      expect(mail!.text).toContain('> Can it run on <220 V> & diesel backup?');
      expect(mail!.html).toContain('Can it run on &lt;220 V&gt; &amp; diesel backup?');
      const link = linkIn(mail!, 'http://tech.test/interests/');
      expect(link.pathname).toBe(`/interests/${sent.id}`);
      expect((await call('GET', link.pathname, user)).json()).toMatchObject({ id: sent.id, viewerSides: ['owner'] });
    }
    expect(smtp.to(seeker.email)).toHaveLength(0);
    expect(smtp.messages).toHaveLength(3);
  });

  it('validates the body and names each bad field', async () => {
    const listing = await ownerListing();
    const empty = await call('POST', '/interests', seeker, { listingId: listing.id, message: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.message']);
    const long = await call('POST', '/interests', seeker, { listingId: listing.id, message: 'x'.repeat(4001) });
    expect(long.statusCode).toBe(400);
    const badId = await call('POST', '/interests', seeker, { listingId: 'nope', message: 'hello' });
    expect(badId.json().issues[0].path).toBe('body.listingId');
    expect((await call('POST', '/interests', seeker, { listingId: listing.id, message: 'x'.repeat(4000) })).statusCode).toBe(201);
  });

  it('refuses anonymous, unverified and organisation-less callers', async () => {
    const listing = await ownerListing();
    expect((await call('POST', '/interests', null, { listingId: listing.id, message: 'hi' })).statusCode).toBe(401);
    const unverified = await createUser(ctx, { verified: false });
    const notVerified = await call('POST', '/interests', unverified, { listingId: listing.id, message: 'hi' });
    expect(notVerified.statusCode).toBe(403);
    expect(notVerified.json().code).toBe('email_not_verified');
    const loner = await createUser(ctx, { withOrganization: false });
    const noOrganization = await call('POST', '/interests', loner, { listingId: listing.id, message: 'hi' });
    expect(noOrganization.statusCode).toBe(400);
    expect(noOrganization.json().issues[0].path).toBe('organizationId');
  });

  it('refuses listings that are not published, and the own organisation’s listings', async () => {
    const draft = await call('POST', '/listings', owner, offerBody());
    const onDraft = await call('POST', '/interests', seeker, { listingId: draft.json().id, message: 'hi' });
    expect(onDraft.statusCode).toBe(404);
    const missing = await call('POST', '/interests', seeker, { listingId: '00000000-0000-4000-8000-000000000000', message: 'hi' });
    expect(missing.statusCode).toBe(404);
    const listing = await ownerListing();
    const own = await call('POST', '/interests', ownerColleague, { listingId: listing.id, message: 'hi' });
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('own_listing');
    const viaIntermediary = await call('POST', '/interests', ownerIntermediary, { listingId: listing.id, message: 'hi', organizationId: owner.organizationId });
    expect(viaIntermediary.json().code).toBe('own_listing');
  });

  it('lets an intermediary write for a client it represents, and no other organisation', async () => {
    const listing = await ownerListing();
    const forStranger = await call('POST', '/interests', seekerIntermediary, { listingId: listing.id, message: 'hi', organizationId: stranger.organizationId });
    expect(forStranger.statusCode).toBe(403);
    expect(forStranger.json().code).toBe('not_acting_for_organization');
    const sent = await sendInterest(seekerIntermediary, listing.id, { organizationId: clientOrganizationId });
    expect(sent).toMatchObject({ senderOrganization: { id: clientOrganizationId, name: 'Client Dryers Ltd' }, sentByIntermediary: true, viewerSides: ['sender'] });
    await drain();
    expect(smtp.to(owner.email)[0]!.text).toContain('Ivan Broker writes on behalf of Client Dryers Ltd (BD)');
  });

  it('keeps one open expression of interest per sender organisation and listing', async () => {
    const listing = await ownerListing();
    const first = await sendInterest(seeker, listing.id);
    for (const user of [seeker, seekerColleague]) {
      const again = await call('POST', '/interests', user, { listingId: listing.id, message: 'again' });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toBe('interest_exists');
    }
    // Another organisation may still write.
    await sendInterest(stranger, listing.id);
    // Once declined, the organisation may try again.
    await call('POST', `/interests/${first.id}/decline`, owner, { reason: 'too_early' });
    await sendInterest(seekerColleague, listing.id);
  });

  it(`allows ${DAILY_LIMIT} per user in 24 hours, then answers 429`, async () => {
    const busy = await createUser(ctx);
    const listings = [];
    for (let i = 0; i <= DAILY_LIMIT; i++) listings.push(await ownerListing({ title: `Dryer ${i}` }));
    for (let i = 0; i < DAILY_LIMIT; i++) await sendInterest(busy, listings[i].id);
    const tooMany = await call('POST', '/interests', busy, { listingId: listings[DAILY_LIMIT].id, message: 'one more' });
    expect(tooMany.statusCode).toBe(429);
    expect(tooMany.json()).toMatchObject({ statusCode: 429, code: 'interest_daily_limit' });
    expect(tooMany.json().message).toMatch(new RegExp(`at most ${DAILY_LIMIT}`));
    ctx.clock.advanceDays(1);
    await sendInterest(busy, listings[DAILY_LIMIT].id);
  });
});

describe('under concurrent requests', () => {
  it('keeps one open EOI per organisation and the daily limit per user', async () => {
    const listing = await ownerListing();
    const race = await Promise.all([seeker, seekerColleague].map((user) => call('POST', '/interests', user, { listingId: listing.id, message: 'race' })));
    expect(race.map((response) => response.statusCode).sort()).toEqual([201, 409]);

    const racer = await createUser(ctx);
    const listings = [];
    for (let i = 0; i < DAILY_LIMIT + 2; i++) listings.push(await ownerListing({ title: `Race ${i}` }));
    const burst = await Promise.all(listings.map((entry) => call('POST', '/interests', racer, { listingId: entry.id, message: 'burst' })));
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(DAILY_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);
  });
});

describe('answering', () => {
  it('accepts: both sides are mailed the other’s contacts and an introduction starts', async () => {
    const listing = await ownerListing();
    const sent = await sendInterest(seeker, listing.id);
    await drain();
    smtp.clear();
    const accepted = await call('POST', `/interests/${sent.id}/accept`, ownerColleague);
    expect(accepted.statusCode).toBe(200);
    const body = accepted.json();
    expect(body).toMatchObject({ status: 'accepted', viewerSides: ['owner'] });
    expect(body.introductionId).toEqual(expect.any(String));
    expect(body.contacts.owner).toMatchObject({ contactName: 'Malee Colleague', contactEmail: ownerColleague.email, phone: '+66 2 000 0000' });
    expect(body.contacts.sender).toMatchObject({ contactName: 'Nimal Seeker', contactEmail: seeker.email, country: 'LK' });

    await drain();
    const toSender = smtp.to(seeker.email);
    expect(toSender).toHaveLength(1);
    expect(toSender[0]!.subject).toBe(`Your expression of interest in ${listing.reference} was accepted`);
    expect(toSender[0]!.text).toContain(`E-mail: ${ownerColleague.email}`);
    expect(toSender[0]!.text).toContain(`Contact person: Malee Colleague`);
    expect(linkIn(toSender[0]!, 'http://tech.test/introductions/').pathname).toBe(`/introductions/${body.introductionId}`);
    expect(smtp.to(seekerColleague.email)).toHaveLength(1);
    for (const user of [owner, ownerColleague, ownerIntermediary]) {
      const [mail] = smtp.to(user.email);
      expect(mail!.text).toContain(`E-mail: ${seeker.email}`);
      expect(mail!.text).toContain('Contact person: Nimal Seeker');
    }
    const introduction = await call('GET', `/introductions/${body.introductionId}`, seeker);
    expect(introduction.json()).toMatchObject({ status: 'in_discussion', interestId: sent.id });

    const twice = await call('POST', `/interests/${sent.id}/accept`, owner);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('invalid_transition');
    expect((await call('POST', `/interests/${sent.id}/decline`, owner, { reason: 'other' })).statusCode).toBe(409);
    expect((await call('POST', `/interests/${sent.id}/withdraw`, seeker)).statusCode).toBe(409);
  });

  it('declines with a coded reason and a note the sender sees, by mail and in the API', async () => {
    const listing = await ownerListing();
    const sent = await sendInterest(seeker, listing.id);
    const badReason = await call('POST', `/interests/${sent.id}/decline`, owner, { reason: 'bored' });
    expect(badReason.statusCode).toBe(400);
    expect(badReason.json().issues[0].path).toBe('body.reason');
    await drain();
    smtp.clear();
    const declined = await call('POST', `/interests/${sent.id}/decline`, owner, { reason: 'no_capacity', note: 'Our team is busy until June.' });
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: 'no_capacity', declineNote: 'Our team is busy until June.' });
    const seen = await call('GET', `/interests/${sent.id}`, seeker);
    expect(seen.json()).toMatchObject({ status: 'declined', declineReason: 'no_capacity', declineNote: 'Our team is busy until June.', contacts: null });
    await drain();
    const [mail] = smtp.to(seeker.email);
    expect(mail!.subject).toBe(`Your expression of interest in ${listing.reference} was declined`);
    expect(mail!.text).toContain('Reason: No capacity at the moment');
    expect(mail!.text).toContain('> Our team is busy until June.');
    expect(smtp.to(owner.email)).toHaveLength(0);
  });

  it('lets the sender withdraw a pending one, and tells the owner', async () => {
    const listing = await ownerListing();
    const sent = await sendInterest(seeker, listing.id);
    await drain();
    smtp.clear();
    expect((await call('POST', `/interests/${sent.id}/withdraw`, owner)).statusCode).toBe(403);
    const withdrawn = await call('POST', `/interests/${sent.id}/withdraw`, seekerColleague);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn' });
    expect(withdrawn.json().withdrawnAt).toBe(ctx.clock.now().toISOString());
    expect((await call('POST', `/interests/${sent.id}/withdraw`, seeker)).statusCode).toBe(409);
    expect((await call('POST', `/interests/${sent.id}/accept`, owner)).statusCode).toBe(409);
    await drain();
    expect(smtp.to(owner.email)[0]!.subject).toBe(`Expression of interest in ${listing.reference} withdrawn`);
    expect(smtp.to(seeker.email)).toHaveLength(0);
  });
});

describe('anonymous listings', () => {
  it('hide the owner from the sender until acceptance, in the API and in mails', async () => {
    const listing = await ownerListing({ anonymous: true, title: 'Anonymous cold room' });
    const ownerOrganization = (await call('GET', `/organizations/${owner.organizationId}`, owner)).json();
    const sent = await sendInterest(seeker, listing.id);
    expect(sent.listing.organization).toBeNull();
    expect(sent.listing.iprNotes).toBeNull();
    const listed = await call('GET', `/interests?box=sent&listingId=${listing.id}`, seeker);
    expect(listed.json().items[0].listing.organization).toBeNull();
    expect(JSON.stringify(listed.json())).not.toContain(ownerOrganization.name);
    expect(JSON.stringify((await call('GET', `/interests/${sent.id}`, seeker)).json())).not.toContain(owner.organizationId);
    // The owner side and staff see who owns it.
    expect((await call('GET', `/interests/${sent.id}`, owner)).json().listing.organization.id).toBe(owner.organizationId);
    expect((await call('GET', `/interests/${sent.id}`, editor)).json().listing.organization.id).toBe(owner.organizationId);

    await call('POST', `/interests/${sent.id}/accept`, owner);
    const revealed = (await call('GET', `/interests/${sent.id}`, seeker)).json();
    expect(revealed.listing.organization).toMatchObject({ id: owner.organizationId, name: ownerOrganization.name });
    expect(revealed.contacts.owner).toMatchObject({ organizationName: ownerOrganization.name, contactEmail: owner.email });
    await drain();
    expect(smtp.to(seeker.email).at(-1)!.text).toContain(`Organisation: ${ownerOrganization.name}`);
  });

  it('never name the owner to a declined sender', async () => {
    const listing = await ownerListing({ anonymous: true });
    const ownerOrganization = (await call('GET', `/organizations/${owner.organizationId}`, owner)).json();
    const sent = await sendInterest(seeker, listing.id);
    const declined = await call('POST', `/interests/${sent.id}/decline`, owner, { reason: 'not_relevant' });
    expect(declined.statusCode).toBe(200);
    const seen = (await call('GET', `/interests/${sent.id}`, seeker)).json();
    expect(seen.listing.organization).toBeNull();
    expect(JSON.stringify(seen)).not.toContain(ownerOrganization.name);
    await drain();
    const mails = smtp.to(seeker.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).not.toContain(ownerOrganization.name);
    expect(mails[0]!.raw).not.toContain(owner.email);
  });
});

describe('permissions', () => {
  it('follow the matrix for viewing and answering', async () => {
    const listing = await ownerListing();
    const sent = await sendInterest(seeker, listing.id);
    const viewers: [string, Caller, number, string[]?][] = [
      ['sender', seeker, 200, ['sender']],
      ['sender colleague', seekerColleague, 200, ['sender']],
      ['sender intermediary', seekerIntermediary, 200, ['sender']],
      ['owner', owner, 200, ['owner']],
      ['owner intermediary', ownerIntermediary, 200, ['owner']],
      ['editor', editor, 200, []],
      ['admin', admin, 200, []],
      ['stranger', stranger, 404],
      ['anonymous', null, 401],
    ];
    for (const [who, user, status, sides] of viewers) {
      const response = await call('GET', `/interests/${sent.id}`, user);
      expect(response.statusCode, who).toBe(status);
      if (sides) expect(response.json().viewerSides, who).toEqual(sides);
    }
    const answerers: [string, Caller, number][] = [
      ['sender', seeker, 403],
      ['sender intermediary', seekerIntermediary, 403],
      ['editor', editor, 403],
      ['admin', admin, 403],
      ['stranger', stranger, 404],
      ['anonymous', null, 401],
    ];
    for (const [who, user, status] of answerers) {
      expect((await call('POST', `/interests/${sent.id}/accept`, user)).statusCode, who).toBe(status);
      expect((await call('POST', `/interests/${sent.id}/decline`, user, { reason: 'other' })).statusCode, who).toBe(status);
    }
    const withdrawers: [string, Caller, number][] = [
      ['owner', owner, 403],
      ['owner intermediary', ownerIntermediary, 403],
      ['editor', editor, 403],
      ['admin', admin, 403],
      ['stranger', stranger, 404],
      ['anonymous', null, 401],
    ];
    for (const [who, user, status] of withdrawers) {
      expect((await call('POST', `/interests/${sent.id}/withdraw`, user)).statusCode, who).toBe(status);
    }
    expect((await call('POST', `/interests/${sent.id}/accept`, ownerIntermediary)).statusCode).toBe(200);
    expect((await call('GET', '/interests/not-a-uuid', seeker)).statusCode).toBe(400);
  });

  it('lists what each caller may see, with filters and pagination', async () => {
    const listing = await publishListing(ctx, owner, editor, requestBody());
    const fromSeeker = await sendInterest(seeker, listing.id);
    const fromClient = await sendInterest(seekerIntermediary, listing.id, { organizationId: clientOrganizationId });
    const ids = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((item) => item.id);

    const received = await call('GET', `/interests?box=received&listingId=${listing.id}`, ownerColleague);
    expect(ids(received).sort()).toEqual([fromSeeker.id, fromClient.id].sort());
    expect(received.json().items[0].viewerSides).toEqual(['owner']);
    expect((await call('GET', `/interests?box=sent&listingId=${listing.id}`, ownerColleague)).json().total).toBe(0);
    expect(ids(await call('GET', `/interests?box=sent&listingId=${listing.id}`, seekerColleague))).toEqual([fromSeeker.id]);
    // The intermediary acts for both the seeker organisation and its other client.
    expect(ids(await call('GET', `/interests?box=sent&listingId=${listing.id}`, seekerIntermediary)).sort()).toEqual([fromSeeker.id, fromClient.id].sort());
    expect((await call('GET', `/interests?listingId=${listing.id}`, stranger)).json().total).toBe(0);
    expect((await call('GET', `/interests?listingId=${listing.id}`, editor)).json().total).toBe(2);

    await call('POST', `/interests/${fromClient.id}/decline`, owner, { reason: 'commercial_terms' });
    const declined = await call('GET', `/interests?listingId=${listing.id}&status=declined`, admin);
    expect(ids(declined)).toEqual([fromClient.id]);
    const paged = await call('GET', `/interests?listingId=${listing.id}&limit=1&offset=1`, owner);
    expect(paged.json()).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(paged.json().items).toHaveLength(1);
    expect((await call('GET', '/interests?limit=101', owner)).statusCode).toBe(400);
    expect((await call('GET', '/interests?status=lost', owner)).statusCode).toBe(400);
    expect((await call('GET', '/interests', null)).statusCode).toBe(401);
  });
});

describe('API description', () => {
  it('serves the decline reasons and agreement types as vocabularies and documents the routes', async () => {
    const vocabularies = (await call('GET', '/vocabularies', null)).json();
    expect(vocabularies.declineReasons.map((entry: { code: string }) => entry.code)).toEqual([
      'not_relevant',
      'too_early',
      'no_capacity',
      'already_solved',
      'commercial_terms',
      'other',
    ]);
    expect(vocabularies.agreementTypes.map((entry: { code: string }) => entry.code)).toContain('commercial_agreement_with_technical_assistance');
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/interests',
        '/api/v1/interests/{id}/decline',
        '/api/v1/introductions',
        '/api/v1/introductions/{id}/agreement',
        '/api/v1/introductions/{id}/history',
        '/api/v1/admin/mail',
        '/api/v1/admin/mail/{id}/retry',
      ]),
    );
    const box = spec.paths['/api/v1/interests'].get.parameters.find((p: { name: string }) => p.name === 'box');
    expect(box.schema.enum).toEqual(['sent', 'received']);
  });
});
