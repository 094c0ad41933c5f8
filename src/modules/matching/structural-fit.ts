import { regionOf } from '../vocabularies/countries.js';
import type { PartnershipType } from '../vocabularies/enums.js';
import type { MatchProfile } from './listing-analysis.js';
import { clamp01 } from './text-relevance.js';

// Whether a deal can actually happen between an offer and a request: sectors, partnership types,
// maturity, countries, and how fresh the candidate is. Facts and scores only; explanation.ts puts
// them into words.

/**
 * Structural compatibility. Sectors first: a shared sector confirms the text is read in the right
 * field. Partnership types and TRL decide whether the deal both sides want is possible, the most
 * common reason an introduction goes nowhere. Countries weigh less because most listings are open
 * to partners anywhere; freshness only breaks near-ties in favour of listings still being watched.
 */
export const STRUCTURE_WEIGHTS = { sectors: 0.3, partnership: 0.25, trl: 0.25, country: 0.12, freshness: 0.08 } as const;

/**
 * The offer TRL range each partnership type needs: joint research starts from an idea or a lab
 * result; co-development needs something validated in the lab (TRL 4); a licensee must be able to
 * build it (TRL 6); buying, supply and commercial agreements need a product proven in operation (7).
 */
const TRL_NEEDED_BY_PARTNERSHIP: Record<PartnershipType, readonly [number, number]> = {
  research_cooperation: [1, 6],
  technical_cooperation: [4, 9],
  licence: [6, 9],
  commercial_agreement_with_technical_assistance: [7, 9],
  manufacturing_supply: [7, 9],
  ip_sale_assignment: [4, 9],
  joint_venture: [5, 9],
  investment_finance: [3, 9],
};
/**
 * A request's own stage and TRL say the least maturity it accepts (on the market: a ready product).
 * Up to TRL 7, a working product in operation; beyond that, more maturity is a preference, not a
 * requirement, so it is not held against an offer.
 */
const REQUIRED_TRL_CAP = 7;

/** Partnership types close enough that a deal of one can usually be arranged as the other. */
const RELATED_PARTNERSHIPS: readonly (readonly [PartnershipType, PartnershipType])[] = [
  ['licence', 'ip_sale_assignment'],
  ['licence', 'manufacturing_supply'],
  ['technical_cooperation', 'research_cooperation'],
  ['technical_cooperation', 'commercial_agreement_with_technical_assistance'],
  ['commercial_agreement_with_technical_assistance', 'manufacturing_supply'],
  ['joint_venture', 'investment_finance'],
];

/** Listings younger than this are fully fresh; freshness then falls to zero at the end of a validity year. */
const FRESH_DAYS = 30;
const STALE_DAYS = 365;
const DAY_MS = 86_400_000;

/** How a listing's target countries welcome the other side's country. */
export const TARGET_FIT = { country: 1, region: 0.6, none: 0.8, elsewhere: 0.1 } as const;

export type Fit = 'good' | 'partial' | 'poor' | 'unknown';

/** One side's target countries against the other side's country. */
export interface CountrySide {
  who: 'offer' | 'request';
  targets: readonly string[];
  fit: number;
  /** The country of the other side, and what that side is. */
  partnerCountry: string;
  partner: 'requester' | 'provider';
}

export interface StructuralFit {
  sectors: { score: number; shared: string[] };
  partnership: { fit: Fit; score: number; shared: string[] };
  trl: { fit: Fit; score: number; neededMin: number; neededMax: number; basis: TrlBasis };
  country: { fit: Fit; score: number; sides: CountrySide[] };
  freshness: number;
  /** The weighted sum, 0..1. */
  structure: number;
}

/** Structural fit of `candidate` as an answer to `source` (one is an offer, the other a request). */
export function structuralFit(source: MatchProfile, candidate: MatchProfile, now: Date): StructuralFit {
  const offer = source.kind === 'offer' ? source : candidate;
  const request = source.kind === 'offer' ? candidate : source;
  const sharedSectors = source.sectors.filter((sector) => candidate.sectors.includes(sector));
  const sectors = { score: sharedSectors.length / Math.max(1, Math.min(source.sectors.length, candidate.sectors.length)), shared: sharedSectors };
  const partnership = partnershipFit(offer.partnershipTypes, request.partnershipTypes);
  const trl = trlFit(offer.trl, request);
  const country = countryFit(offer, request);
  const freshness = freshnessOf(candidate.publishedAt, now);
  const structure =
    STRUCTURE_WEIGHTS.sectors * sectors.score +
    STRUCTURE_WEIGHTS.partnership * partnership.score +
    STRUCTURE_WEIGHTS.trl * trl.score +
    STRUCTURE_WEIGHTS.country * country.score +
    STRUCTURE_WEIGHTS.freshness * freshness;
  return { sectors, partnership, trl, country, freshness, structure };
}

function partnershipFit(offered: readonly string[], sought: readonly string[]) {
  const shared = sought.filter((type) => offered.includes(type));
  if (shared.length) return { fit: 'good' as Fit, score: 1, shared };
  const related = RELATED_PARTNERSHIPS.some(([a, b]) => (offered.includes(a) && sought.includes(b)) || (offered.includes(b) && sought.includes(a)));
  return related ? { fit: 'partial' as Fit, score: 0.5, shared } : { fit: 'poor' as Fit, score: 0, shared };
}

/** What sets the least maturity a request accepts: its own stage, the partnerships it seeks, or nothing stated. */
export type TrlBasis = 'stage' | 'partnership' | 'none';

/** The TRL range a request needs, from the partnerships it seeks and the maturity it states. */
export function neededTrl(request: Pick<MatchProfile, 'partnershipTypes' | 'stage' | 'trl'>): { min: number; max: number; basis: TrlBasis } {
  const ranges = request.partnershipTypes
    .map((type) => TRL_NEEDED_BY_PARTNERSHIP[type as PartnershipType])
    .filter((range): range is readonly [number, number] => range !== undefined);
  const byPartnership = ranges.length ? Math.min(...ranges.map(([low]) => low)) : 1;
  const max = ranges.length ? Math.max(...ranges.map(([, high]) => high)) : 9;
  const byStage = Math.min(request.trl, REQUIRED_TRL_CAP);
  const min = Math.max(byPartnership, byStage);
  const basis: TrlBasis = byStage > byPartnership ? 'stage' : ranges.length ? 'partnership' : 'none';
  return { min, max: Math.max(min, max), basis };
}

function trlFit(offerTrl: number, request: MatchProfile) {
  const needed = neededTrl(request);
  let score: number;
  if (offerTrl < needed.min) score = Math.max(0, 1 - (needed.min - offerTrl) / 3);
  // A technology more mature than asked for is a milder mismatch than one not ready.
  else if (offerTrl > needed.max) score = Math.max(0.4, 1 - 0.15 * (offerTrl - needed.max));
  else score = 1;
  const fit: Fit = score >= 1 ? 'good' : score >= 0.5 ? 'partial' : 'poor';
  return { score, fit, neededMin: needed.min, neededMax: needed.max, basis: needed.basis };
}

/** Whether `targets` (a listing's target countries) welcome a partner from `country`. */
function targetFit(targets: readonly string[], country: string): number {
  if (targets.length === 0) return TARGET_FIT.none;
  if (targets.includes(country)) return TARGET_FIT.country;
  const region = regionOf(country);
  if (region && targets.some((target) => regionOf(target) === region)) return TARGET_FIT.region;
  return TARGET_FIT.elsewhere;
}

function countryFit(offer: MatchProfile, request: MatchProfile) {
  const toRequester = targetFit(offer.targetCountries, request.country);
  const toProvider = targetFit(request.targetCountries, offer.country);
  const score = (toRequester + toProvider) / 2;
  const sides: CountrySide[] = [
    { who: 'offer', targets: offer.targetCountries, fit: toRequester, partnerCountry: request.country, partner: 'requester' },
    { who: 'request', targets: request.targetCountries, fit: toProvider, partnerCountry: offer.country, partner: 'provider' },
  ];
  const fit: Fit = score >= 0.8 ? 'good' : score >= 0.5 ? 'partial' : 'poor';
  return { score, fit, sides };
}

function freshnessOf(publishedAt: Date | null, now: Date) {
  if (!publishedAt) return 1;
  const ageDays = (now.getTime() - publishedAt.getTime()) / DAY_MS;
  if (ageDays <= FRESH_DAYS) return 1;
  return clamp01(1 - (ageDays - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS));
}
