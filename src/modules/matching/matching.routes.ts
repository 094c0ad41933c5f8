import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { anonymousRateLimit } from '../../lib/anonymous-rate-limit.js';
import { errorResponses, ZErrorBody, ZIdParams } from '../../lib/http-schemas.js';
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
          "Never lists the listing itself, or listings that are not published or have expired. Its owner side does not see its own organisation's listings; " +
          'everyone else sees the same answer whoever owns the listing, so an anonymous owner cannot be found by elimination. ' +
          'Anonymous clients may ask MATCHES_RATE_LIMIT_PER_MINUTE times a minute (429 past it); a busy service answers 503 with Retry-After.',
        params: ZIdParams,
        querystring: ZMatchQuery,
        response: { 200: ZMatchPage, ...errorResponses, 503: ZErrorBody },
      },
      config: { rateLimit: anonymousRateLimit(app.config.limits.anonymousMatchesPerMinute) },
    },
    async (request) => ({
      ...(await app.services.matching.matchesFor(request.actor, request.params.id, request.query)),
      limit: request.query.limit,
      offset: request.query.offset,
    }),
  );
};

export default matchingRoutes;
