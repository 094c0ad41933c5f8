import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendBrowsersTo } from '../../lib/browser-links.js';
import { z } from 'zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf, ZPagination } from '../../lib/pagination.js';
import {
  ZCreateSavedSearchBody,
  ZDigestResult,
  ZSavedSearch,
  ZUnsubscribeQuery,
  ZUnsubscribeResult,
  ZUpdateSavedSearchBody,
} from './alerts.schemas.js';
import { adminOnly, signedIn } from '../../plugins/auth.js';
import oneClickUnsubscribeForms from '../../plugins/one-click-unsubscribe.js';

/** Saved searches and alerts, registered under /saved-searches. */
export const savedSearchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { alerts } = app.services;

  await app.register(oneClickUnsubscribeForms);

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['alerts'],
        summary: 'Save a search (words and filters) or turn on alerts for one of your listings',
        security: bearer,
        body: ZCreateSavedSearchBody,
        response: { 201: ZSavedSearch, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await alerts.create(app.requireActor(request), request.body)),
  );

  app.get(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['alerts'],
        summary: 'Your saved searches, newest first',
        security: bearer,
        querystring: ZPagination,
        response: { 200: pageOf(ZSavedSearch), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      return { ...(await alerts.list(app.requireActor(request), limit, offset)), limit, offset };
    },
  );

  const unsubscribe = {
    schema: {
      tags: ['alerts'],
      summary: 'One-click unsubscribe from the link in an alert mail (no login; POST for RFC 8058 List-Unsubscribe-Post)',
      querystring: ZUnsubscribeQuery,
      response: { 200: ZUnsubscribeResult, ...errorResponses },
    },
  };
  const handleUnsubscribe = async (token: string) => ({ ok: true as const, deactivated: await alerts.unsubscribe(token) });
  app.get('/unsubscribe', { ...unsubscribe, onRequest: sendBrowsersTo('/alerts/unsubscribe') }, async (request) => handleUnsubscribe(request.query.token));
  app.post('/unsubscribe', unsubscribe, async (request) => handleUnsubscribe(request.query.token));

  app.get(
    '/:id',
    { config: signedIn, schema: { tags: ['alerts'], summary: 'One of your saved searches', security: bearer, params: ZIdParams, response: { 200: ZSavedSearch, ...errorResponses } } },
    async (request) => alerts.get(app.requireActor(request), request.params.id),
  );

  app.patch(
    '/:id',
    {
      config: signedIn,
      schema: {
        tags: ['alerts'],
        summary: 'Rename, change words, filters or frequency, pause or resume',
        security: bearer,
        params: ZIdParams,
        body: ZUpdateSavedSearchBody,
        response: { 200: ZSavedSearch, ...errorResponses },
      },
    },
    async (request) => alerts.update(app.requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/:id',
    { config: signedIn, schema: { tags: ['alerts'], summary: 'Delete one of your saved searches', security: bearer, params: ZIdParams, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await alerts.remove(app.requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** Registered under /admin. */
export const adminAlertRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/maintenance/alert-digest',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Send the daily alert digests now (the worker also runs this every hour; a user gets at most one a day)',
        security: bearer,
        response: { 200: ZDigestResult, ...errorResponses },
      },
    },
    async () => app.services.alertDigest.run(),
  );
};
