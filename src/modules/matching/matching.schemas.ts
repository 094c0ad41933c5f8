import { z } from 'zod';
import { pageOf } from '../../lib/pagination.js';
import { ZPublicListing } from '../listings/listings.schemas.js';
import type { SearchFilters } from '../search/search.port.js';
import { ZSearchQuery } from '../search/search.schemas.js';

/** The narrowing filters of matches: those of search, with the same names and values. */
export const ZMatchFilters = ZSearchQuery.pick({
  sector: true,
  country: true,
  targetCountry: true,
  stage: true,
  trlMin: true,
  trlMax: true,
  iprStatus: true,
  partnershipType: true,
  sdg: true,
  publishedAfter: true,
});
export type MatchFilters = z.infer<typeof ZMatchFilters>;

export const ZMatchQuery = ZMatchFilters.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size, at most 100'),
  offset: z.coerce.number().int().min(0).max(1000).default(0),
}).refine((query) => query.trlMin === undefined || query.trlMax === undefined || query.trlMin <= query.trlMax, {
  path: ['trlMax'],
  message: 'must not be below trlMin',
});
export type MatchQuery = z.infer<typeof ZMatchQuery>;

/** The user-facing filter names turned into the search port's filters (without the internal ones). */
export function toSearchFilters(filters: MatchFilters): Omit<SearchFilters, 'validAt'> {
  return {
    ...(filters.sector?.length ? { sectors: filters.sector } : {}),
    ...(filters.country?.length ? { countries: filters.country } : {}),
    ...(filters.targetCountry?.length ? { targetCountries: filters.targetCountry } : {}),
    ...(filters.stage?.length ? { stages: filters.stage } : {}),
    ...(filters.trlMin !== undefined ? { trlMin: filters.trlMin } : {}),
    ...(filters.trlMax !== undefined ? { trlMax: filters.trlMax } : {}),
    ...(filters.iprStatus?.length ? { iprStatuses: filters.iprStatus } : {}),
    ...(filters.partnershipType?.length ? { partnershipTypes: filters.partnershipType } : {}),
    ...(filters.sdg?.length ? { sdgs: filters.sdg } : {}),
    ...(filters.publishedAfter ? { publishedAfter: filters.publishedAfter } : {}),
  };
}

const ZFit = z.enum(['good', 'partial', 'poor', 'unknown']);

export const ZMatchExplanation = z.object({
  summary: z.string(),
  fits: z.array(z.string()).describe('What fits, in words'),
  gaps: z.array(z.string()).describe('What does not fit, in words'),
  matchedTerms: z.array(z.string()).describe('Words both listings use that say what they are about (no stop words, no words every listing uses), most telling first'),
  matchedConcepts: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      sourcePhrase: z.string().describe('The words of the listing the matches are for'),
      relation: z.enum(['same', 'narrower', 'broader', 'related']).describe("How the matching listing's concept stands to it (narrower: a kind of it)"),
      candidateConceptId: z.string(),
      candidateLabel: z.string(),
      candidatePhrase: z.string().describe('The words of the matching listing'),
      evidence: z.number().min(0).max(1).describe('How strongly both texts support the concept (a phrase, repeats, the title count more than one incidental word)'),
    }),
  ),
  sharedSectors: z.array(z.string()),
  partnership: z.object({ fit: ZFit, offered: z.array(z.string()), sought: z.array(z.string()), shared: z.array(z.string()) }),
  trl: z.object({ fit: ZFit, offerTrl: z.number().int(), neededMin: z.number().int(), neededMax: z.number().int() }),
  country: z.object({ fit: ZFit }),
  components: z.record(z.string(), z.number()).describe('Each signal from 0 to 1'),
});

const ZMatchLabel = z
  .enum(['strong', 'possible', 'weak'])
  .describe('What the score means, calibrated on a labelled set: strong (an answer), possible (worth a look), weak (not an answer)');

export const ZMatch = z.object({
  score: z.number().int().min(0).max(100),
  label: ZMatchLabel,
  explanation: ZMatchExplanation,
  listing: ZPublicListing,
});

export const ZMatchSummary = z.object({
  strongMatches: z.number().int(),
  possibleMatches: z.number().int(),
  noStrongMatch: z.boolean().describe('True when no match is strong: the list then holds nothing to present as an answer'),
  message: z.string().describe('One sentence for the person who asked, e.g. "No strong offer match yet; …"'),
});

/** A page of matches, with what the whole list amounts to. */
export const ZMatchPage = pageOf(ZMatch).extend({ summary: ZMatchSummary });
