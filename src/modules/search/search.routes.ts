import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZErrorBody } from '../../lib/http-schemas.js';
import { ZSearchQuery, ZSearchResponse, ZSearchStatus } from './search.schemas.js';
import { adminOnly } from '../../plugins/auth.js';

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
    async (request) => search.search(request.query),
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
    async (request) => {
      return search.status();
    },
  );
};
