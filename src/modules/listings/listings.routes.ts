import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { ZAuditEntry } from '../audit/audit.schemas.js';
import type { ListingAction } from './listing-lifecycle.js';
import { ZListingRevision } from './listing-revisions.schemas.js';
import {
  ZCreateListingBody,
  ZListing,
  ZListingQuery,
  ZListingView,
  ZNoteBody,
  ZOptionalNoteBody,
  ZUpdateListingBody,
} from './listings.schemas.js';
import { signedIn } from '../../plugins/auth.js';

const ACTIONS: { action: Exclude<ListingAction, 'expire'>; summary: string; noteRequired: boolean }[] = [
  { action: 'submit', summary: 'Submit a draft (or a returned listing) for validation', noteRequired: false },
  { action: 'publish', summary: 'Editors: publish a submitted listing (valid 12 months)', noteRequired: false },
  { action: 'return', summary: 'Editors: return for revision with a note', noteRequired: true },
  { action: 'reject', summary: 'Editors: reject with a note', noteRequired: true },
  { action: 'hold', summary: 'Editors: put a published listing on hold with a note', noteRequired: true },
  { action: 'withdraw', summary: 'Owner: withdraw the listing', noteRequired: false },
  { action: 'renew', summary: 'Owner: renew for 12 more months (once)', noteRequired: false },
  { action: 'archive', summary: 'Archive an expired, withdrawn or rejected listing', noteRequired: false },
];

const listingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { listings } = app.services;

  app.post(
    '',
    {
      config: signedIn,
      schema: {
        tags: ['listings'],
        summary: 'Create a technology offer or request (as a draft)',
        security: bearer,
        body: ZCreateListingBody,
        response: { 201: ZListing, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await listings.create(app.requireActor(request), request.body)),
  );

  app.get(
    '',
    {
      schema: {
        tags: ['listings'],
        summary: 'Listings: published ones for everyone; others for those allowed to see them',
        querystring: ZListingQuery,
        response: { 200: pageOf(ZListingView), ...errorResponses },
      },
    },
    async (request) => ({ ...(await listings.list(request.actor, request.query)), limit: request.query.limit, offset: request.query.offset }),
  );

  app.get(
    '/:id',
    { schema: { tags: ['listings'], summary: 'A listing: published ones for everyone; others for those allowed to see them', params: ZIdParams, response: { 200: ZListingView, ...errorResponses } } },
    async (request) => {
      const listing = await listings.get(request.actor, request.params.id);
      if (listing.status === 'published' && !('organizationId' in listing)) app.services.listingCounters.recordView(listing.id);
      return listing;
    },
  );

  app.patch(
    '/:id',
    {
      config: signedIn,
      schema: {
        tags: ['listings'],
        summary: 'Edit a draft, returned, published or on-hold listing',
        description:
          "The owner side's changes to a published listing's public content are reviewed: they are stored as its pending revision " +
          '(202, with the revision field by field) and the published version stays until an editor accepts them. Turning a listing ' +
          "anonymous applies at once. Editors' edits apply at once (200).",
        security: bearer,
        params: ZIdParams,
        body: ZUpdateListingBody,
        response: { 200: ZListing, 202: ZListingRevision, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await listings.update(app.requireActor(request), request.params.id, request.body);
      return result.outcome === 'revision' ? reply.status(202).send(result.revision) : reply.status(200).send(result.listing);
    },
  );

  app.get(
    '/:id/history',
    {
      config: signedIn,
      schema: {
        tags: ['listings'],
        summary: 'The audit trail of a listing (owner side, editors, admins)',
        security: bearer,
        params: ZIdParams,
        response: { 200: z.object({ items: z.array(ZAuditEntry) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listings.history(app.requireActor(request), request.params.id) }),
  );

  for (const { action, summary, noteRequired } of ACTIONS) {
    app.post(
      `/:id/${action}`,
      {
      config: signedIn,
        schema: {
          tags: ['listings'],
          summary,
          security: bearer,
          params: ZIdParams,
          body: noteRequired ? ZNoteBody : ZOptionalNoteBody,
          response: { 200: ZListing, ...errorResponses },
        },
      },
      async (request) => listings.transition(app.requireActor(request), request.params.id, action, request.body?.note),
    );
  }
};

export default listingRoutes;
