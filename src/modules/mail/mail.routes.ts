import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { z } from 'zod';
import { ZMailCounts, ZMailListQuery, ZMailMessage } from './mail.schemas.js';
import { adminOnly } from '../../plugins/auth.js';

/** Admin view of the mail outbox, registered under /admin. */
const adminMailRoutes: FastifyPluginAsyncZod = async (app) => {
  const { mail } = app.services;

  app.get(
    '/mail',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Mail messages, newest first (filter by status to see failed ones)',
        security: bearer,
        querystring: ZMailListQuery,
        response: { 200: pageOf(ZMailMessage), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return { ...(await mail.list(filter, limit, offset)), limit, offset };
    },
  );

  app.get(
    '/mail/counts',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'How many messages are in each status',
        security: bearer,
        response: { 200: ZMailCounts, ...errorResponses },
      },
    },
    async () => mail.counts(),
  );

  app.post(
    '/mail/retry-failed',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Send every failed message again',
        security: bearer,
        response: { 202: z.object({ retried: z.number().int().describe('How many messages went back to the queue') }), ...errorResponses },
      },
    },
    async (_request, reply) => reply.status(202).send({ retried: await mail.retryAllFailed() }),
  );

  app.post(
    '/mail/:id/retry',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Send a failed message again',
        security: bearer,
        params: ZIdParams,
        response: { 202: ZMailMessage, ...errorResponses },
      },
    },
    async (request, reply) => {
      return reply.status(202).send(await mail.retry(request.params.id));
    },
  );
};

export default adminMailRoutes;
