import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimJobs } from '../src/modules/jobs/jobs.repository.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.js';

let smtp: TestSmtpServer;
let ctx: TestContext;
let editor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});
beforeEach(() => smtp.clear());

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers: user?.auth ?? {} });
const drain = () => ctx.app.services.jobs.drain();

async function saveSearch(user: TestUser, body: object) {
  const response = await api('POST', '/saved-searches', user, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Mail rows of a template to an address, as admins see the outbox. */
async function outbox(template: string, to: string) {
  const response = await api('GET', `/admin/mail?template=${template}&to=${encodeURIComponent(to)}&limit=100`, admin);
  expect(response.statusCode).toBe(200);
  return response.json() as { items: { status: string; subject: string }[]; total: number };
}

/** A header as sent (folded lines joined). */
function header(mail: ReceivedMail, name: string) {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((candidate) => candidate.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

const coldRoom = (title: string, overrides: Record<string, unknown> = {}) => offerBody({ title, ...overrides });
const unrelated = () =>
  offerBody({
    title: 'Blockchain ledger for garment supply chains',
    summary: 'A ledger that records each step of garment production for brand audits.',
    description: 'Suppliers scan batches at each factory; brands see the chain of custody.',
    advantages: 'Cheaper audits.',
    keywords: ['traceability', 'textiles'],
    sectors: ['ict_digital'],
  });

describe('saved searches', () => {
  it('are created, listed, read, changed and deleted by their owner only', async () => {
    const owner = await createUser(ctx);
    const other = await createUser(ctx);
    const created = await saveSearch(owner, { name: 'Cold chain', query: 'cold storage', filters: { sector: ['agriculture_food'], trlMin: 6 }, frequency: 'instant' });
    expect(created).toMatchObject({
      kind: 'query',
      name: 'Cold chain',
      query: 'cold storage',
      filters: { sector: ['agriculture_food'], trlMin: 6 },
      listingId: null,
      frequency: 'instant',
      active: true,
    });
    const list = await api('GET', '/saved-searches', owner);
    expect(list.json()).toMatchObject({ total: 1, limit: 20, offset: 0, items: [{ id: created.id }] });
    expect((await api('GET', '/saved-searches', other)).json().total).toBe(0);
    expect((await api('GET', `/saved-searches/${created.id}`, owner)).json().name).toBe('Cold chain');
    expect((await api('GET', `/saved-searches/${created.id}`, other)).statusCode).toBe(404);
    expect((await api('PATCH', `/saved-searches/${created.id}`, other, { active: false })).statusCode).toBe(404);
    expect((await api('DELETE', `/saved-searches/${created.id}`, other)).statusCode).toBe(404);

    const changed = await api('PATCH', `/saved-searches/${created.id}`, owner, { frequency: 'daily', name: 'Cold chain (daily)' });
    expect(changed.json()).toMatchObject({ frequency: 'daily', name: 'Cold chain (daily)', query: 'cold storage' });
    expect((await api('DELETE', `/saved-searches/${created.id}`, owner)).statusCode).toBe(204);
    expect((await api('GET', `/saved-searches/${created.id}`, owner)).statusCode).toBe(404);
    expect((await api('GET', '/saved-searches')).statusCode).toBe(401);
  });

  it('name each invalid field', async () => {
    const owner = await createUser(ctx);
    const paths = async (body: object, method: 'POST' | 'PATCH' = 'POST', url = '/saved-searches') => {
      const response = await api(method, url, owner, body);
      expect(response.statusCode, response.body).toBe(400);
      return response.json().issues.map((issue: { path: string }) => issue.path).sort();
    };
    expect(await paths({ query: 'x', frequency: 'hourly' })).toEqual(['body.frequency', 'body.name']);
    expect(await paths({ name: 'x', filters: { sector: ['space'], trlMin: 0, colour: 'red' } })).toEqual(
      expect.arrayContaining(['body.filters.sector.0', 'body.filters.trlMin']),
    );
    expect(await paths({ name: 'x', query: 'solar', filters: { trlMin: 7, trlMax: 3 } })).toEqual(['body.filters.trlMax']);
    expect(await paths({ name: 'Everything' })).toEqual(['body.query']);
    expect(await paths({ name: 'x', kind: 'listing' })).toEqual(['body.listingId']);
    const foreign = await publishListing(ctx, await createUser(ctx), editor, requestBody());
    expect(await paths({ name: 'x', kind: 'listing', listingId: foreign.id })).toEqual(['body.listingId']);
    expect(await paths({ name: 'x', kind: 'query', query: 'solar', listingId: foreign.id })).toEqual(['body.listingId']);
    const saved = await saveSearch(owner, { name: 'ok', query: 'solar', active: false });
    expect(await paths({}, 'PATCH', `/saved-searches/${saved.id}`)).toEqual(['body']);
    expect(await paths({ query: '', filters: {} }, 'PATCH', `/saved-searches/${saved.id}`)).toEqual(['body.query']);

    const unverified = await createUser(ctx, { verified: false });
    const refused = await api('POST', '/saved-searches', unverified, { name: 'x', query: 'solar' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('email_not_verified');
  });
});

describe('instant alerts', () => {
  it('mail a new matching listing once, whatever renewals follow', async () => {
    const seeker = await createUser(ctx, { name: 'Dara Seng', country: 'KH' });
    const provider = await createUser(ctx);
    await saveSearch(seeker, { name: 'Solar cooling', query: 'solar cold', filters: { kind: 'offer' }, frequency: 'instant' });

    const offer = await publishListing(ctx, provider, editor, coldRoom('Solar cold room for fish landing sites'));
    await publishListing(ctx, provider, editor, unrelated());
    await publishListing(ctx, provider, editor, requestBody({ title: 'We seek solar cold storage' }));
    await drain();
    const mails = smtp.to(seeker.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('New offer for “Solar cooling”: Solar cold room for fish landing sites');
    expect(mails[0]!.text).toContain('Dear Dara Seng,');
    expect(linkIn(mails[0]!, 'http://tech.test/listings/').pathname).toBe(`/listings/${offer.id}`);

    const renewed = await api('POST', `/listings/${offer.id}/renew`, provider, {});
    expect(renewed.statusCode).toBe(200);
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(1);
    expect((await outbox('alert_instant', seeker.email)).total).toBe(1);
  });

  it('alert on a renewal that newly matches, and never on the own organisation', async () => {
    const provider = await createUser(ctx);
    const offer = await publishListing(ctx, provider, editor, coldRoom('Ice-bank cold room running on solar panels'));
    await drain();
    const seeker = await createUser(ctx);
    const colleague = await createUser(ctx, { organizationId: provider.organizationId });
    await saveSearch(seeker, { name: 'Ice bank', query: 'ice bank', frequency: 'instant' });
    await saveSearch(colleague, { name: 'Ice bank', query: 'ice bank', frequency: 'instant' });
    await api('POST', `/listings/${offer.id}/renew`, provider, {});
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(1);
    expect(smtp.to(colleague.email)).toHaveLength(0);
  });

  it('alert the owner of a listing about new listings that match it', async () => {
    const seeker = await createUser(ctx, { country: 'KH' });
    const request = await publishListing(
      ctx,
      seeker,
      editor,
      requestBody({
        title: 'Solar cold storage for vegetables at a village collection point',
        summary: 'Our cooperative needs cold storage for vegetables without grid power, running on solar energy.',
        keywords: ['cold storage', 'solar', 'vegetables'],
        sectors: ['agriculture_food'],
        partnershipTypes: ['commercial_agreement_with_technical_assistance'],
        targetCountries: [],
      }),
    );
    const alert = await saveSearch(seeker, { name: 'Answers to my request', kind: 'listing', listingId: request.id, frequency: 'instant' });
    expect(alert).toMatchObject({ kind: 'listing', listingId: request.id, query: '', filters: {} });
    await drain();
    const provider = await createUser(ctx, { country: 'TH' });
    const offer = await publishListing(ctx, provider, editor, coldRoom('Solar-powered cold storage room for vegetables', { targetCountries: ['KH'] }));
    await publishListing(ctx, provider, editor, unrelated());
    await drain();
    const mails = smtp.to(seeker.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`New match for ${request.reference}: Solar-powered cold storage room for vegetables`);
    expect(mails[0]!.text).toMatch(/Match score \d+\/100/);
    expect(mails[0]!.text).toContain(`/listings/${offer.id}`);
  });
});

describe('daily digest', () => {
  it('collects the matches of the day into one mail, then waits a day', async () => {
    const seeker = await createUser(ctx);
    const provider = await createUser(ctx);
    await saveSearch(seeker, { name: 'Cold rooms', query: '"cold room"', frequency: 'daily' });
    await publishListing(ctx, provider, editor, coldRoom('Cold room A with solar panels'));
    await publishListing(ctx, provider, editor, coldRoom('Cold room B with solar panels', { anonymous: true }));
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(0);

    const run = await api('POST', '/admin/maintenance/alert-digest', admin);
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ users: 1, matches: 2, dropped: 0 });
    await drain();
    const [digest, ...more] = smtp.to(seeker.email);
    expect(more).toHaveLength(0);
    expect(digest!.subject).toBe('Your daily alert: 2 new matches');
    expect(digest!.text).toContain('Cold room A with solar panels');
    expect(digest!.text).toContain('that stays anonymous for now');
    expect(header(digest!, 'List-Unsubscribe')).toMatch(/^<http:\/\/tech\.test\/api\/v1\/saved-searches\/unsubscribe\?token=/);

    expect((await api('POST', '/admin/maintenance/alert-digest', admin)).json()).toMatchObject({ users: 0, matches: 0 });
    await publishListing(ctx, provider, editor, coldRoom('Cold room C with solar panels'));
    await drain();
    expect((await api('POST', '/admin/maintenance/alert-digest', admin)).json().matches).toBe(0);
    ctx.clock.advanceDays(1);
    expect((await api('POST', '/admin/maintenance/alert-digest', admin)).json()).toMatchObject({ users: 1, matches: 1 });
    await drain();
    expect(smtp.to(seeker.email).map((mail) => mail.subject)).toEqual(['Your daily alert: 2 new matches', 'Your daily alert: 1 new match']);
    expect((await api('POST', '/admin/maintenance/alert-digest', editor)).statusCode).toBe(403);
  });
});

describe('unsubscribe', () => {
  const unsubscribeLink = (mail: ReceivedMail) => linkIn(mail, 'http://tech.test/api/v1/saved-searches/unsubscribe?token=');

  it('turns the alert off from the mailed link, without logging in', async () => {
    const seeker = await createUser(ctx);
    const provider = await createUser(ctx);
    const saved = await saveSearch(seeker, { name: 'Dryers', query: 'solar dryer', frequency: 'instant' });
    await publishListing(ctx, provider, editor, coldRoom('Solar dryer for fish', { summary: 'A solar dryer for fish and seaweed.' }));
    await drain();
    const [mail] = smtp.to(seeker.email);
    expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = unsubscribeLink(mail!);
    expect(header(mail!, 'List-Unsubscribe')).toBe(`<${link.href}>`);

    const response = await ctx.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, deactivated: [{ id: saved.id, name: 'Dryers' }] });
    expect((await api('GET', `/saved-searches/${saved.id}`, seeker)).json().active).toBe(false);
    const again = await ctx.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(again.json()).toEqual({ ok: true, deactivated: [] });

    await publishListing(ctx, provider, editor, coldRoom('Another solar dryer for fish'));
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(1);
  });

  it('accepts the RFC 8058 one-click POST and refuses forged tokens', async () => {
    const seeker = await createUser(ctx);
    const provider = await createUser(ctx);
    const saved = await saveSearch(seeker, { name: 'Pumps', query: 'pump', frequency: 'instant' });
    await publishListing(ctx, provider, editor, coldRoom('Solar pump for irrigation'));
    await drain();
    const link = unsubscribeLink(smtp.to(seeker.email)[0]!);
    const posted = await ctx.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json().deactivated).toEqual([{ id: saved.id, name: 'Pumps' }]);

    const token = link.searchParams.get('token')!;
    const forged = token.replace(saved.id, (await saveSearch(seeker, { name: 'Other', query: 'nothing', active: false })).id);
    for (const bad of [forged, 'nonsense', `${token}x`]) {
      const response = await api('GET', `/saved-searches/unsubscribe?token=${encodeURIComponent(bad)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_token');
    }
  });
});

describe('crash safety', () => {
  it('loses no match and sends no duplicate when the worker dies mid-job', async () => {
    const seeker = await createUser(ctx);
    const provider = await createUser(ctx);
    await saveSearch(seeker, { name: 'Biogas', query: 'biogas digester', frequency: 'instant' });
    await publishListing(ctx, provider, editor, coldRoom('Biogas digester for pig farms', { summary: 'A biogas digester that turns pig manure into cooking gas.' }));
    // A worker claims the alert job and dies before finishing it.
    const claimed = await claimJobs(ctx.database.db, 'alerts', 'worker-that-died', ctx.clock.now(), 10);
    expect(claimed).toHaveLength(1);
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(0);
    // Once its lock is stale, the job is handed back and done.
    ctx.clock.advanceDays(1 / 24 / 6);
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(1);
    expect((await outbox('alert_instant', seeker.email)).total).toBe(1);
  });

  it('does not mail twice when the worker died after recording the match', async () => {
    const seeker = await createUser(ctx);
    const provider = await createUser(ctx);
    await saveSearch(seeker, { name: 'Seaweed', query: 'seaweed', frequency: 'instant' });
    const listing = await publishListing(ctx, provider, editor, coldRoom('Seaweed drying racks', { summary: 'Racks for drying seaweed in the sun.' }));
    const claimed = await claimJobs(ctx.database.db, 'alerts', 'worker-that-died', ctx.clock.now(), 10);
    expect(claimed).toHaveLength(1);
    // The dead worker had done the work (match and mail committed) but not marked the job done.
    await ctx.app.services.newListingAlerts.alertForListings([listing.id]);
    ctx.clock.advanceDays(1 / 24 / 6);
    await drain();
    expect(smtp.to(seeker.email)).toHaveLength(1);
    expect((await outbox('alert_instant', seeker.email)).total).toBe(1);
  });
});
