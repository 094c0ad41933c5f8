import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { isStaff } from '../users/users.rules.js';
import { toOrganization, toPublicOrganization } from './organizations.service.js';
import {
  ZOrganization,
  ZOrganizationInput,
  ZOrganizationListQuery,
  ZOrganizationPatch,
  ZOrganizationPublic,
} from './organizations.schemas.js';
import { signedIn } from '../../plugins/auth.js';

const organizationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { organizations } = app.services;

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['organizations'],
        summary: 'Create an organisation (admins; intermediaries create clients they then represent)',
        security: bearer,
        body: ZOrganizationInput,
        response: { 201: ZOrganization, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(toOrganization(await organizations.create(app.requireActor(request), request.body))),
  );

  app.get(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['organizations'],
        summary: 'Organisations: all for editors and admins, own and client organisations for others',
        security: bearer,
        querystring: ZOrganizationListQuery,
        response: { 200: pageOf(ZOrganization), ...errorResponses },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const { limit, offset, ...filter } = request.query;
      const ids = isStaff(actor)
        ? undefined
        : await app.services.users.organizationsActedFor(actor);
      const { items, total } = await organizations.list({ ...filter, ids }, limit, offset);
      return { items: items.map(toOrganization), total, limit, offset };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags: ['organizations'],
        summary: 'An organisation; contacts only for its members, intermediaries, editors and admins',
        params: ZIdParams,
        response: { 200: z.union([ZOrganization, ZOrganizationPublic]), ...errorResponses },
      },
    },
    async (request) => {
      const row = await organizations.get(request.params.id);
      return (await organizations.canSeeContacts(request.actor, row.id)) ? toOrganization(row) : toPublicOrganization(row);
    },
  );

  app.patch(
    '/:id',
    {
      config: signedIn,
      schema: { tags: ['organizations'], summary: 'Change an organisation (its members, intermediaries acting for it, admins)', security: bearer, params: ZIdParams, body: ZOrganizationPatch, response: { 200: ZOrganization, ...errorResponses } },
    },
    async (request) => toOrganization(await organizations.update(app.requireActor(request), request.params.id, request.body)),
  );
};

export default organizationRoutes;
