import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZErrorBody } from '../../lib/http-schemas.js';
import { ZSearchQuery, ZSearchResponse, ZSearchStatus } from './search.schemas.js';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { search } = app.services;

  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search published technology offers and requests: words with typos, filters, facet counts, highlights',
        querystring: ZSearchQuery,
        response: { 200: ZSearchResponse, ...errorResponses, 503: ZErrorBody },
      },
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
      schema: {
        tags: ['admin'],
        summary: 'Search index health: engine, documents, pending and failed index jobs, lag',
        security: bearer,
        response: { 200: ZSearchStatus, ...errorResponses },
      },
    },
    async (request) => {
      app.requireRole(request, 'admin');
      return search.status();
    },
  );
};
