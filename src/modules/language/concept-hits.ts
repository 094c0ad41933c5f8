import { createHash } from 'node:crypto';
import { conceptById, expandTerms, termOccurrences, type TermOccurrence } from './concepts.js';
import { WORD_LISTS_FINGERPRINT } from './text.js';
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
  .update(`analysis-5|words-${WORD_LISTS_FINGERPRINT}|${JSON.stringify(CONCEPTS.map((concept) => [concept.id, concept.label, concept.terms, concept.narrower, concept.related ?? []]))}`)
  .digest('hex')
  .slice(0, 16);

/** Concepts evoked by the text, in order of first occurrence, each with the term that evoked it. */
export function conceptHits(text: string): ConceptHit[] {
  return expandTerms(text).map(({ concept, matchedTerm }) => ({ id: concept.id, label: concept.label, phrase: matchedTerm }));
}

/** A concept as a text supports it: how much the text says it is about that concept. */
export interface ConceptEvidence extends ConceptHit {
  /** 0..1: one incidental word is little; a phrase, repeats, other terms of it and the title are more. */
  evidence: number;
}

/**
 * How strongly a concept is supported by one occurrence of its own: a phrase of several words
 * ('solar cold room') names a thing; a single word ('coconut', 'flood') may be incidental.
 */
const EVIDENCE = { phrase: 0.6, word: 0.35, perRepeat: 0.2, perOtherTerm: 0.25, inHead: 0.35 } as const;

/**
 * The concepts a listing's text supports, with how strongly. `head` is its title and keywords:
 * what the listing says it is about. A word inside a longer term of an unrelated concept is read in
 * that term's sense ('flood irrigation' is irrigation, not a flood), so the shorter concept is not
 * claimed from it; when that was its only occurrence, it is not claimed at all.
 */
export function conceptEvidence(text: string, head: string): ConceptEvidence[] {
  const inHead = new Set(termOccurrences(head).map((occurrence) => occurrence.conceptId));
  const occurrences = termOccurrences(text);
  const byConcept = new Map<string, TermOccurrence[]>();
  for (const occurrence of occurrences) {
    const coveredByOtherSense = occurrences.some(
      (other) =>
        other.conceptId !== occurrence.conceptId &&
        other.start <= occurrence.start &&
        other.end >= occurrence.end &&
        other.end - other.start > occurrence.end - occurrence.start &&
        conceptRelation(occurrence.conceptId, other.conceptId) === null,
    );
    if (coveredByOtherSense) continue;
    const list = byConcept.get(occurrence.conceptId) ?? [];
    list.push(occurrence);
    byConcept.set(occurrence.conceptId, list);
  }
  const result: ConceptEvidence[] = [];
  for (const [id, list] of byConcept) {
    const concept = conceptById(id)!;
    const longest = list.reduce((best, occurrence) => (occurrence.end - occurrence.start > best.end - best.start ? occurrence : best));
    const positions = new Set(list.map((occurrence) => occurrence.start)).size;
    const terms = new Set(list.map((occurrence) => occurrence.term)).size;
    const evidence =
      (longest.end - longest.start > 1 ? EVIDENCE.phrase : EVIDENCE.word) +
      EVIDENCE.perRepeat * (positions - 1) +
      EVIDENCE.perOtherTerm * (terms - 1) +
      (inHead.has(id) ? EVIDENCE.inHead : 0);
    result.push({ id, label: concept.label, phrase: list[0]!.term, evidence: Math.min(1, Math.round(evidence * 100) / 100) });
  }
  return result;
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
