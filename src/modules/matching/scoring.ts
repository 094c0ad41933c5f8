import { regionOf, REGIONS } from '../vocabularies/countries.js';
import { DAY_MS } from '../../lib/clock.js';
import { labelOf, PARTNERSHIP_TYPES, SECTORS, STAGES, type ListingKind, type PartnershipType } from '../vocabularies/enums.js';
import { VOCABULARY_FINGERPRINT, conceptHits, conceptRelation, type ConceptHit, type ConceptRelation } from './concept-hits.js';
import { salientTerms, stems, type WeightedTerm } from './text.js';

// How well a candidate answers a listing: text relevance (what the need or technology is) scaled by
// structural compatibility (whether a deal can actually happen). Pure and deterministic: the same
// two listings and engine score always give the same score and explanation, on any engine.

/** What scoring needs to know of a listing. */
export interface MatchProfile {
  id: string;
  kind: ListingKind;
  title: string;
  summary: string;
  description: string;
  /** advantages (offers) or specification sought (requests) */
  details: string;
  keywords: readonly string[];
  sectors: readonly string[];
  stage: string;
  trl: number;
  partnershipTypes: readonly string[];
  targetCountries: readonly string[];
  /** The owner organisation's country. */
  country: string;
  publishedAt: Date | null;
}

/** A listing with its text analysed once, so scoring it against many others stays cheap. */
export interface AnalyzedListing {
  profile: MatchProfile;
  terms: WeightedTerm[];
  /**
   * The stems of its text; of a candidate loaded to be scored against one listing, only those
   * among that listing's salient terms (all that scoring reads of them).
   */
  stemSet: ReadonlySet<string>;
  /** Concepts found in the listing's text, by concept id, with the phrase that evoked each. */
  concepts: ReadonlyMap<string, ConceptHit>;
}

export function fullText(profile: MatchProfile): string {
  return [profile.title, profile.keywords.join('. '), profile.summary, profile.description, profile.details].join('\n');
}

export function analyzeListing(profile: MatchProfile): AnalyzedListing {
  const text = fullText(profile);
  const concepts = new Map<string, ConceptHit>();
  for (const hit of conceptHits(text)) if (!concepts.has(hit.id)) concepts.set(hit.id, hit);
  return { profile, terms: salientTerms(profile), stemSet: new Set(stems(text)), concepts };
}

/**
 * The text analysis in a form to store (listing_match_features: the stems in a column of their
 * own), tagged with the vocabulary it used.
 */
export interface StoredFeatures {
  vocabulary: string;
  terms: [stem: string, word: string, weight: number][];
  concepts: [id: string, label: string, phrase: string][];
}

export function toStoredFeatures(analyzed: AnalyzedListing): { features: StoredFeatures; stems: string[] } {
  return {
    features: {
      vocabulary: VOCABULARY_FINGERPRINT,
      terms: analyzed.terms.map((term) => [term.stem, term.word, term.weight]),
      concepts: [...analyzed.concepts.values()].map((hit) => [hit.id, hit.label, hit.phrase]),
    },
    stems: [...analyzed.stemSet],
  };
}

/** The stored analysis back, or null when it was made with another vocabulary (analyse again). */
export function fromStoredFeatures(profile: MatchProfile, stored: StoredFeatures, stems: readonly string[]): AnalyzedListing | null {
  if (stored.vocabulary !== VOCABULARY_FINGERPRINT) return null;
  return {
    profile,
    terms: stored.terms.map(([stem, word, weight]) => ({ stem, word, weight })),
    stemSet: new Set(stems),
    concepts: new Map(stored.concepts.map(([id, label, phrase]) => [id, { id, label, phrase }])),
  };
}

// ---- Weights ---------------------------------------------------------------------------------

/**
 * Text relevance. Concepts weigh most because seekers and providers rarely use the same words for
 * one need ("keeping vegetables cool" / "cold storage"): a shared concept is the strongest sign two
 * listings are about the same thing. The engine score sees every field with typo tolerance but is
 * normalised to the best hit of one query, so it ranks within a list rather than judging fit; the
 * local term overlap (both directions) grounds the score in words a person can check.
 */
export const TEXT_WEIGHTS = { engine: 0.3, concepts: 0.4, terms: 0.3 } as const;

/**
 * Structural compatibility. Sectors first: a shared sector confirms the text is read in the right
 * field. Partnership types and TRL decide whether the deal both sides want is possible, the most
 * common reason an introduction goes nowhere. Countries weigh less because most listings are open
 * to partners anywhere; freshness only breaks near-ties in favour of listings still being watched.
 */
export const STRUCTURE_WEIGHTS = { sectors: 0.3, partnership: 0.25, trl: 0.25, country: 0.12, freshness: 0.08 } as const;

/**
 * Share of the text score a candidate keeps even when nothing structural fits: text says what the
 * need is and structured fields are often filled carelessly, so a poor fit lowers a match but never
 * hides a textually strong one; and without text relevance, structure alone never makes a match.
 */
export const STRUCTURE_FLOOR = 0.5;

/** Shared concepts that make the concept signal full: beyond three, more shared concepts add little. */
const CONCEPT_SATURATION = 3;
/**
 * Credit for a concept of one listing by how the other listing's closest concept relates to it: a
 * kind of the same thing ("cold storage" / "solar cold room") is nearly as good as the same concept;
 * a loosely related one is a hint, not an answer.
 */
const RELATION_CREDIT: Record<ConceptRelation, number> = { same: 1, narrower: 0.8, broader: 0.8, related: 0.4 };
/** Term overlap (weighted share of salient words found on the other side) that counts as full. */
const TERM_OVERLAP_SATURATION = 0.5;

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

// ---- Scoring ---------------------------------------------------------------------------------

export type Fit = 'good' | 'partial' | 'poor' | 'unknown';

export interface MatchedConcept {
  id: string;
  label: string;
  /** The words of the listing matches are computed for. */
  sourcePhrase: string;
  /** How the matching listing's concept stands to it ('narrower': a kind of it). */
  relation: ConceptRelation;
  candidateConceptId: string;
  candidateLabel: string;
  /** The words of the matching listing. */
  candidatePhrase: string;
}

export interface MatchExplanation {
  /** One sentence a person reads first. */
  summary: string;
  /** Readable reasons the two fit. */
  fits: string[];
  /** Readable reasons they may not. */
  gaps: string[];
  matchedTerms: string[];
  matchedConcepts: MatchedConcept[];
  sharedSectors: string[];
  partnership: { fit: Fit; offered: string[]; sought: string[]; shared: string[] };
  trl: { fit: Fit; offerTrl: number; neededMin: number; neededMax: number };
  country: { fit: Fit };
  /** Each signal 0..1, for those who want to see the arithmetic. */
  components: Record<'engine' | 'concepts' | 'terms' | 'text' | 'sectors' | 'partnership' | 'trl' | 'country' | 'freshness' | 'structure', number>;
}

export interface ScoredMatch {
  id: string;
  /** 0–100 */
  score: number;
  explanation: MatchExplanation;
}

const sectorLabel = (code: string) => labelOf(SECTORS, code);
const partnershipLabel = (code: string) => labelOf(PARTNERSHIP_TYPES, code);
const stageLabel = (code: string) => labelOf(STAGES, code);
const regionLabel = (code: string) => labelOf(REGIONS, code);

/**
 * Scores `candidate` as an answer to `source`. `engineScore` is the search engine's normalised
 * relevance when the candidate came from a search; without it (alerts) the local term overlap
 * stands in, so both paths rank the same way.
 */
export function scoreMatch(source: AnalyzedListing, candidate: AnalyzedListing, now: Date, engineScore?: number): ScoredMatch {
  const offer = source.profile.kind === 'offer' ? source.profile : candidate.profile;
  const request = source.profile.kind === 'offer' ? candidate.profile : source.profile;
  const fits: string[] = [];
  const gaps: string[] = [];

  // Text: concepts (the same, or one a kind of the other, or related), then words.
  const matchedConcepts = conceptMatches(source, candidate);
  const conceptCredit = matchedConcepts.reduce((sum, match) => sum + RELATION_CREDIT[match.relation], 0);
  const conceptScore = source.concepts.size === 0 ? 0 : Math.min(1, conceptCredit / Math.min(CONCEPT_SATURATION, source.concepts.size));
  const forward = termOverlap(source.terms, candidate.stemSet);
  const backward = termOverlap(candidate.terms, source.stemSet);
  const termScore = Math.min(1, (forward.share + backward.share) / 2 / TERM_OVERLAP_SATURATION);
  const engine = clamp01(engineScore ?? termScore);
  const text = TEXT_WEIGHTS.engine * engine + TEXT_WEIGHTS.concepts * conceptScore + TEXT_WEIGHTS.terms * termScore;
  const matchedTerms = forward.matched.slice(0, 8);
  for (const concept of matchedConcepts.slice(0, 5)) fits.push(describeConceptMatch(concept));
  if (matchedTerms.length) fits.push(`Shared terms: ${matchedTerms.join(', ')}`);
  if (!matchedConcepts.length && !matchedTerms.length) gaps.push('Few words or concepts in common');

  // Sectors.
  const sharedSectors = source.profile.sectors.filter((sector) => candidate.profile.sectors.includes(sector));
  const sectors = sharedSectors.length / Math.max(1, Math.min(source.profile.sectors.length, candidate.profile.sectors.length));
  if (sharedSectors.length) fits.push(`Shared sector${sharedSectors.length > 1 ? 's' : ''}: ${sharedSectors.map(sectorLabel).join(', ')}`);
  else gaps.push(`No shared sector (request: ${request.sectors.map(sectorLabel).join(', ')}; offer: ${offer.sectors.map(sectorLabel).join(', ')})`);

  // Partnership types: what the offer proposes against what the request seeks.
  const partnership = partnershipFit(offer.partnershipTypes, request.partnershipTypes);
  if (partnership.fit === 'good') fits.push(`Partnership fits: both look for ${partnership.shared.map(partnershipLabel).join(', ').toLowerCase()}`);
  else if (partnership.fit === 'partial') {
    fits.push(`Partnership types are related: the offer proposes ${list(offer.partnershipTypes.map(partnershipLabel))}, the request seeks ${list(request.partnershipTypes.map(partnershipLabel))}`);
  } else {
    gaps.push(`Partnership types differ: the offer proposes ${list(offer.partnershipTypes.map(partnershipLabel))}, the request seeks ${list(request.partnershipTypes.map(partnershipLabel))}`);
  }

  // TRL of the offer against what the request needs.
  const trl = trlFit(offer.trl, request);
  const range = trl.neededMax === 9 ? `TRL ${trl.neededMin} or more` : `TRL ${trl.neededMin}–${trl.neededMax}`;
  if (trl.fit === 'good') fits.push(`Maturity fits: the offer is at TRL ${offer.trl} (${stageLabel(offer.stage).toLowerCase()}); the request needs ${range}`);
  else if (offer.trl < trl.neededMin) gaps.push(`The offer is at TRL ${offer.trl}, earlier than the ${range} the request needs (${trl.reason})`);
  else gaps.push(`The offer is at TRL ${offer.trl}, more mature than the ${range} the request looks for (${trl.reason})`);

  // Countries and regions, both ways.
  const country = countryFit(offer, request);
  fits.push(...country.fits);
  gaps.push(...country.gaps);

  // Freshness of the candidate.
  const freshness = freshnessOf(candidate.profile.publishedAt, now);

  const structure =
    STRUCTURE_WEIGHTS.sectors * sectors +
    STRUCTURE_WEIGHTS.partnership * partnership.score +
    STRUCTURE_WEIGHTS.trl * trl.score +
    STRUCTURE_WEIGHTS.country * country.score +
    STRUCTURE_WEIGHTS.freshness * freshness;
  const total = text * (STRUCTURE_FLOOR + (1 - STRUCTURE_FLOOR) * structure);
  const score = Math.round(100 * clamp01(total));

  const counterpart = candidate.profile.kind === 'offer' ? 'offer' : 'request';
  const firstGap = gaps[0] ? lowerFirst(gaps[0]) : null;
  const summary =
    score >= 60
      ? `A strong ${counterpart} match: ${fits.slice(0, 2).map(lowerFirst).join('; ')}.`
      : score >= 35
        ? `A possible ${counterpart} match: ${lowerFirst(fits[0] ?? 'some words in common')}${firstGap ? `, but ${firstGap}` : ''}.`
        : `A weak ${counterpart} match${firstGap ? `: ${firstGap}` : ''}.`;

  return {
    id: candidate.profile.id,
    score,
    explanation: {
      summary,
      fits,
      gaps,
      matchedTerms,
      matchedConcepts,
      sharedSectors,
      partnership: {
        fit: partnership.fit,
        offered: [...offer.partnershipTypes],
        sought: [...request.partnershipTypes],
        shared: partnership.shared,
      },
      trl: { fit: trl.fit, offerTrl: offer.trl, neededMin: trl.neededMin, neededMax: trl.neededMax },
      country: { fit: country.fit },
      components: {
        engine: round3(engine),
        concepts: round3(conceptScore),
        terms: round3(termScore),
        text: round3(text),
        sectors: round3(sectors),
        partnership: round3(partnership.score),
        trl: round3(trl.score),
        country: round3(country.score),
        freshness: round3(freshness),
        structure: round3(structure),
      },
    },
  };
}

/** Best first; equal scores in id order, so a ranking never depends on the engine's tie order. */
export function compareMatches(a: ScoredMatch, b: ScoredMatch): number {
  return b.score - a.score || b.explanation.components.text - a.explanation.components.text || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** For each concept of the source, the closest concept of the candidate, if any relates. */
function conceptMatches(source: AnalyzedListing, candidate: AnalyzedListing): MatchedConcept[] {
  const matches: MatchedConcept[] = [];
  for (const [id, hit] of source.concepts) {
    let best: { other: ConceptHit; relation: ConceptRelation } | null = null;
    const same = candidate.concepts.get(id);
    if (same) best = { other: same, relation: 'same' };
    else {
      for (const other of candidate.concepts.values()) {
        const relation = conceptRelation(id, other.id);
        if (relation && (!best || RELATION_CREDIT[relation] > RELATION_CREDIT[best.relation])) best = { other, relation };
      }
    }
    if (best) {
      matches.push({
        id,
        label: hit.label,
        sourcePhrase: hit.phrase,
        relation: best.relation,
        candidateConceptId: best.other.id,
        candidateLabel: best.other.label,
        candidatePhrase: best.other.phrase,
      });
    }
  }
  return matches.sort((a, b) => RELATION_CREDIT[b.relation] - RELATION_CREDIT[a.relation] || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

function describeConceptMatch(match: MatchedConcept): string {
  const words = match.sourcePhrase === match.candidatePhrase ? `'${match.sourcePhrase}'` : `'${match.sourcePhrase}' ~ '${match.candidatePhrase}'`;
  switch (match.relation) {
    case 'same':
      return `Concept "${match.label}" matched: ${words}`;
    case 'narrower':
      return `Concept "${match.label}" matched: ${words} (${match.candidateLabel}, a kind of ${match.label})`;
    case 'broader':
      return `Concept "${match.label}" matched: ${words} (${match.label}, a kind of ${match.candidateLabel})`;
    case 'related':
      return `Related concepts: "${match.label}" and "${match.candidateLabel}" (${words})`;
  }
}

function termOverlap(terms: readonly WeightedTerm[], other: ReadonlySet<string>) {
  let total = 0;
  let found = 0;
  const matched: string[] = [];
  for (const term of terms) {
    total += term.weight;
    if (other.has(term.stem)) {
      found += term.weight;
      matched.push(term.word);
    }
  }
  return { share: total === 0 ? 0 : found / total, matched };
}

function partnershipFit(offered: readonly string[], sought: readonly string[]) {
  const shared = sought.filter((type) => offered.includes(type));
  if (shared.length) return { fit: 'good' as Fit, score: 1, shared };
  const related = RELATED_PARTNERSHIPS.some(([a, b]) => (offered.includes(a) && sought.includes(b)) || (offered.includes(b) && sought.includes(a)));
  return related ? { fit: 'partial' as Fit, score: 0.5, shared } : { fit: 'poor' as Fit, score: 0, shared };
}

/** The TRL range a request needs, from the partnerships it seeks and the maturity it states. */
export function neededTrl(request: Pick<MatchProfile, 'partnershipTypes' | 'stage' | 'trl'>) {
  const ranges = request.partnershipTypes
    .map((type) => TRL_NEEDED_BY_PARTNERSHIP[type as PartnershipType])
    .filter((range): range is readonly [number, number] => range !== undefined);
  const byPartnership = ranges.length ? Math.min(...ranges.map(([low]) => low)) : 1;
  const max = ranges.length ? Math.max(...ranges.map(([, high]) => high)) : 9;
  const byStage = Math.min(request.trl, REQUIRED_TRL_CAP);
  const min = Math.max(byPartnership, byStage);
  const reason =
    byStage > byPartnership
      ? `it asks for a technology ${stageLabel(request.stage).toLowerCase()}`
      : ranges.length
        ? `it seeks ${list(request.partnershipTypes.map(partnershipLabel)).toLowerCase()}`
        : 'it states no partnership type';
  return { min, max: Math.max(min, max), reason };
}

function trlFit(offerTrl: number, request: MatchProfile) {
  const needed = neededTrl(request);
  let score: number;
  if (offerTrl < needed.min) score = Math.max(0, 1 - (needed.min - offerTrl) / 3);
  // A technology more mature than asked for is a milder mismatch than one not ready.
  else if (offerTrl > needed.max) score = Math.max(0.4, 1 - 0.15 * (offerTrl - needed.max));
  else score = 1;
  const fit: Fit = score >= 1 ? 'good' : score >= 0.5 ? 'partial' : 'poor';
  return { score, fit, neededMin: needed.min, neededMax: needed.max, reason: needed.reason };
}

/** Whether `targets` (a listing's target countries) welcome a partner from `country`. */
function targetFit(targets: readonly string[], country: string): number {
  if (targets.length === 0) return 0.8;
  if (targets.includes(country)) return 1;
  const region = regionOf(country);
  if (region && targets.some((target) => regionOf(target) === region)) return 0.6;
  return 0.1;
}

function countryFit(offer: MatchProfile, request: MatchProfile) {
  const toRequester = targetFit(offer.targetCountries, request.country);
  const toProvider = targetFit(request.targetCountries, offer.country);
  const score = (toRequester + toProvider) / 2;
  const fits: string[] = [];
  const gaps: string[] = [];
  const describe = (who: string, targets: readonly string[], fitValue: number, partnerCountry: string, partner: string) => {
    if (targets.length === 0) return;
    if (fitValue === 1) fits.push(`The ${who} targets ${partnerCountry}, where the ${partner} is`);
    else if (fitValue === 0.6) fits.push(`The ${who} targets ${regionLabel(regionOf(partnerCountry) ?? '')}, the region of the ${partner} (${partnerCountry})`);
    else gaps.push(`The ${who} targets ${targets.slice(0, 5).join(', ')}${targets.length > 5 ? ', …' : ''}, not ${partnerCountry} where the ${partner} is`);
  };
  describe('offer', offer.targetCountries, toRequester, request.country, 'requester');
  describe('request', request.targetCountries, toProvider, offer.country, 'provider');
  if (fits.length === 0 && gaps.length === 0) fits.push('Neither side limits the countries it works with');
  const fit: Fit = score >= 0.8 ? 'good' : score >= 0.5 ? 'partial' : 'poor';
  return { score, fit, fits, gaps };
}

function freshnessOf(publishedAt: Date | null, now: Date) {
  if (!publishedAt) return 1;
  const ageDays = (now.getTime() - publishedAt.getTime()) / DAY_MS;
  if (ageDays <= FRESH_DAYS) return 1;
  return clamp01(1 - (ageDays - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS));
}

function list(items: readonly string[]) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function lowerFirst(text: string) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function clamp01(value: number) {
  return Math.min(1, Math.max(0, value));
}

function round3(value: number) {
  return Math.round(value * 1000) / 1000;
}
