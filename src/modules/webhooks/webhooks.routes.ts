import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { signedIn } from '../../plugins/auth.js';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import {
  ZCreateWebhookBody,
  ZDeliveryListQuery,
  ZUpdateWebhookBody,
  ZWebhook,
  ZWebhookDelivery,
  ZWebhookListQuery,
  ZWebhookWithSecret,
} from './webhooks.schemas.js';

const tags = ['webhooks'];
// A person's token, or `Authorization: ApiKey <key>` of a key with the webhooks:manage scope.
const security = bearer;

const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { webhooks } = app.services;

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Register a webhook (admins for any organisation, intermediaries for their own); its signing secret is shown only in this answer',
        security,
        body: ZCreateWebhookBody,
        response: { 201: ZWebhookWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await webhooks.create(app.requireActor(request), request.body, request.apiKey)),
  );

  app.get(
    '',
    {
      config: signedIn,
      schema: { tags, summary: 'Webhooks you manage, newest first', security, querystring: ZWebhookListQuery, response: { 200: pageOf(ZWebhook), ...errorResponses } },
    },
    async (request) => webhooks.list(app.requireActor(request), request.query, request.apiKey),
  );

  app.get(
    '/:id',
    { config: signedIn, schema: { tags, summary: 'One webhook', security, params: ZIdParams, response: { 200: ZWebhook, ...errorResponses } } },
    async (request) => webhooks.get(app.requireActor(request), request.params.id, request.apiKey),
  );

  app.patch(
    '/:id',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Change the address or events, or turn the webhook off or back on (back on clears its failure count)',
        security,
        params: ZIdParams,
        body: ZUpdateWebhookBody,
        response: { 200: ZWebhook, ...errorResponses },
      },
    },
    async (request) => webhooks.update(app.requireActor(request), request.params.id, request.body, request.apiKey),
  );

  app.delete(
    '/:id',
    { config: signedIn, schema: { tags, summary: 'Delete a webhook and its delivery log', security, params: ZIdParams, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      await webhooks.remove(app.requireActor(request), request.params.id, request.apiKey);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/:id/deliveries',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'The delivery log: each event sent, its attempts, the last status code and error, newest first',
        security,
        params: ZIdParams,
        querystring: ZDeliveryListQuery,
        response: { 200: pageOf(ZWebhookDelivery), ...errorResponses },
      },
    },
    async (request) => webhooks.deliveries(app.requireActor(request), request.params.id, request.query, request.apiKey),
  );

  app.post(
    '/:id/test',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Queue a webhook.test event (one attempt, also to a webhook that is off); its outcome appears in the delivery log',
        security,
        params: ZIdParams,
        response: { 202: ZWebhookDelivery, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await webhooks.sendTest(app.requireActor(request), request.params.id, request.apiKey)),
  );

  app.post(
    '/:id/rotate-secret',
    {
      config: signedIn,
      schema: {
        tags,
        summary: 'Replace the signing secret; the new one is shown only in this answer and signs every delivery from now on',
        security,
        params: ZIdParams,
        response: { 200: ZWebhookWithSecret, ...errorResponses },
      },
    },
    async (request) => webhooks.rotateSecret(app.requireActor(request), request.params.id, request.apiKey),
  );
};

export default webhookRoutes;
