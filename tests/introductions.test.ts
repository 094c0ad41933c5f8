import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let owner: TestUser;
let ownerIntermediary: TestUser;
let seeker: TestUser;
let seekerIntermediary: TestUser;
let stranger: TestUser;
let editor: TestUser;
let admin: TestUser;

type Caller = TestUser | null;
const call = (method: 'GET' | 'POST', url: string, user: Caller, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, ...(user ? { headers: user.auth } : {}), ...(payload ? { payload } : {}) });
const today = () => ctx.clock.now().toISOString().slice(0, 10);

/** An accepted EOI of the seeker on a new listing of the owner; returns the introduction. */
async function startIntroduction(sender: TestUser = seeker, extra: Record<string, unknown> = {}) {
  const listing = await publishListing(ctx, owner, editor, offerBody());
  const sent = await call('POST', '/interests', sender, { listingId: listing.id, message: 'Interested in a licence.', ...extra });
  expect(sent.statusCode, sent.body).toBe(201);
  const accepted = await call('POST', `/interests/${sent.json().id}/accept`, owner);
  expect(accepted.statusCode).toBe(200);
  const introduction = await call('GET', `/introductions/${accepted.json().introductionId}`, owner);
  return { ...introduction.json(), listingId: listing.id } as { id: string; listingId: string; interestId: string; status: string };
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { name: 'Owner Person' });
  seeker = await createUser(ctx, { name: 'Seeker Person', country: 'VN' });
  stranger = await createUser(ctx);
  ownerIntermediary = await createUser(ctx, { role: 'intermediary' });
  seekerIntermediary = await createUser(ctx, { role: 'intermediary' });
  for (const [intermediary, organizationId] of [
    [ownerIntermediary, owner.organizationId],
    [seekerIntermediary, seeker.organizationId],
  ] as const) {
    expect((await call('POST', `/admin/users/${intermediary.id}/clients`, admin, { organizationId })).statusCode).toBe(201);
  }
});
afterAll(() => ctx.close());

describe('introduction outcomes', () => {
  it('starts in discussion, with both sides, their contacts and the revealed listing', async () => {
    const introduction = await startIntroduction();
    expect(introduction).toMatchObject({
      status: 'in_discussion',
      ownerOrganization: { id: owner.organizationId },
      senderOrganization: { id: seeker.organizationId },
      listing: { id: introduction.listingId, organization: { id: owner.organizationId } },
      agreementType: null,
      agreementDate: null,
      finishedAt: null,
      viewerSides: ['owner'],
      contacts: { owner: { contactEmail: owner.email }, sender: { contactEmail: seeker.email } },
    });
  });

  it('goes in discussion → agreement signed → closed, moved by either side, each step in the history', async () => {
    const introduction = await startIntroduction();
    const signed = await call('POST', `/introductions/${introduction.id}/agreement`, seeker, { type: 'licence', date: today(), note: 'Licence for Viet Nam' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.json()).toMatchObject({ status: 'agreement_signed', agreementType: 'licence', agreementDate: today(), finishedAt: null, viewerSides: ['sender'] });
    ctx.clock.advanceDays(200);
    const closed = await call('POST', `/introductions/${introduction.id}/close`, ownerIntermediary, { note: 'Licence running' });
    expect(closed.json()).toMatchObject({ status: 'closed', agreementType: 'licence', finishedAt: ctx.clock.now().toISOString() });

    const history = await call('GET', `/introductions/${introduction.id}/history`, seekerIntermediary);
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toMatchObject([
      { action: 'create', actorId: owner.id, fromStatus: null, toStatus: 'in_discussion', data: { interestId: introduction.interestId } },
      { action: 'agreement', actorId: seeker.id, fromStatus: 'in_discussion', toStatus: 'agreement_signed', note: 'Licence for Viet Nam', data: { agreementType: 'licence', agreementDate: expect.any(String) } },
      { action: 'close', actorId: ownerIntermediary.id, fromStatus: 'agreement_signed', toStatus: 'closed', note: 'Licence running', data: null },
    ]);
  });

  it('ends without agreement from discussion only', async () => {
    const introduction = await startIntroduction();
    const ended = await call('POST', `/introductions/${introduction.id}/end`, owner, { note: 'Price too high' });
    expect(ended.json()).toMatchObject({ status: 'ended_without_agreement', agreementType: null, finishedAt: ctx.clock.now().toISOString() });
    const endless = await call('POST', `/introductions/${introduction.id}/end`, owner);
    expect(endless.statusCode, endless.body).toBe(409);

    const signed = await startIntroduction();
    await call('POST', `/introductions/${signed.id}/agreement`, owner, { type: 'joint_venture', date: today() });
    const endSigned = await call('POST', `/introductions/${signed.id}/end`, seeker, {});
    expect(endSigned.statusCode).toBe(409);
    expect(endSigned.json().code).toBe('invalid_transition');
  });

  it('answers 409 to illegal transitions and changes nothing', async () => {
    const introduction = await startIntroduction();
    const closeEarly = await call('POST', `/introductions/${introduction.id}/close`, owner, {});
    expect(closeEarly.statusCode).toBe(409);
    expect(closeEarly.json().code).toBe('invalid_transition');
    await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'investment', date: today() });
    const again = await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'licence', date: today() });
    expect(again.statusCode).toBe(409);
    await call('POST', `/introductions/${introduction.id}/close`, owner, {});
    for (const [action, body] of [
      ['agreement', { type: 'licence', date: today() }],
      ['close', {}],
      ['end', {}],
    ] as const) {
      expect((await call('POST', `/introductions/${introduction.id}/${action}`, seeker, body)).statusCode, action).toBe(409);
    }
    const after = await call('GET', `/introductions/${introduction.id}`, owner);
    expect(after.json()).toMatchObject({ status: 'closed', agreementType: 'investment' });
    const history = await call('GET', `/introductions/${introduction.id}/history`, owner);
    expect(history.json().items.map((entry: { action: string }) => entry.action)).toEqual(['create', 'agreement', 'close']);
  });

  it('validates the agreement: a known type and a date neither in the future nor before the introduction', async () => {
    const introduction = await startIntroduction();
    const badType = await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'handshake', date: today() });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().issues[0].path).toBe('body.type');
    const badDate = await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'licence', date: '2026-13-01' });
    expect(badDate.json().issues[0].path).toBe('body.date');
    const future = await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'licence', date: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().issues).toEqual([{ path: 'date', message: 'must not be in the future' }]);
    const before = await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'licence', date: '2020-01-01' });
    expect(before.json().issues).toEqual([{ path: 'date', message: 'must not be before the introduction started' }]);
    expect((await call('GET', `/introductions/${introduction.id}`, owner)).json().status).toBe('in_discussion');
  });
});

describe('permissions', () => {
  it('let both sides, their intermediaries and staff see; only the sides move it', async () => {
    const introduction = await startIntroduction();
    const viewers: [string, Caller, number][] = [
      ['sender', seeker, 200],
      ['owner', owner, 200],
      ['sender intermediary', seekerIntermediary, 200],
      ['owner intermediary', ownerIntermediary, 200],
      ['editor', editor, 200],
      ['admin', admin, 200],
      ['stranger', stranger, 404],
      ['anonymous', null, 401],
    ];
    for (const [who, user, status] of viewers) {
      expect((await call('GET', `/introductions/${introduction.id}`, user)).statusCode, who).toBe(status);
      expect((await call('GET', `/introductions/${introduction.id}/history`, user)).statusCode, who).toBe(status);
    }
    const movers: [string, Caller, number][] = [
      ['editor', editor, 403],
      ['admin', admin, 403],
      ['stranger', stranger, 404],
      ['anonymous', null, 401],
    ];
    for (const [who, user, status] of movers) {
      expect((await call('POST', `/introductions/${introduction.id}/end`, user, {})).statusCode, who).toBe(status);
      expect((await call('POST', `/introductions/${introduction.id}/agreement`, user, { type: 'licence', date: today() })).statusCode, who).toBe(status);
    }
    expect((await call('POST', `/introductions/${introduction.id}/end`, seekerIntermediary, {})).statusCode).toBe(200);
    expect((await call('GET', '/introductions/00000000-0000-4000-8000-000000000000', admin)).statusCode).toBe(404);
  });

  it('list what each caller may see, with filters and pagination', async () => {
    const other = await createUser(ctx, { country: 'ID' });
    const mine = await startIntroduction(other);
    await call('POST', `/introductions/${mine.id}/agreement`, other, { type: 'manufacturing_supply', date: today() });
    const ids = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((item) => item.id);

    expect(ids(await call('GET', '/introductions', other))).toEqual([mine.id]);
    expect((await call('GET', `/introductions?organizationId=${other.organizationId}`, stranger)).json().total).toBe(0);
    const byType = await call('GET', '/introductions?agreementType=manufacturing_supply', editor);
    expect(ids(byType)).toEqual([mine.id]);
    const byStatus = await call('GET', `/introductions?status=agreement_signed,closed&organizationId=${other.organizationId}`, admin);
    expect(ids(byStatus)).toEqual([mine.id]);
    expect(ids(await call('GET', `/introductions?listingId=${mine.listingId}`, ownerIntermediary))).toEqual([mine.id]);
    expect((await call('GET', `/introductions?listingId=${mine.listingId}`, seekerIntermediary)).json().total).toBe(0);

    const ownerView = await call('GET', '/introductions?limit=2&offset=1', owner);
    const everything = await call('GET', '/introductions?limit=100', owner);
    expect(ownerView.json()).toMatchObject({ limit: 2, offset: 1, total: everything.json().total });
    expect(ids(ownerView)).toEqual(ids(everything).slice(1, 3));
    expect(everything.json().items[0]).not.toHaveProperty('contacts');
    expect((await call('GET', '/introductions?status=done', owner)).statusCode).toBe(400);
    expect((await call('GET', '/introductions', null)).statusCode).toBe(401);
  });
});
