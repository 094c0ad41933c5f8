import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { adminOnly } from '../../plugins/auth.js';

const ZJob = z.object({
  id: z.number().int(),
  queue: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: z.date(),
  lastError: z.string().nullable(),
  lockedBy: z.string().nullable().describe('The worker running the job (host:pid:id); null unless running'),
  lockedAt: z.date().nullable().describe('When that worker took the job'),
  heartbeatAt: z.date().nullable().describe('When that worker last showed it is alive; the job goes back to the queue when this is older than JOB_LOCK_TIMEOUT_SECONDS'),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

const ZSweepResult = z.object({ reminded: z.number().int(), expired: z.number().int(), archived: z.number().int() });

const adminJobRoutes: FastifyPluginAsyncZod = async (app) => {
  const { jobs, listings } = app.services;

  app.get(
    '/jobs',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Jobs by status, of one queue or of all (e.g. failed mail or search jobs)',
        security: bearer,
        querystring: z.object({
          queue: z.string().max(50).optional().describe('Only this queue (mail, search, search-reindex, alerts, …); all queues when absent'),
          status: z.enum(['pending', 'running', 'done', 'failed']).default('failed'),
          limit: z.coerce.number().int().min(1).max(100).default(20),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: pageOf(ZJob), ...errorResponses },
      },
    },
    async (request) => {
      const { queue, status, limit, offset } = request.query;
      return { ...(await jobs.list(queue, status, limit, offset)), limit, offset };
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Put a failed job back on its queue',
        security: bearer,
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 202: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await jobs.retry(request.params.id))) {
        return reply.status(404).send({ statusCode: 404, code: 'not_found', message: 'No failed job with this id', requestId: request.id });
      }
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/jobs/retry-failed',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Put every failed job (of one queue, or of all) back on its queue',
        security: bearer,
        querystring: z.object({ queue: z.string().max(50).optional().describe('Only this queue; all queues when absent') }),
        response: { 202: z.object({ retried: z.number().int().describe('How many jobs went back on their queue') }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send({ retried: await jobs.retryAllFailed(request.query.queue) }),
  );

  app.post(
    '/maintenance/expiry-sweep',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Run the listing expiry sweep now (it also runs hourly in the worker)',
        security: bearer,
        response: { 200: ZSweepResult, ...errorResponses },
      },
    },
    async () => listings.runExpirySweep(),
  );
};

export default adminJobRoutes;
