import { z } from 'zod';
import { ZMatchFilters } from '../matching/matching.schemas.js';
import { LISTING_KINDS } from '../vocabularies/enums.js';

export const SAVED_SEARCH_KINDS = ['query', 'listing'] as const;
export const ALERT_FREQUENCIES = ['instant', 'daily'] as const;

/**
 * The filters of a saved search: those of search, without publishedAfter (an alert is about
 * listings published from now on anyway), plus the kind of listing wanted.
 */
export const ZSavedSearchFilters = ZMatchFilters.omit({ publishedAfter: true })
  .extend({ kind: z.enum(LISTING_KINDS).optional().describe('Offers or requests only') })
  .strict()
  .refine((filters) => filters.trlMin === undefined || filters.trlMax === undefined || filters.trlMin <= filters.trlMax, {
    path: ['trlMax'],
    message: 'must not be below trlMin',
  });
export type SavedSearchFilters = z.infer<typeof ZSavedSearchFilters>;

const ZName = z.string().trim().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' });
const ZQueryText = z.string().trim().max(200, { message: 'must be at most 200 characters' });

export const ZCreateSavedSearchBody = z.object({
  name: ZName,
  kind: z.enum(SAVED_SEARCH_KINDS).default('query').describe("'query': words and filters; 'listing': new matches for one of your listings"),
  query: ZQueryText.default('').describe('Search words, as in the search box (kind query)'),
  filters: ZSavedSearchFilters.default({}),
  listingId: z.uuid({ message: 'must be a UUID' }).optional().describe('One of your listings (kind listing)'),
  frequency: z.enum(ALERT_FREQUENCIES).default('daily').describe("'instant': a mail per match; 'daily': one digest a day"),
  active: z.boolean().default(true),
});
export type CreateSavedSearchBody = z.infer<typeof ZCreateSavedSearchBody>;

export const ZUpdateSavedSearchBody = z
  .object({
    name: ZName,
    query: ZQueryText,
    filters: ZSavedSearchFilters,
    frequency: z.enum(ALERT_FREQUENCIES),
    active: z.boolean(),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' });
export type UpdateSavedSearchBody = z.infer<typeof ZUpdateSavedSearchBody>;

export const ZSavedSearch = z.object({
  id: z.uuid(),
  kind: z.enum(SAVED_SEARCH_KINDS),
  name: z.string(),
  query: z.string(),
  filters: z.object({
    kind: z.enum(LISTING_KINDS).optional(),
    sector: z.array(z.string()).optional(),
    country: z.array(z.string()).optional(),
    targetCountry: z.array(z.string()).optional(),
    stage: z.array(z.string()).optional(),
    trlMin: z.number().int().optional(),
    trlMax: z.number().int().optional(),
    iprStatus: z.array(z.string()).optional(),
    partnershipType: z.array(z.string()).optional(),
    sdg: z.array(z.number().int()).optional(),
  }),
  listingId: z.uuid().nullable(),
  frequency: z.enum(ALERT_FREQUENCIES),
  active: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZUnsubscribeQuery = z.object({ token: z.string().min(1, { message: 'is required' }).max(200) });
export const ZUnsubscribeResult = z.object({
  ok: z.literal(true),
  deactivated: z.array(z.object({ id: z.uuid(), name: z.string() })).describe('Saved searches this link turned off (empty when already off)'),
});

export const ZDigestResult = z.object({
  users: z.number().int().describe('Users mailed a digest'),
  matches: z.number().int().describe('Matches delivered in those digests'),
  dropped: z.number().int().describe('Matches not mailed because the listing is no longer public'),
});
