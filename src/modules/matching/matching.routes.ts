import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { ZMatchPage, ZMatchQuery } from './matching.schemas.js';

/** Registered under /listings, next to the listing routes. */
const matchingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/:id/matches',
    {
      schema: {
        tags: ['matching'],
        summary: 'Offers that could answer a request, or requests an offer could answer: ranked, scored 0–100, labelled and explained',
        description:
          "Anyone sees the matches of a published listing; the listing's owner side sees them in any status (e.g. a draft before publishing). " +
          "Never lists the listing's own organisation, or listings that are not published or have expired.",
        params: ZIdParams,
        querystring: ZMatchQuery,
        response: { 200: ZMatchPage, ...errorResponses },
      },
    },
    async (request) => ({
      ...(await app.services.matching.matchesFor(request.actor, request.params.id, request.query)),
      limit: request.query.limit,
      offset: request.query.offset,
    }),
  );
};

export default matchingRoutes;
