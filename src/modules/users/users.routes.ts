import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZIdParams, ZOk } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { ZPassword } from './users.schemas.js';
import {
  ZAdminUpdateUserBody,
  ZClientBody,
  ZLoginBody,
  ZMe,
  ZRefreshBody,
  ZRegisterBody,
  ZRegistered,
  REGISTERED_MESSAGE,
  ZSession,
  ZUser,
  ZUserListQuery,
} from './users.schemas.js';
import { adminOnly, signedIn } from '../../plugins/auth.js';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;
  const authRateLimit = { rateLimit: { max: app.config.auth.rateLimitPerMinute, timeWindow: '1 minute' } };

  app.post(
    '/register',
    {
      config: authRateLimit,
      schema: {
        tags: ['auth'],
        summary: 'Create an account (and its organisation) and mail a verification link; answers the same whether or not the address has an account',
        body: ZRegisterBody,
        response: { 202: ZRegistered, ...errorResponses },
      },
    },
    async (request, reply) => {
      await users.register(request.body);
      return reply.status(202).send({ ok: true as const, message: REGISTERED_MESSAGE });
    },
  );

  app.post(
    '/login',
    { config: authRateLimit, schema: { tags: ['auth'], summary: 'Log in: an access token and a refresh token', body: ZLoginBody, response: { 200: ZSession, ...errorResponses } } },
    async (request) => users.login(request.body.email, request.body.password),
  );

  app.post(
    '/refresh',
    { config: authRateLimit, schema: { tags: ['auth'], summary: 'Exchange a refresh token for a new pair (the old one is revoked)', body: ZRefreshBody, response: { 200: ZSession, ...errorResponses } } },
    async (request) => users.refresh(request.body.refreshToken),
  );

  app.post(
    '/logout',
    { schema: { tags: ['auth'], summary: 'Revoke a refresh token', body: ZRefreshBody, response: { 200: ZOk, ...errorResponses } } },
    async (request) => {
      await users.logout(request.body.refreshToken);
      return { ok: true as const };
    },
  );

  app.post(
    '/verify-email',
    { schema: { tags: ['auth'], summary: 'Confirm an e-mail address with the token from the mail', body: z.object({ token: z.string().min(10).max(200) }), response: { 200: ZOk, ...errorResponses } } },
    async (request) => {
      await users.verifyEmail(request.body.token);
      return { ok: true as const };
    },
  );

  app.post(
    '/verify-email/resend',
    { config: signedIn, schema: { tags: ['auth'], summary: 'Mail the e-mail verification link again', security: bearer, response: { 202: ZOk, ...errorResponses } } },
    async (request, reply) => {
      await users.resendVerification(app.requireActor(request));
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/password-reset',
    {
      config: authRateLimit,
      schema: {
        tags: ['auth'],
        summary: 'Mail a password reset link; answers the same whether or not the address has an account',
        body: z.object({ email: z.string().min(1).max(254) }),
        response: { 202: ZOk, ...errorResponses },
      },
    },
    async (request, reply) => {
      await users.requestPasswordReset(request.body.email);
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.post(
    '/password-reset/confirm',
    {
      config: authRateLimit,
      schema: { tags: ['auth'], summary: 'Set a new password with the token from the reset mail', body: z.object({ token: z.string().min(10).max(200), password: ZPassword }), response: { 200: ZOk, ...errorResponses } },
    },
    async (request) => {
      await users.confirmPasswordReset(request.body.token, request.body.password);
      return { ok: true as const };
    },
  );
};

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/me', { config: signedIn, schema: { tags: ['auth'], summary: 'The logged-in user, with the client organisations they act for', security: bearer, response: { 200: ZMe, ...errorResponses } } }, async (request) =>
    app.services.users.me(app.requireActor(request)),
  );
};

export const adminUserRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users } = app.services;

  app.get(
    '/users',
    { config: adminOnly, schema: { tags: ['admin'], summary: 'Users, filtered by role, organisation, or part of the name or e-mail', security: bearer, querystring: ZUserListQuery, response: { 200: pageOf(ZUser), ...errorResponses } } },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      return { ...(await users.list(filter, limit, offset)), limit, offset };
    },
  );

  app.patch(
    '/users/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Change a user’s role or organisation, or disable the account',
        security: bearer,
        params: ZIdParams,
        body: ZAdminUpdateUserBody,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => users.adminUpdate(app.requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/users/:id/clients',
    {
      config: adminOnly,
      schema: { tags: ['admin'], summary: 'Let an intermediary act for a client organisation', security: bearer, params: ZIdParams, body: ZClientBody, response: { 201: ZOk, ...errorResponses } },
    },
    async (request, reply) => {
      await users.addClient(app.requireActor(request), request.params.id, request.body.organizationId);
      return reply.status(201).send({ ok: true as const });
    },
  );

  app.delete(
    '/users/:id/clients/:organizationId',
    {
      config: adminOnly,
      schema: {
        tags: ['admin'],
        summary: 'Stop an intermediary acting for a client organisation',
        security: bearer,
        params: ZIdParams.extend({ organizationId: z.uuid() }),
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await users.removeClient(app.requireActor(request), request.params.id, request.params.organizationId);
      return { ok: true as const };
    },
  );
};
