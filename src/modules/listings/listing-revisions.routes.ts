import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { signedIn, staffOnly } from '../../plugins/auth.js';
import { ZNoteBody } from './listings.schemas.js';
import { ZListingRevision, ZRevisionQueueQuery } from './listing-revisions.schemas.js';

const tags = ['listings'];

/** Registered under /listings: the review of changes to published listings. */
const listingRevisionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { listingRevisions } = app.services;

  app.get(
    '/revisions',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: "Editors: the queue of pending revisions of published listings, oldest first, each field by field",
        security: bearer,
        querystring: ZRevisionQueueQuery,
        response: { 200: pageOf(ZListingRevision), ...errorResponses },
      },
    },
    async (request) => ({
      ...(await listingRevisions.queue(app.requireActor(request), request.query.limit, request.query.offset)),
      limit: request.query.limit,
      offset: request.query.offset,
    }),
  );

  app.get(
    '/:id/revision',
    {
      config: signedIn,
      schema: {
        tags,
        summary: "The listing's pending revision (else its latest), field by field against what is published: owner side and editors",
        security: bearer,
        params: ZIdParams,
        response: { 200: ZListingRevision, ...errorResponses },
      },
    },
    async (request) => listingRevisions.current(app.requireActor(request), request.params.id),
  );

  app.post(
    '/:id/revision/accept',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: accept the pending revision; it becomes the published version (search and matching follow)',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZListingRevision, ...errorResponses },
      },
    },
    async (request) => listingRevisions.accept(app.requireActor(request), request.params.id),
  );

  app.post(
    '/:id/revision/return',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: return the pending revision to its owner with a note; the published version stays',
        security: bearer,
        params: ZIdParams,
        body: ZNoteBody,
        response: { 200: ZListingRevision, ...errorResponses },
      },
    },
    async (request) => listingRevisions.returnWithNote(app.requireActor(request), request.params.id, request.body.note),
  );
};

export default listingRevisionRoutes;
