import { createHash } from 'node:crypto';
import { conceptById, expandTerms } from './concepts.js';
import { CONCEPTS } from './vocabulary.js';

// The domain vocabulary as matching uses it: which concepts a text evokes and with which words,
// and how two concepts relate (the same, one a kind of the other, loosely related).

export interface ConceptHit {
  id: string;
  label: string;
  /** The vocabulary term found in the text ('keep vegetables cool'). */
  phrase: string;
}

export type ConceptRelation = 'same' | 'narrower' | 'broader' | 'related';

const BROADER: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const broader = new Map<string, Set<string>>();
  for (const concept of CONCEPTS) {
    for (const narrowerId of concept.narrower) {
      const set = broader.get(narrowerId) ?? new Set<string>();
      set.add(concept.id);
      broader.set(narrowerId, set);
    }
  }
  return broader;
})();

/**
 * Names this version of the vocabulary (and of the text analysis): listing analyses stored with
 * another fingerprint are redone, so editing the vocabulary never leaves stale concepts behind.
 */
export const VOCABULARY_FINGERPRINT = createHash('sha256')
  .update(`analysis-2|${JSON.stringify(CONCEPTS.map((concept) => [concept.id, concept.label, concept.terms, concept.narrower, concept.related ?? []]))}`)
  .digest('hex')
  .slice(0, 16);

/** Concepts evoked by the text, in order of first occurrence, each with the term that evoked it. */
export function conceptHits(text: string): ConceptHit[] {
  return expandTerms(text).map(({ concept, matchedTerm }) => ({ id: concept.id, label: concept.label, phrase: matchedTerm }));
}

/** How concept `b` stands to concept `a`: 'narrower' when b is a kind of a. */
export function conceptRelation(a: string, b: string): ConceptRelation | null {
  if (a === b) return 'same';
  const concept = conceptById(a);
  if (!concept) return null;
  if (concept.narrower.includes(b)) return 'narrower';
  if (BROADER.get(a)?.has(b)) return 'broader';
  if (concept.related?.includes(b) || conceptById(b)?.related?.includes(a)) return 'related';
  return null;
}

/** Terms of the concepts a query word or phrase names, and of their narrower concepts. */
export function relatedTerms(text: string): string[] {
  return expandTerms(text).flatMap((entry) => entry.expansions);
}


/** A concept's own terms, then the first term of each narrower concept: how others may name it. */
export function namesOfConcept(id: string): string[] {
  const concept = conceptById(id);
  if (!concept) return [];
  return [...concept.terms, ...concept.narrower.flatMap((narrowerId) => conceptById(narrowerId)?.terms.slice(0, 1) ?? [])];
}
