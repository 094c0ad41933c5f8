import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimJobs } from '../src/modules/jobs/jobs.repository.js';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import { SEARCH_QUEUE } from '../src/modules/search/search.service.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { FlakyEngine } from './search/flaky-engine.js';

// The index follows the database through jobs enqueued in the same transaction as each change; the
// job re-reads the listing, so late, repeated or reordered jobs still leave the index right.

let ctx: TestContext;
let engine: FlakyEngine;
let owner: TestUser;
let editor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp({}, { searchEngine: (database) => (engine = new FlakyEngine(new PostgresSearchEngine(database.db))) });
  owner = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(() => ctx.close());

const drain = () => ctx.app.services.jobs.drain();
const stats = () => ctx.app.services.jobs.stats(SEARCH_QUEUE);
const post = (url: string, user: TestUser, payload: object = {}) => ctx.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: user.auth, payload });
const patch = (url: string, user: TestUser, payload: object) => ctx.app.inject({ method: 'PATCH', url: `/api/v1${url}`, headers: user.auth, payload });
const status = async () => (await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/search/status', headers: admin.auth })).json();
async function found(word: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(word)}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { id: string }) => item.id) as string[];
}
const publish = (title: string, by: TestUser = owner, overrides: Record<string, unknown> = {}) => publishListing(ctx, by, editor, offerBody({ title, ...overrides }));

describe('search index sync', () => {
  it('indexes a published listing through the job its publication enqueued, and ignores drafts', async () => {
    const draft = await post('/listings', owner, offerBody({ title: 'Kaolinite draft insulation panel' }));
    expect(draft.statusCode).toBe(201);
    expect((await stats()).pending).toBe(0);
    const listing = await publish('Basaltfibre reinforcement bars');
    expect((await stats()).pending).toBe(1);
    expect(await found('basaltfibre')).toEqual([]);
    await drain();
    expect(await found('basaltfibre')).toEqual([listing.id]);
    expect(await found('kaolinite')).toEqual([]);
  });

  it('follows edits, hold, publication again and withdrawal', async () => {
    const listing = await publish('Vermicompost reactor for markets');
    await drain();
    // An editor's edit applies at once (an owner's is reviewed first: listing-revisions.test.ts).
    expect((await patch(`/listings/${listing.id}`, editor, { title: 'Bokashi fermenter for markets' })).statusCode).toBe(200);
    await drain();
    expect(await found('vermicompost')).toEqual([]);
    expect(await found('bokashi')).toEqual([listing.id]);
    await post(`/listings/${listing.id}/hold`, editor, { note: 'Checking claims' });
    await drain();
    expect(await found('bokashi')).toEqual([]);
    await post(`/listings/${listing.id}/publish`, editor);
    await drain();
    expect(await found('bokashi')).toEqual([listing.id]);
    await post(`/listings/${listing.id}/withdraw`, owner);
    await drain();
    expect(await found('bokashi')).toEqual([]);
  });

  it('re-indexes the listings of a renamed organisation; an anonymous one stays nameless', async () => {
    const member = await createUser(ctx, { country: 'VN' });
    const named = await publish('Rattan furniture dryer kiln', member);
    const anonymous = await publish('Rattan weaving robot', member, { anonymous: true });
    await drain();
    const renamed = await patch(`/organizations/${member.organizationId}`, admin, { name: 'Zanzibar Photonics' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await stats()).pending).toBe(2);
    await drain();
    expect(await found('zanzibar photonics')).toEqual([named.id]);
    expect(new Set(await found('rattan'))).toEqual(new Set([named.id, anonymous.id]));
  });

  it('does the work once for duplicate jobs', async () => {
    const listing = await publish('Graphene supercapacitor cells');
    for (const title of ['Graphene supercapacitor modules', 'Graphene supercapacitor packs', 'Graphene ultracapacitor packs']) {
      await patch(`/listings/${listing.id}`, editor, { title });
    }
    expect((await stats()).pending).toBe(1);
    for (let i = 0; i < 3; i++) await ctx.app.services.jobs.enqueue(ctx.database.db, SEARCH_QUEUE, { listingId: listing.id });
    const before = (await status()).documents;
    await drain();
    expect((await status()).documents).toBe(before + 1);
    expect(await found('ultracapacitor')).toEqual([listing.id]);
    expect(await found('supercapacitor')).toEqual([]);
    expect((await stats()).pending).toBe(0);
  });

  it('never lets an edit processed after a withdrawal resurrect the listing', async () => {
    const listing = await publish('Chitosan coating for mangoes');
    await drain();
    await patch(`/listings/${listing.id}`, editor, { title: 'Chitosan edible coating for mangoes' });
    // The edit's job is taken by a worker that then dies; the withdrawal enqueues its own job.
    const [editJob] = await claimJobs(ctx.database.db, SEARCH_QUEUE, 'worker-that-died', ctx.clock.now(), 10);
    expect(editJob!.payload).toEqual({ listingId: listing.id });
    await post(`/listings/${listing.id}/withdraw`, owner);
    await drain();
    ctx.clock.advanceMs(6 * 60_000);
    await drain();
    expect(await found('chitosan')).toEqual([]);
    // The same edit's job delivered once more, late: it reads the listing as it is now.
    await ctx.app.services.jobs.enqueue(ctx.database.db, SEARCH_QUEUE, { listingId: listing.id });
    await drain();
    expect(await found('chitosan')).toEqual([]);
    expect(await stats()).toMatchObject({ pending: 0, failed: 0 });
  });

  it('finishes a batch whose worker was killed half-way, once its lock is stale', async () => {
    const titles = ['Perovskite tandem cell', 'Perovskite ink printer', 'Perovskite encapsulation film', 'Perovskite recycling process'];
    const published = [];
    for (const title of titles) published.push(await publish(title));
    engine.mode = 'die-mid-batch';
    void drain();
    await engine.hung;
    engine.mode = 'up';
    const halfDone = await found('perovskite');
    expect(halfDone.length).toBeGreaterThan(0);
    expect(halfDone.length).toBeLessThan(titles.length);
    // Another worker leaves the jobs alone while their lock is fresh…
    await drain();
    expect(await found('perovskite')).toEqual(halfDone);
    expect((await stats()).pending).toBe(titles.length);
    // …and takes them over once it is stale.
    ctx.clock.advanceMs(6 * 60_000);
    await drain();
    expect(new Set(await found('perovskite'))).toEqual(new Set(published.map((listing) => listing.id)));
    expect((await stats()).pending).toBe(0);
  });

  it('keeps listing writes working while the engine is down, and catches up when it is back', async () => {
    engine.mode = 'down';
    const listing = await publish('Lignin binder for briquettes');
    await drain();
    ctx.clock.advanceMs(3_000);
    const down = await status();
    expect(down).toMatchObject({ available: false, pendingJobs: 1, failedJobs: 0, documents: null });
    expect(down.error).toContain('unreachable');
    expect(down.lagSeconds).toBeGreaterThanOrEqual(3);
    const unavailable = await ctx.app.inject({ method: 'GET', url: '/api/v1/search?q=lignin' });
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json().code).toBe('search_unavailable');
    engine.mode = 'up';
    ctx.clock.advanceMs(10_000);
    await drain();
    expect(await found('lignin')).toEqual([listing.id]);
    expect(await status()).toMatchObject({ available: true, pendingJobs: 0, lagSeconds: 0 });
  });

  it('keeps a job that failed every retry as failed, visible to admins, and retries it on demand', async () => {
    engine.mode = 'down';
    const listing = await publish('Mycelium packaging trays');
    for (let attempt = 0; attempt < 8; attempt++) {
      await drain();
      ctx.clock.advanceMs(2 * 3_600_000);
    }
    expect(await status()).toMatchObject({ pendingJobs: 0, failedJobs: 1 });
    const failed = (await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/jobs?queue=search&status=failed', headers: admin.auth })).json();
    expect(failed.items).toHaveLength(1);
    expect(failed.items[0]).toMatchObject({ attempts: 8, lastError: expect.stringContaining('unreachable') });
    engine.mode = 'up';
    expect((await post(`/admin/jobs/${failed.items[0].id}/retry`, admin)).statusCode).toBe(202);
    await drain();
    expect(await found('mycelium')).toEqual([listing.id]);
    expect(await status()).toMatchObject({ pendingJobs: 0, failedJobs: 0 });
  });

  it('drops expired listings, brings back renewed ones and keeps archived ones out', async () => {
    const listing = await publish('Seaweed bioplastic film');
    await drain();
    ctx.clock.advanceDays(366);
    await ctx.app.services.listings.runExpirySweep();
    await drain();
    expect(await found('seaweed')).toEqual([]);
    expect((await post(`/listings/${listing.id}/renew`, owner)).json().status).toBe('published');
    await drain();
    expect(await found('seaweed')).toEqual([listing.id]);
    ctx.clock.advanceDays(366);
    await ctx.app.services.listings.runExpirySweep();
    await drain();
    expect(await found('seaweed')).toEqual([]);
    await ctx.app.services.listings.runExpirySweep();
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${listing.id}`, headers: owner.auth })).json().status).toBe('archived');
    await drain();
    expect(await found('seaweed')).toEqual([]);
    expect((await stats()).pending).toBe(0);
  });
});
