import { countryName } from '../vocabularies/countries.js';
import { DAY_MS } from '../../lib/clock.js';
import { labelOf, SECTORS } from '../vocabularies/enums.js';
import type { EntryListing } from './techmonitor.schemas.js';

// Ranking of suggestions for an issue: pure and deterministic (the same data always gives the same
// list), so an editor who reloads sees the same order and tests can pin it down.

export interface SuggestionCandidate {
  listing: EntryListing;
  /** The engine's relevance for the theme query, 0..1 within the result. */
  relevance: number;
  /** Theme concepts the listing speaks of, as readable labels. */
  matchedConcepts: string[];
}

export interface RankInput {
  candidates: SuggestionCandidate[];
  themeSectors: readonly string[];
  /** Entries the issue already holds: new picks are diversified against them too. */
  alreadySelected: EntryListing[];
  /** Concept ids of a listing's text, for likeness between listings. */
  conceptsOf: (listing: EntryListing) => ReadonlySet<string>;
  /** Open slots per kind: picks are balanced in this proportion. */
  targets: { offers: number; requests: number };
  now: Date;
  limit: number;
}

export interface RankedSuggestion {
  rank: number;
  listing: EntryListing;
  score: number;
  reason: string;
  signals: {
    relevance: number;
    sectorOverlap: number;
    completeness: number;
    freshness: number;
    likeness: number;
    matchedConcepts: string[];
    sharedSectors: string[];
  };
}

/**
 * Relevance to the theme leads; completeness favours listings a reader can act on (what is new,
 * IPR, TRL, where it is wanted), freshness favours listings whose owners are still watching.
 */
export const BASE_WEIGHTS = { relevance: 0.55, completeness: 0.25, freshness: 0.2 } as const;
/** Within relevance: the engine's text score, the theme concepts named, the sectors shared. */
export const RELEVANCE_WEIGHTS = { engine: 0.45, concepts: 0.25, sectors: 0.3 } as const;
/** How much likeness to earlier picks costs: enough that a near-duplicate drops below a distinct, slightly weaker listing. */
export const DIVERSITY_PENALTY = 0.35;
/** What makes two listings alike for a reader of one issue. */
export const LIKENESS_WEIGHTS = { country: 0.4, sectors: 0.3, concepts: 0.3 } as const;

const CONCEPT_SATURATION = 2;
const FRESH_DAYS = 30;
const STALE_DAYS = 365;

export const sectorLabel = (code: string) => labelOf(SECTORS, code);

/** Share of the six fields a good listing fills (advantages/specification, keywords, IPR, TRL, SDGs, target countries). */
export function completeness(listing: EntryListing): number {
  const details = listing.kind === 'offer' ? listing.advantages : listing.specificationSought;
  const present = [
    Boolean(details && details.trim()),
    listing.keywords.length > 0,
    Boolean(listing.iprStatus),
    listing.trl >= 1 && listing.trl <= 9,
    listing.sdgs.length > 0,
    listing.targetCountries.length > 0,
  ];
  return present.filter(Boolean).length / present.length;
}

export function freshness(listing: EntryListing, now: Date): number {
  if (!listing.publishedAt) return 0;
  const ageDays = (now.getTime() - listing.publishedAt.getTime()) / DAY_MS;
  if (ageDays <= FRESH_DAYS) return 1;
  return Math.max(0, 1 - (ageDays - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS));
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const value of a) if (b.has(value)) shared++;
  return shared / (a.size + b.size - shared);
}

interface Profile {
  listing: EntryListing;
  sectors: ReadonlySet<string>;
  concepts: ReadonlySet<string>;
}

function likeness(a: Profile, b: Profile): number {
  return (
    LIKENESS_WEIGHTS.country * (a.listing.country === b.listing.country ? 1 : 0) +
    LIKENESS_WEIGHTS.sectors * jaccard(a.sectors, b.sectors) +
    LIKENESS_WEIGHTS.concepts * jaccard(a.concepts, b.concepts)
  );
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Greedy maximal-marginal-relevance selection: each step takes, within the kind furthest behind
 * its target share, the candidate whose base score minus its likeness to everything already picked
 * is highest (ties to the smaller id).
 */
export function rankSuggestions(input: RankInput): RankedSuggestion[] {
  const themeSectors = new Set(input.themeSectors);
  const profile = (listing: EntryListing): Profile => ({ listing, sectors: new Set(listing.sectors), concepts: input.conceptsOf(listing) });
  const pool = input.candidates
    .map((candidate) => {
      const sharedSectors = candidate.listing.sectors.filter((sector) => themeSectors.has(sector));
      const sectorOverlap = themeSectors.size === 0 ? 0 : sharedSectors.length / Math.min(themeSectors.size, candidate.listing.sectors.length);
      const conceptSignal = Math.min(1, candidate.matchedConcepts.length / CONCEPT_SATURATION);
      const relevance =
        RELEVANCE_WEIGHTS.engine * candidate.relevance + RELEVANCE_WEIGHTS.concepts * conceptSignal + RELEVANCE_WEIGHTS.sectors * sectorOverlap;
      const complete = completeness(candidate.listing);
      const fresh = freshness(candidate.listing, input.now);
      return {
        candidate,
        profile: profile(candidate.listing),
        sharedSectors,
        sectorOverlap,
        relevance,
        completeness: complete,
        freshness: fresh,
        base: BASE_WEIGHTS.relevance * relevance + BASE_WEIGHTS.completeness * complete + BASE_WEIGHTS.freshness * fresh,
        maxLikeness: 0,
      };
    })
    .sort((a, b) => (a.candidate.listing.id < b.candidate.listing.id ? -1 : 1));

  const picked: Profile[] = input.alreadySelected.map(profile);
  for (const item of pool) for (const other of picked) item.maxLikeness = Math.max(item.maxLikeness, likeness(item.profile, other));
  const seenCountries = new Set(picked.map((p) => p.listing.country));
  const seenSectors = new Set(picked.flatMap((p) => [...p.sectors]));

  const weights = input.targets.offers + input.targets.requests > 0 ? input.targets : { offers: 1, requests: 1 };
  const pickedByKind = { offer: 0, request: 0 };
  const result: RankedSuggestion[] = [];
  const remaining = new Set(pool);

  while (result.length < input.limit && remaining.size > 0) {
    const kind = nextKind(weights, pickedByKind, remaining);
    let best: (typeof pool)[number] | undefined;
    let bestScore = -Infinity;
    for (const item of pool) {
      if (!remaining.has(item) || item.candidate.listing.kind !== kind) continue;
      const score = item.base - DIVERSITY_PENALTY * item.maxLikeness;
      // Strictly greater keeps the earlier (smaller) id on ties: pool is sorted by id.
      if (score > bestScore) {
        best = item;
        bestScore = score;
      }
    }
    if (!best) break;
    remaining.delete(best);
    pickedByKind[kind]++;
    const listing = best.candidate.listing;
    result.push({
      rank: result.length + 1,
      listing,
      score: round(bestScore),
      reason: reasonFor(best, seenCountries, seenSectors),
      signals: {
        relevance: round(best.relevance),
        sectorOverlap: round(best.sectorOverlap),
        completeness: round(best.completeness),
        freshness: round(best.freshness),
        likeness: round(best.maxLikeness),
        matchedConcepts: best.candidate.matchedConcepts,
        sharedSectors: best.sharedSectors,
      },
    });
    seenCountries.add(listing.country);
    for (const sector of listing.sectors) seenSectors.add(sector);
    for (const item of remaining) item.maxLikeness = Math.max(item.maxLikeness, likeness(item.profile, best.profile));
  }
  return result;
}

/** The kind furthest behind its share of the targets that still has candidates (offers on a tie). */
function nextKind(
  weights: { offers: number; requests: number },
  picked: { offer: number; request: number },
  remaining: ReadonlySet<{ candidate: SuggestionCandidate }>,
): 'offer' | 'request' {
  const available = { offer: false, request: false };
  for (const item of remaining) available[item.candidate.listing.kind] = true;
  if (!available.request) return 'offer';
  if (!available.offer) return 'request';
  if (weights.requests === 0) return 'offer';
  if (weights.offers === 0) return 'request';
  return (picked.offer + 1) / weights.offers <= (picked.request + 1) / weights.requests ? 'offer' : 'request';
}

function reasonFor(
  item: { candidate: SuggestionCandidate; sharedSectors: string[]; completeness: number; freshness: number; maxLikeness: number },
  seenCountries: ReadonlySet<string>,
  seenSectors: ReadonlySet<string>,
): string {
  const { listing, matchedConcepts, relevance } = item.candidate;
  const parts: string[] = [];
  if (matchedConcepts.length > 0) parts.push(`speaks to the theme (${matchedConcepts.slice(0, 3).join(', ')})`);
  else if (relevance > 0) parts.push('matches words of the theme');
  if (item.sharedSectors.length > 0) parts.push(`in the theme's sector${item.sharedSectors.length > 1 ? 's' : ''} ${item.sharedSectors.map(sectorLabel).join(' and ')}`);
  if (item.completeness === 1) parts.push('complete profile');
  else if (item.completeness < 0.7) parts.push('profile partly incomplete');
  if (item.freshness === 1) parts.push('recently published');
  const adds: string[] = [];
  if (!seenCountries.has(listing.country)) adds.push(countryName(listing.country) ?? listing.country);
  const newSectors = listing.sectors.filter((sector) => !seenSectors.has(sector));
  if (newSectors.length > 0) adds.push(newSectors.map(sectorLabel).join(', '));
  if (adds.length > 0) parts.push(`adds ${adds.join(' and ')} to the selection`);
  else if (item.maxLikeness > 0.5) parts.push('close to an entry ranked above it');
  const sentence = parts.join('; ');
  return `${listing.kind === 'offer' ? 'Offer' : 'Request'} ${sentence.length > 0 ? sentence : 'in the pool of published listings'}.`;
}
