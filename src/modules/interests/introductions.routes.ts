import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { ZAgreementBody, ZIntroduction, ZIntroductionDetail, ZIntroductionHistoryEntry, ZIntroductionListQuery, ZOutcomeBody } from './interests.schemas.js';
import { signedIn } from '../../plugins/auth.js';

/** Introductions (accepted expressions of interest) and their outcomes, under /introductions. */
const introductionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { introductions } = app.services;

  app.get(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['introductions'],
        summary: 'Introductions of the organisations you act for (editors and admins: all), newest first',
        security: bearer,
        querystring: ZIntroductionListQuery,
        response: { 200: pageOf(ZIntroduction), ...errorResponses },
      },
    },
    async (request) => ({ ...(await introductions.list(app.requireActor(request), request.query)), limit: request.query.limit, offset: request.query.offset }),
  );

  app.get(
    '/:id',
    { config: signedIn, schema: { tags: ['introductions'], summary: 'An introduction between the two sides of an accepted expression of interest', security: bearer, params: ZIdParams, response: { 200: ZIntroductionDetail, ...errorResponses } } },
    async (request) => introductions.get(app.requireActor(request), request.params.id),
  );

  app.get(
    '/:id/history',
    {
      config: signedIn,
      schema: {
        tags: ['introductions'],
        summary: 'Every step of the introduction, who took it and when',
        security: bearer,
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZIntroductionHistoryEntry) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await introductions.history(app.requireActor(request), request.params.id) }),
  );

  app.post(
    '/:id/agreement',
    {
      config: signedIn,
      schema: {
        tags: ['introductions'],
        summary: 'Either side: record the agreement signed (in_discussion → agreement_signed)',
        security: bearer,
        params: ZIdParams,
        body: ZAgreementBody,
        response: { 200: ZIntroductionDetail, ...errorResponses },
      },
    },
    async (request) => introductions.step(app.requireActor(request), request.params.id, { action: 'agreement', body: request.body }),
  );

  app.post(
    '/:id/close',
    {
      config: signedIn,
      schema: {
        tags: ['introductions'],
        summary: 'Either side: close after the agreement (agreement_signed → closed)',
        security: bearer,
        params: ZIdParams,
        body: ZOutcomeBody,
        response: { 200: ZIntroductionDetail, ...errorResponses },
      },
    },
    async (request) => introductions.step(app.requireActor(request), request.params.id, { action: 'close', body: request.body }),
  );

  app.post(
    '/:id/end',
    {
      config: signedIn,
      schema: {
        tags: ['introductions'],
        summary: 'Either side: the talks ended without agreement (in_discussion → ended_without_agreement)',
        security: bearer,
        params: ZIdParams,
        body: ZOutcomeBody,
        response: { 200: ZIntroductionDetail, ...errorResponses },
      },
    },
    async (request) => introductions.step(app.requireActor(request), request.params.id, { action: 'end', body: request.body }),
  );
};

export default introductionRoutes;
