import { conceptRelation, type ConceptEvidence, type ConceptRelation } from '../language/concept-hits.js';
import { bm25Scores } from '../language/bm25.js';
import type { AnalyzedListing } from './listing-analysis.js';
import type { WeightedTerm } from './salient-terms.js';

// What the need or the technology is: how much of one listing's text the other answers, in shared
// concepts and in shared words.

/**
 * Text relevance, a hybrid of four signals. Lexical relevance (BM25 of the source's salient words
 * over the candidates: rare, repeated words in the title count most) is the strongest single
 * ranking signal; the word overlap both ways says how much of each listing the other covers;
 * concepts bridge the words seekers and providers use for one need ("keeping vegetables cool" /
 * "cold storage"); the engine score sees every field with typo tolerance. On the labelled set
 * (tests/fixtures/matching-eval, weights chosen on the even-numbered requests, checked on the odd
 * ones, BENCHMARKS.md) adding the lexical signal lifted MRR from 0.87 to 0.92; the other weights
 * moved it by less than 0.01 either way, so they are round numbers.
 */
export const TEXT_WEIGHTS = { engine: 0.1, concepts: 0.25, terms: 0.35, lexical: 0.3 } as const;

/**
 * The concept evidence (summed over the source's three best-supported concepts) that makes the
 * concept signal full, and the least it is divided by: a listing whose only concept is one
 * incidental word ('warehouses' in a text about mouldy peanuts) gets a small share of the credit,
 * one that names three concepts firmly gets all of it when the other listing holds them too.
 */
const CONCEPT_SATURATION = 3;
const CONCEPT_EVIDENCE_FLOOR = 1.5;
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

/**
 * A source word a candidate holds outside its salient terms (only its 30 most salient words are
 * stored with their weights): counted as one mention in the description-weighted long text.
 */
const OUTSIDE_SALIENT_WEIGHT = 0.5;
/**
 * Inverse document frequency over the candidates, counted as over at least this many listings
 * (matching's candidate limit). When the engine proposes fewer, it has proposed every listing of the
 * kind sought that holds any of the words, so a word's holders are all counted; the listings
 * counted as not holding it stand for the market a young marketplace does not have yet, so that a
 * word shared by two listings out of three is as telling as two out of sixty, and labels mean the
 * same in a small marketplace as in a large one.
 */
const IDF_REFERENCE_SET = 60;

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

/** A candidate's lexical relevance to the source, among the candidates of one ranking. */
export interface LexicalRelevance {
  /** 0..1: its BM25 over the best candidate's. */
  share: number;
  /**
   * Its BM25 itself: how much distinctive wording the two share, in absolute terms (what the
   * labels are calibrated on, calibration.ts).
   */
  evidence: number;
}

export interface TextRelevance {
  /** Each signal 0..1. */
  engine: number;
  concepts: number;
  terms: number;
  lexical: number;
  /** The candidate's BM25 among the candidates (null when scored alone: alerts). */
  lexicalEvidence: number | null;
  /** The weighted sum of the four. */
  text: number;
  matchedConcepts: MatchedConcept[];
  /** Salient words of the source found in the candidate, most salient first. */
  matchedTerms: string[];
}

/**
 * How well `candidate`'s text answers `source`'s. `engineScore` is the search engine's normalised
 * relevance and `lexical` the candidate's BM25 among the candidates (lexicalRelevance) when it came
 * from a search; without them (alerts) the local term overlap stands in for both.
 */
export function textRelevance(source: AnalyzedListing, candidate: AnalyzedListing, engineScore?: number, lexical?: LexicalRelevance): TextRelevance {
  const matchedConcepts = conceptMatches(source, candidate);
  // A concept gives credit as far as both texts support it: one incidental word gives little.
  const conceptCredit = matchedConcepts.reduce((sum, match) => sum + RELATION_CREDIT[match.relation] * match.evidence, 0);
  const sourceEvidence = [...source.concepts.values()]
    .map((hit) => hit.evidence)
    .sort((a, b) => b - a)
    .slice(0, CONCEPT_SATURATION)
    .reduce((sum, evidence) => sum + evidence, 0);
  const concepts = source.concepts.size === 0 ? 0 : Math.min(1, conceptCredit / Math.max(CONCEPT_EVIDENCE_FLOOR, sourceEvidence));
  const forward = termOverlap(source.terms, candidate.stemSet);
  const backward = termOverlap(candidate.terms, source.stemSet);
  const terms = Math.min(1, (forward.share + backward.share) / 2 / TERM_OVERLAP_SATURATION);
  const engine = clamp01(engineScore ?? terms);
  const lexicalShare = clamp01(lexical?.share ?? terms);
  const text = TEXT_WEIGHTS.engine * engine + TEXT_WEIGHTS.concepts * concepts + TEXT_WEIGHTS.terms * terms + TEXT_WEIGHTS.lexical * lexicalShare;
  return {
    engine,
    concepts,
    terms,
    lexical: lexicalShare,
    lexicalEvidence: lexical?.evidence ?? null,
    text,
    matchedConcepts,
    matchedTerms: forward.matched.slice(0, MATCHED_TERMS_SHOWN),
  };
}

/**
 * Okapi BM25 (language/bm25.ts, as the evaluation's baseline) of the source's salient words over
 * the candidates of one ranking (BM25F-like: a word's frequency is its field-weighted count, title
 * and keywords first), with the inverse document frequency taken over the candidates themselves:
 * the words every candidate holds (why the engine proposed them) tell them apart least. Reads only
 * what is stored per listing (its salient words with their weights, its length, which of the
 * source's words it holds).
 */
export function lexicalRelevance(source: AnalyzedListing, candidates: readonly AnalyzedListing[]): Map<string, LexicalRelevance> {
  const documents = candidates.map((candidate) => {
    const weights = new Map(candidate.terms.map((term) => [term.stem, term.weight]));
    return { length: candidate.length, frequency: (stem: string) => weights.get(stem) ?? (candidate.stemSet.has(stem) ? OUTSIDE_SALIENT_WEIGHT : 0) };
  });
  const scores = bm25Scores(source.terms.map((term) => term.stem), documents, { documentCount: IDF_REFERENCE_SET });
  const best = Math.max(0, ...scores);
  return new Map(candidates.map((candidate, i) => [candidate.profile.id, { share: best > 0 ? scores[i]! / best : 0, evidence: scores[i]! }]));
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
