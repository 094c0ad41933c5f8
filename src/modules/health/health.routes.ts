import { sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Readiness } from './readiness.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether the service has caught up after start (GET /health/ready); main.ts moves its start line past seeding. */
    readiness: Readiness;
  }
}

/**
 * Every check of /health has this long: a database that does not answer (stopped, unreachable,
 * its connections all stuck) is reported down within a second instead of holding the probe.
 */
export const HEALTH_CHECK_BUDGET_MS = 800;

const ZQueueHealth = z.object({
  queue: z.string(),
  pending: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  oldestPendingAgeSeconds: z.number().describe('How long the longest-waiting due job has waited (0: none waiting)'),
});

const ZHealth = z.object({
  status: z.enum(['ok', 'degraded']).describe('degraded: the database or the search engine is down (503 when it is the database)'),
  ready: z.boolean().describe('The search index has caught up with what was written before this process started (see /health/ready)'),
  database: z.object({ status: z.enum(['up', 'down']), engine: z.enum(['pglite', 'postgres']), latencyMs: z.number() }),
  search: z.object({
    status: z.enum(['up', 'down', 'unknown']).describe('unknown: the database, which holds the sync queue, did not answer'),
    engine: z.enum(['postgres', 'meilisearch']),
    lagSeconds: z.number().nullable().describe('Age of the oldest change not yet in the index'),
    pendingJobs: z.number().int().nullable(),
    failedJobs: z.number().int().nullable().describe('Sync jobs that exhausted their retries (see /api/v1/admin/jobs?queue=search)'),
  }),
  jobs: z.object({
    status: z.enum(['up', 'unknown']),
    oldestPendingAgeSeconds: z.number().nullable(),
    failed: z.number().int().nullable(),
    queues: z.array(ZQueueHealth),
  }),
});

const ZReady = z.object({
  ready: z.boolean(),
  reason: z.string().optional(),
});

/** Settles with the promise's outcome, or rejects when it has not settled within the budget. */
function withinBudget<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_CHECK_BUDGET_MS} ms`)), HEALTH_CHECK_BUDGET_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { jobs, search } = app.services;
  app.decorate('readiness', new Readiness(jobs, app.clock));

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'Database, search engine and job queue, each checked within a second', response: { 200: ZHealth, 503: ZHealth } } },
    async (_request, reply) => {
      const started = performance.now();
      const [database, searchStatus, queues] = await Promise.allSettled([
        withinBudget(app.database.db.execute(sql`select 1`)).then(() => Math.round((performance.now() - started) * 10) / 10),
        withinBudget(search.status()),
        withinBudget(jobs.openJobStats()),
      ]);
      for (const [check, outcome] of [['database', database], ['search', searchStatus], ['jobs', queues]] as const) {
        if (outcome.status === 'rejected') app.log.error({ err: outcome.reason, check }, 'health check failed');
      }
      const databaseUp = database.status === 'fulfilled';
      const searchView =
        searchStatus.status === 'fulfilled'
          ? {
              status: searchStatus.value.available ? ('up' as const) : ('down' as const),
              engine: searchStatus.value.engine,
              lagSeconds: searchStatus.value.lagSeconds,
              pendingJobs: searchStatus.value.pendingJobs,
              failedJobs: searchStatus.value.failedJobs,
            }
          : { status: 'unknown' as const, engine: search.engineName, lagSeconds: null, pendingJobs: null, failedJobs: null };
      const jobsView =
        queues.status === 'fulfilled'
          ? {
              status: 'up' as const,
              oldestPendingAgeSeconds: Math.max(0, ...queues.value.map((queue) => queue.oldestPendingAgeSeconds)),
              failed: queues.value.reduce((sum, queue) => sum + queue.failed, 0),
              queues: queues.value,
            }
          : { status: 'unknown' as const, oldestPendingAgeSeconds: null, failed: null, queues: [] };
      const ready = databaseUp && (await withinBudget(app.readiness.check()).catch(() => false));
      const body = {
        status: databaseUp && searchView.status !== 'down' ? ('ok' as const) : ('degraded' as const),
        ready,
        database: {
          status: databaseUp ? ('up' as const) : ('down' as const),
          engine: app.database.kind,
          latencyMs: databaseUp ? database.value : Math.round((performance.now() - started) * 10) / 10,
        },
        search: searchView,
        jobs: jobsView,
      };
      return reply.status(databaseUp ? 200 : 503).send(body);
    },
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 once the search index holds what was written before start (and the database answers), else 503',
        response: { 200: ZReady, 503: ZReady },
      },
    },
    async (_request, reply) => {
      try {
        await withinBudget(app.database.db.execute(sql`select 1`));
      } catch {
        return reply.status(503).send({ ready: false, reason: 'database_unavailable' });
      }
      const ready = await withinBudget(app.readiness.check()).catch(() => false);
      return ready ? reply.send({ ready: true }) : reply.status(503).send({ ready: false, reason: 'search_index_catching_up' });
    },
  );
};

export default fp(healthRoutes, { name: 'health' });
