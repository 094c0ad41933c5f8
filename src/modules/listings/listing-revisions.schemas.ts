import { z } from 'zod';
import { LISTING_STATUSES } from '../vocabularies/enums.js';
import { REVIEWED_FIELDS } from './listing-revisions.js';

const ZFieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()])), z.null()]);

export const ZFieldChange = z.object({
  field: z.enum(REVIEWED_FIELDS),
  published: ZFieldValue.describe('The value the public sees now (for a decided revision: when it was decided)'),
  proposed: ZFieldValue,
});

export const ZListingRevision = z.object({
  id: z.uuid(),
  listingId: z.uuid(),
  reference: z.string(),
  listingTitle: z.string().describe('The published title'),
  listingStatus: z.enum(LISTING_STATUSES),
  listingVersion: z.number().int(),
  status: z.enum(['pending', 'accepted', 'returned', 'withdrawn']),
  baseVersion: z.number().int().describe('The listing version the proposal was last made against'),
  changes: z.array(ZFieldChange).describe('Field by field: what is published, what is proposed'),
  submittedById: z.uuid(),
  submittedAt: z.date(),
  updatedAt: z.date(),
  decidedById: z.uuid().nullable(),
  decidedAt: z.date().nullable(),
  note: z.string().nullable().describe("The editor's note when returned"),
});

export const ZRevisionQueueQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
