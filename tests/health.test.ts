import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { FlakyEngine } from './search/flaky-engine.js';

// /health tells the whole story (database, search engine, job queue) and /health/ready says whether
// the index has caught up with what was written before the start line.

let ctx: TestContext;
let engine: FlakyEngine;
let owner: TestUser;
let editor: TestUser;

beforeAll(async () => {
  ctx = await createTestApp({}, { searchEngine: (database) => (engine = new FlakyEngine(new PostgresSearchEngine(database.db))) });
  owner = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(() => ctx.close());

const health = async () => {
  const response = await ctx.app.inject({ method: 'GET', url: '/health' });
  return { status: response.statusCode, body: response.json() };
};
const ready = async () => {
  const response = await ctx.app.inject({ method: 'GET', url: '/health/ready' });
  return { status: response.statusCode, body: response.json() };
};

describe('health', () => {
  it('is not ready while changes from before the start line wait for the index, and ready once they are in', async () => {
    await publishListing(ctx, owner, editor, offerBody({ title: 'Readiness probe solar kiln' }));
    ctx.app.readiness.catchUpTo(ctx.clock.now());
    expect(await ready()).toEqual({ status: 503, body: { ready: false, reason: 'search_index_catching_up' } });
    expect((await health()).body.ready).toBe(false);
    await ctx.app.services.jobs.drain();
    expect(await ready()).toEqual({ status: 200, body: { ready: true } });
    expect((await health()).body.ready).toBe(true);
  });

  it('reports the search engine down as degraded (200), with its lag and pending sync jobs, and the queues', async () => {
    engine.mode = 'down';
    try {
      await publishListing(ctx, owner, editor, offerBody({ title: 'Health probe biogas digester' }));
      await ctx.app.services.jobs.drain();
      ctx.clock.advanceMs(90_000);
      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'degraded', database: { status: 'up' }, search: { status: 'down', engine: 'postgres', pendingJobs: 1 }, jobs: { status: 'up' } });
      expect(body.search.lagSeconds).toBeGreaterThanOrEqual(90);
      const search = body.jobs.queues.find((queue: { queue: string }) => queue.queue === 'search');
      expect(search).toMatchObject({ pending: 1, running: 0, failed: 0 });
      // The retry is due (its backoff is shorter than the 90 s): it has waited since then.
      expect(search.oldestPendingAgeSeconds).toBeGreaterThan(0);
      expect(body.jobs.oldestPendingAgeSeconds).toBe(Math.max(...body.jobs.queues.map((queue: { oldestPendingAgeSeconds: number }) => queue.oldestPendingAgeSeconds)));
    } finally {
      engine.mode = 'up';
    }
    await ctx.app.services.jobs.drain();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', search: { status: 'up', pendingJobs: 0 } });
  });
});
