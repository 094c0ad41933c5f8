import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { signedIn } from '../../plugins/auth.js';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { ZApiKey, ZApiKeyListQuery, ZCreateApiKeyBody, ZCreatedApiKey } from './apikeys.schemas.js';

const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys } = app.services;

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (admins for any organisation, intermediaries for their own); the key is shown only in this answer',
        security: bearer,
        body: ZCreateApiKeyBody,
        response: { 201: ZCreatedApiKey, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await apiKeys.create(app.requireActor(request), request.body)),
  );

  app.get(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['api-keys'],
        summary: 'API keys with their scopes and last use (never the keys themselves)',
        security: bearer,
        querystring: ZApiKeyListQuery,
        response: { 200: z.object({ items: z.array(ZApiKey) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await apiKeys.list(app.requireActor(request), request.query.organizationId) }),
  );

  app.post(
    '/:id/revoke',
    {
      config: signedIn,
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key: it stops working at once',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZApiKey, ...errorResponses },
      },
    },
    async (request) => apiKeys.revoke(app.requireActor(request), request.params.id),
  );
};

export default apiKeyRoutes;
