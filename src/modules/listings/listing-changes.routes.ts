import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas.js';
import { LISTING_STATUSES } from '../vocabularies/enums.js';
import { ZListingView } from './listings.schemas.js';

// The change feed of incremental sync: every listing changed since a moment, oldest change first,
// listings still in the client's view whole and those that left it (withdrawn, expired, on hold,
// archived) as tombstones. A client stores `next` and asks again with it.

const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|([0-9a-f-]{36})$/;

const ZCursor = z
  .string()
  .transform((value, ctx) => {
    const match = CURSOR.exec(Buffer.from(value, 'base64url').toString('utf8'));
    if (!match) {
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this service gave out' });
      return z.NEVER;
    }
    return { updatedAt: new Date(match[1]!), id: match[2]! };
  });

const ZChangesQuery = z.object({
  since: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .transform((value) => new Date(value))
    .default(new Date(0))
    .describe('Changes at or after this time'),
  cursor: ZCursor.optional().describe('The `next` of the previous page (takes the place of since)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const ZChange = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.enum(LISTING_STATUSES),
  updatedAt: z.date(),
  listing: ZListingView.nullable().describe('The listing as the client may read it; null for a tombstone (it left the client’s view: delete it)'),
});

const listingChangeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/changes',
    {
      schema: {
        tags: ['listings'],
        summary: 'Incremental sync: listings changed since a time, with tombstones for those that left view',
        querystring: ZChangesQuery,
        response: { 200: z.object({ items: z.array(ZChange), next: z.string().nullable().describe('Pass as cursor for the next page; null when up to date') }), ...errorResponses },
      },
    },
    async (request) => {
      const { items, next } = await app.services.listings.changes(request.actor, request.query.since, request.query.cursor ?? null, request.query.limit);
      return { items, next: next ? Buffer.from(`${next.updatedAt.toISOString()}|${next.id}`).toString('base64url') : null };
    },
  );
};

export default listingChangeRoutes;
