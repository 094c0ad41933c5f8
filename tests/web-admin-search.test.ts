import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';
import { FlakyEngine } from './search/flaky-engine.js';

// The admins' search index page: the index against the published listings, the sync queue, and a
// rebuild that runs in the worker while the page shows its progress (htmx polling, or a refresh link).

let ctx: TestContext;
let engine: FlakyEngine;
let admin: TestUser;
let editor: TestUser;
let owner: TestUser;
let adminWeb: WebClient;
const listingIds: string[] = [];

const drain = () => ctx.app.services.jobs.drain();
const found = async (q: string) => (await ctx.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}` })).json().items.map((item: { id: string }) => item.id);
/** The numbers shown in the status grid, by their label. */
const stat = (html: string, label: string) => new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(html)?.[1];

beforeAll(async () => {
  ctx = await createTestApp({}, { searchEngine: (database) => (engine = new FlakyEngine(new PostgresSearchEngine(database.db))) });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx);
  for (const title of ['Bamboo biochar kiln', 'Bamboo fibre board press', 'Bamboo charcoal briquette line']) {
    listingIds.push((await publishListing(ctx, owner, editor, offerBody({ title }))).id);
  }
  await drain();
  adminWeb = await WebClient.signedIn(ctx, admin);
});

afterAll(async () => {
  await ctx?.close();
});

describe('/admin/search', () => {
  it('shows the engine, the documents against the published listings and the sync queue', async () => {
    const page = await adminWeb.get('/admin/search');
    expect(page.statusCode).toBe(200);
    expect(stat(page.body, 'Engine')).toBe('Built-in (PostgreSQL)');
    expect(stat(page.body, 'Listings in the index')).toBe('3');
    expect(stat(page.body, 'Published listings')).toBe('3');
    expect(stat(page.body, 'Index jobs waiting')).toBe('0');
    expect(page.body).toContain('Answering');
    expect(page.body).toMatch(/Last index update: <time datetime="[^"]+">/);
    expect(page.body).toContain('The index has not been rebuilt from this page yet.');
    expect(page.body).toContain('action="/admin/search/reindex"');
    // Nothing under way: no polling.
    expect(page.body).not.toContain('hx-trigger');
  });

  it('rebuilds the index in the worker: lost documents come back, and the page follows the progress', async () => {
    await engine.remove(listingIds);
    expect(await found('bamboo')).toEqual([]);
    const drifted = await adminWeb.get('/admin/search');
    expect(stat(drifted.body, 'Listings in the index')).toBe('0');
    expect(stat(drifted.body, 'Published listings')).toBe('3');

    const asked = await adminWeb.post('/admin/search/reindex');
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/admin/search');
    const queued = await adminWeb.get('/admin/search');
    expect(queued.body).toContain('The search index is being rebuilt.');
    expect(queued.body).toContain('Waiting for the worker');
    // While it is under way the status part reloads itself (htmx), and a plain link does it without JavaScript.
    expect(queued.body).toMatch(/id="search-status" hx-get="\/admin\/search" hx-select="#search-status" hx-target="this" hx-swap="outerHTML" hx-trigger="every 2s"/);
    expect(queued.body).toContain('<a href="/admin/search">Refresh this page</a>');
    expect(queued.body).not.toContain('action="/admin/search/reindex"');
    // One rebuild at a time.
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/search/reindex', headers: admin.auth })).statusCode).toBe(409);

    // The worker takes it; it pauses after reading its first batch, so the page sees it running.
    let release!: () => void;
    let reached!: () => void;
    const paused = new Promise<void>((resolve) => (reached = resolve));
    engine.duringRebuild = () => {
      reached();
      return new Promise<void>((resolve) => (release = resolve));
    };
    const working = drain();
    await paused;
    const running = await adminWeb.get('/admin/search');
    expect(running.body).toContain('<span class="tag tag--warn">Running</span>');
    expect(running.body).toMatch(/<progress id="reindex-progress"/);
    expect(running.body).toContain('hx-trigger="every 2s"');
    release();
    await working;

    const done = await adminWeb.get('/admin/search');
    expect(done.body).toContain('<span class="tag tag--ok">Finished</span>');
    expect(done.body).toContain('3 of about 3 listings written');
    expect(stat(done.body, 'Listings in the index')).toBe('3');
    expect(done.body).not.toContain('hx-trigger');
    expect(done.body).toContain('action="/admin/search/reindex"');
    expect(new Set(await found('bamboo'))).toEqual(new Set(listingIds));
    const status = (await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/search/status', headers: admin.auth })).json();
    expect(status).toMatchObject({ documents: 3, publishedListings: 3, reindex: { status: 'done', indexed: 3, total: 3, error: null } });
  });

  it('shows a failed rebuild with its error; retrying its job runs it again', async () => {
    ctx.clock.advanceMs(60_000);
    engine.mode = 'down';
    const asked = await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/search/reindex', headers: admin.auth });
    expect(asked.statusCode).toBe(202);
    expect(asked.json()).toMatchObject({ status: 'queued', indexed: 0 });
    await drain();
    const failed = await adminWeb.get('/admin/search');
    expect(failed.body).toContain('<span class="tag tag--bad">Failed</span>');
    expect(failed.body).toContain('search engine unreachable (simulated outage)');
    expect(failed.body).toContain('Not answering');
    engine.mode = 'up';

    const jobs = await adminWeb.get('/admin/jobs?queue=search-reindex');
    expect(jobs.body).toContain('search engine unreachable (simulated outage)');
    const [jobId] = [...jobs.body.matchAll(/action="\/admin\/jobs\/(\d+)\/retry"/g)].map((match) => match[1]);
    expect((await adminWeb.post(`/admin/jobs/${jobId}/retry`)).statusCode).toBe(303);
    expect((await adminWeb.get('/admin/search')).body).toContain('Waiting for the worker');
    await drain();
    const again = await adminWeb.get('/admin/search');
    expect(again.body).toContain('<span class="tag tag--ok">Finished</span>');
    expect(again.body).not.toContain('simulated outage');
  });

  it('is for admins: an editor may not start a rebuild', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/search/reindex', headers: editor.auth })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/search/reindex' })).statusCode).toBe(401);
  });
});
