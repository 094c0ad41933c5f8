import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { ZDeclineBody, ZInterest, ZInterestDetail, ZInterestListQuery, ZSendInterestBody } from './interests.schemas.js';
import { signedIn } from '../../plugins/auth.js';

/** Expressions of interest, under /interests. */
const interestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { interests } = app.services;

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['interests'],
        summary: 'Express interest in a published listing; its owner is mailed',
        description: `One open expression of interest per organisation and listing; at most ${app.config.limits.eoiPerUserPerDay} per user in 24 hours (429 interest_daily_limit).`,
        security: bearer,
        body: ZSendInterestBody,
        response: { 201: ZInterestDetail, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await interests.send(app.requireActor(request), request.body)),
  );

  app.get(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['interests'],
        summary: 'Expressions of interest you sent or received (editors and admins: all), newest first',
        security: bearer,
        querystring: ZInterestListQuery,
        response: { 200: pageOf(ZInterest), ...errorResponses },
      },
    },
    async (request) => ({ ...(await interests.list(app.requireActor(request), request.query)), limit: request.query.limit, offset: request.query.offset }),
  );

  app.get(
    '/:id',
    { config: signedIn, schema: { tags: ['interests'], summary: 'An expression of interest you sent or received', security: bearer, params: ZIdParams, response: { 200: ZInterestDetail, ...errorResponses } } },
    async (request) => interests.get(app.requireActor(request), request.params.id),
  );

  app.post(
    '/:id/accept',
    {
      config: signedIn,
      schema: {
        tags: ['interests'],
        summary: 'Owner: accept; both sides are mailed each other’s contact details and an introduction starts',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZInterestDetail, ...errorResponses },
      },
    },
    async (request) => interests.accept(app.requireActor(request), request.params.id),
  );

  app.post(
    '/:id/decline',
    {
      config: signedIn,
      schema: {
        tags: ['interests'],
        summary: 'Owner: decline with a reason and an optional note, both shown to the sender',
        security: bearer,
        params: ZIdParams,
        body: ZDeclineBody,
        response: { 200: ZInterestDetail, ...errorResponses },
      },
    },
    async (request) => interests.decline(app.requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/:id/withdraw',
    {
      config: signedIn,
      schema: {
        tags: ['interests'],
        summary: 'Sender: withdraw a pending expression of interest',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZInterestDetail, ...errorResponses },
      },
    },
    async (request) => interests.withdraw(app.requireActor(request), request.params.id),
  );
};

export default interestRoutes;
