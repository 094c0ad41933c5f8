import { labelOf, type MatchLabel } from './calibration.js';
import { explainMatch } from './explanation.js';
import type { AnalyzedListing } from './listing-analysis.js';
import { structuralFit, type Fit } from './structural-fit.js';
import { clamp01, textRelevance, type LexicalRelevance, type MatchedConcept } from './text-relevance.js';

// How well a candidate answers a listing: text relevance (what the need or technology is, see
// text-relevance.ts) scaled by structural compatibility (whether a deal can actually happen, see
// structural-fit.ts), put into words by explanation.ts. Pure and deterministic: the same two
// listings and engine score always give the same score and explanation, on any engine.

/**
 * Share of the text score a candidate keeps even when nothing structural fits: text says what the
 * need is and structured fields are often filled carelessly, so a poor fit lowers a match but never
 * hides a textually strong one; and without text relevance, structure alone never makes a match.
 */
export const STRUCTURE_FLOOR = 0.5;

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
  components: Record<'engine' | 'concepts' | 'terms' | 'lexical' | 'text' | 'sectors' | 'partnership' | 'trl' | 'country' | 'freshness' | 'structure', number>;
}

export interface ScoredMatch {
  id: string;
  /** 0–100 */
  score: number;
  /** What the score means (calibration.ts). */
  label: MatchLabel;
  explanation: MatchExplanation;
}

/**
 * Scores `candidate` as an answer to `source`. `engineScore` is the search engine's normalised
 * relevance and `lexical` its BM25 among the candidates (lexicalRelevance) when the candidate came
 * from a search; without them (alerts) the local term overlap stands in.
 */
export function scoreMatch(source: AnalyzedListing, candidate: AnalyzedListing, now: Date, engineScore?: number, lexical?: LexicalRelevance): ScoredMatch {
  const offer = source.profile.kind === 'offer' ? source.profile : candidate.profile;
  const request = source.profile.kind === 'offer' ? candidate.profile : source.profile;
  const relevance = textRelevance(source, candidate, engineScore, lexical);
  const fit = structuralFit(source.profile, candidate.profile, now);
  const structure = STRUCTURE_FLOOR + (1 - STRUCTURE_FLOOR) * fit.structure;
  const score = Math.round(100 * clamp01(relevance.text * structure));
  const label = labelOf({
    score,
    evidence: relevance.lexicalEvidence === null ? null : relevance.lexicalEvidence * structure,
    terms: relevance.terms,
    ready: fit.trl.fit !== 'poor',
  });
  const { sharedWords, ...words } = explainMatch(source.profile, candidate.profile, relevance, fit, label);
  return {
    id: candidate.profile.id,
    score,
    label,
    explanation: {
      ...words,
      matchedTerms: sharedWords,
      matchedConcepts: relevance.matchedConcepts,
      sharedSectors: fit.sectors.shared,
      partnership: { fit: fit.partnership.fit, offered: [...offer.partnershipTypes], sought: [...request.partnershipTypes], shared: fit.partnership.shared },
      trl: { fit: fit.trl.fit, offerTrl: offer.trl, neededMin: fit.trl.neededMin, neededMax: fit.trl.neededMax },
      country: { fit: fit.country.fit },
      components: {
        engine: round3(relevance.engine),
        concepts: round3(relevance.concepts),
        terms: round3(relevance.terms),
        lexical: round3(relevance.lexical),
        text: round3(relevance.text),
        sectors: round3(fit.sectors.score),
        partnership: round3(fit.partnership.score),
        trl: round3(fit.trl.score),
        country: round3(fit.country.score),
        freshness: round3(fit.freshness),
        structure: round3(fit.structure),
      },
    },
  };
}

/** Best first; equal scores in id order, so a ranking never depends on the engine's tie order. */
export function compareMatches(a: ScoredMatch, b: ScoredMatch): number {
  return b.score - a.score || b.explanation.components.text - a.explanation.components.text || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function round3(value: number) {
  return Math.round(value * 1000) / 1000;
}
