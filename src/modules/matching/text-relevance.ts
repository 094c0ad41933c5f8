import { conceptRelation, type ConceptEvidence, type ConceptRelation } from '../language/concept-hits.js';
import type { AnalyzedListing } from './listing-analysis.js';
import type { WeightedTerm } from './salient-terms.js';

// What the need or the technology is: how much of one listing's text the other answers, in shared
// concepts and in shared words.

/**
 * Text relevance. Concepts weigh most because seekers and providers rarely use the same words for
 * one need ("keeping vegetables cool" / "cold storage"): a shared concept is the strongest sign two
 * listings are about the same thing. The engine score sees every field with typo tolerance but is
 * normalised to the best hit of one query, so it ranks within a list rather than judging fit; the
 * local term overlap (both directions) grounds the score in words a person can check.
 */
export const TEXT_WEIGHTS = { engine: 0.3, concepts: 0.4, terms: 0.3 } as const;

/** Shared concepts that make the concept signal full: beyond three, more shared concepts add little. */
const CONCEPT_SATURATION = 3;
/**
 * Credit for a concept of one listing by how the other listing's closest concept relates to it: a
 * kind of the same thing ("cold storage" / "solar cold room") is nearly as good as the same concept;
 * a loosely related one is a hint, not an answer.
 */
export const RELATION_CREDIT: Record<ConceptRelation, number> = { same: 1, narrower: 0.8, broader: 0.8, related: 0.4 };
/** Term overlap (weighted share of salient words found on the other side) that counts as full. */
const TERM_OVERLAP_SATURATION = 0.5;
/** Shared words an explanation names at most. */
const MATCHED_TERMS_SHOWN = 8;

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
  /** 0..1: how strongly both texts support the concept (the weaker of the two). */
  evidence: number;
}

export interface TextRelevance {
  /** Each signal 0..1. */
  engine: number;
  concepts: number;
  terms: number;
  /** The weighted sum of the three. */
  text: number;
  matchedConcepts: MatchedConcept[];
  /** Salient words of the source found in the candidate, most salient first. */
  matchedTerms: string[];
}

/**
 * How well `candidate`'s text answers `source`'s. `engineScore` is the search engine's normalised
 * relevance when the candidate came from a search; without it (alerts) the local term overlap
 * stands in, so both paths rank the same way.
 */
export function textRelevance(source: AnalyzedListing, candidate: AnalyzedListing, engineScore?: number): TextRelevance {
  const matchedConcepts = conceptMatches(source, candidate);
  // A concept gives credit as far as both texts support it: one incidental word gives little.
  const conceptCredit = matchedConcepts.reduce((sum, match) => sum + RELATION_CREDIT[match.relation] * match.evidence, 0);
  const concepts = source.concepts.size === 0 ? 0 : Math.min(1, conceptCredit / Math.min(CONCEPT_SATURATION, source.concepts.size));
  const forward = termOverlap(source.terms, candidate.stemSet);
  const backward = termOverlap(candidate.terms, source.stemSet);
  const terms = Math.min(1, (forward.share + backward.share) / 2 / TERM_OVERLAP_SATURATION);
  const engine = clamp01(engineScore ?? terms);
  const text = TEXT_WEIGHTS.engine * engine + TEXT_WEIGHTS.concepts * concepts + TEXT_WEIGHTS.terms * terms;
  return { engine, concepts, terms, text, matchedConcepts, matchedTerms: forward.matched.slice(0, MATCHED_TERMS_SHOWN) };
}

/** For each concept of the source, the closest concept of the candidate, if any relates. */
function conceptMatches(source: AnalyzedListing, candidate: AnalyzedListing): MatchedConcept[] {
  const matches: MatchedConcept[] = [];
  for (const [id, hit] of source.concepts) {
    let best: { other: ConceptEvidence; relation: ConceptRelation } | null = null;
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
        evidence: Math.min(hit.evidence, best.other.evidence),
      });
    }
  }
  const credit = (match: MatchedConcept) => RELATION_CREDIT[match.relation] * match.evidence;
  return matches.sort((a, b) => credit(b) - credit(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
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

export function clamp01(value: number) {
  return Math.min(1, Math.max(0, value));
}
