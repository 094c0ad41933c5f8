import { conceptEvidence, VOCABULARY_FINGERPRINT, type ConceptEvidence } from '../language/concept-hits.js';
import { stems } from '../language/text.js';
import type { ListingKind } from '../vocabularies/enums.js';
import { salientTerms, type WeightedTerm } from './salient-terms.js';

// A listing as matching reads it: its facts, and its text analysed once (salient words, concepts),
// so scoring it against many others stays cheap, and stored so that it is analysed once per version.

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
  /** The sum of the field weights of all its salient words (see salientTerms): how long it is, lexically. */
  length: number;
  /**
   * The stems of its text; of a candidate loaded to be scored against one listing, only those
   * among that listing's salient terms (all that scoring reads of them).
   */
  stemSet: ReadonlySet<string>;
  /** Concepts the listing's text supports, by concept id, with the phrase that evoked each and how strongly. */
  concepts: ReadonlyMap<string, ConceptEvidence>;
}

export function fullText(profile: MatchProfile): string {
  return [profile.title, profile.keywords.join('. '), profile.summary, profile.description, profile.details].join('\n');
}

export function analyzeListing(profile: MatchProfile): AnalyzedListing {
  const text = fullText(profile);
  const concepts = new Map(conceptEvidence(text, [profile.title, profile.keywords.join('. ')].join('\n')).map((hit) => [hit.id, hit]));
  const { terms, length } = salientTerms(profile);
  return { profile, terms, length, stemSet: new Set(stems(text)), concepts };
}

/**
 * The text analysis in a form to store (listing_match_features: the stems in a column of their
 * own), tagged with the vocabulary it used.
 */
export interface StoredFeatures {
  vocabulary: string;
  terms: [stem: string, word: string, weight: number][];
  length: number;
  concepts: [id: string, label: string, phrase: string, evidence: number][];
}

export function toStoredFeatures(analyzed: AnalyzedListing): { features: StoredFeatures; stems: string[] } {
  return {
    features: {
      vocabulary: VOCABULARY_FINGERPRINT,
      terms: analyzed.terms.map((term) => [term.stem, term.word, term.weight]),
      length: analyzed.length,
      concepts: [...analyzed.concepts.values()].map((hit) => [hit.id, hit.label, hit.phrase, hit.evidence]),
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
    length: stored.length,
    stemSet: new Set(stems),
    concepts: new Map(stored.concepts.map(([id, label, phrase, evidence]) => [id, { id, label, phrase, evidence }])),
  };
}
