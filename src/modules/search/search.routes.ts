import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { anonymousRateLimit } from '../../lib/anonymous-rate-limit.js';
import { bearer, errorResponses, ZErrorBody } from '../../lib/http-schemas.js';
import { ZReindexRun, ZSearchQuery, ZSearchResponse, ZSearchStatus } from './search.schemas.js';
import { adminOnly } from '../../plugins/auth.js';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { search } = app.services;

  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search published technology offers and requests: words with typos, filters, facet counts, highlights',
        description: 'Anonymous clients may search SEARCH_RATE_LIMIT_PER_MINUTE times a minute (429 past it); a busy service answers 503 with Retry-After.',
        querystring: ZSearchQuery,
        response: { 200: ZSearchResponse, ...errorResponses, 503: ZErrorBody },
      },
      config: { rateLimit: anonymousRateLimit(app.config.limits.anonymousSearchPerMinute) },
    },
    async (request) => {
      const result = await search.search(request.query);
      app.services.listingCounters.recordSearchAppearances(result.items.map((item) => item.id));
      return result;
    },
  );
};

export const adminSearchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { search } = app.services;

  app.get(
    '/search/status',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Search index health: engine, documents, pending and failed index jobs, lag',
        security: bearer,
        response: { 200: ZSearchStatus, ...errorResponses },
      },
    },
    async () => search.adminStatus(),
  );

  app.post(
    '/search/reindex',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Rebuild the whole search index in the worker (search keeps answering); progress in GET /admin/search/status',
        security: bearer,
        response: { 202: ZReindexRun, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await search.requestReindex(app.requireActor(request))),
  );
};
