import { z } from 'zod';
import { ZListingQuery, ZPublicListing } from '../listings/listings.schemas.js';
import { FACET_FIELDS } from './search.port.js';

export const SEARCH_SORTS = ['relevance', 'newest'] as const;
/** Deeper pages are not served: Meilisearch ranks at most this many hits (its maxTotalHits). */
export const MAX_SEARCH_WINDOW = 10_000;

const ZTimestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).transform((value) => new Date(value));

// The filters are the listing list's own (same controlled lists, same `a,b` or repeated syntax);
// there is deliberately no organisation filter: it would tell who stands behind anonymous listings.
/** The attribute filters of search, shared by every reader of search results (the Atom feeds too). */
export const ZSearchFilters = ZListingQuery.pick({
  kind: true,
  sector: true,
  country: true,
  targetCountry: true,
  stage: true,
  trlMin: true,
  trlMax: true,
  iprStatus: true,
  partnershipType: true,
  sdg: true,
});

export const ZSearchQuery = ZSearchFilters.extend({
  limit: ZListingQuery.shape.limit,
  q: z
    .string()
    .max(500, { message: 'must be at most 500 characters' })
    .default('')
    .describe('Words (all required, typos tolerated), "exact phrases", -excluded words, `or` between two terms'),
  publishedAfter: ZTimestamp.optional().describe('ISO date or date-time: only listings published at or after it'),
  sort: z.enum(SEARCH_SORTS).default('relevance').describe('relevance (newest first when q is empty) or newest'),
  offset: z.coerce.number().int().min(0).max(MAX_SEARCH_WINDOW).default(0),
});
export type SearchApiQuery = z.infer<typeof ZSearchQuery>;

const ZHighlights = z
  .object({
    title: z.string().optional(),
    summary: z.string().optional(),
    description: z.string().optional(),
    details: z.string().optional(),
    keywords: z.string().optional(),
  })
  .describe('Matched fragments of the fields, HTML-escaped, with <mark>…</mark> around the matches');

export const ZSearchHit = ZPublicListing.extend({
  score: z.number().min(0).max(1).describe('Relevance within this result, 1 for the best hit; 0 without query text'),
  highlights: ZHighlights,
});

const ZFacetCounts = z.record(z.string(), z.number().int());
export const ZSearchFacets = z.object(Object.fromEntries(FACET_FIELDS.map((field) => [field, ZFacetCounts])) as Record<(typeof FACET_FIELDS)[number], typeof ZFacetCounts>);

export const ZSearchResponse = z.object({
  items: z.array(ZSearchHit),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  facets: ZSearchFacets.describe('Hit counts per value of each field, over all hits of the query and filters'),
  approximate: z.boolean().describe('True when total and facet counts are estimates (very broad queries on the built-in engine)'),
});

export const ZReindexRun = z.object({
  id: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  total: z.number().int().nullable().describe('Published listings when the rebuild started (those past their expiry are left out of the index)'),
  indexed: z.number().int().describe('Listings written to the new index so far'),
  error: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
});

export const ZSearchStatus = z.object({
  engine: z.enum(['postgres', 'meilisearch']),
  available: z.boolean(),
  error: z.string().nullable().describe('Why the engine did not answer, when it did not'),
  documents: z.number().int().nullable(),
  publishedListings: z.number().int().describe('Published listings in the database: what the index should hold, give or take those just expired'),
  pendingJobs: z.number().int(),
  failedJobs: z.number().int().describe('Kept for inspection: GET /api/v1/admin/jobs?queue=search&status=failed'),
  oldestPendingAt: z.date().nullable(),
  lastSyncAt: z.date().nullable().describe('When an index job last finished'),
  lagSeconds: z.number().describe('Age of the oldest pending index job; 0 when the index is up to date'),
  reindex: ZReindexRun.nullable().describe('The latest rebuild asked for (POST /api/v1/admin/search/reindex)'),
});
