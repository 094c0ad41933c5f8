import { conceptById, expandTerms, findConcepts } from '../language/concepts.js';
import { normalizeText } from '../language/text.js';
import { CONCEPTS, type Concept } from '../language/vocabulary.js';

// Query expansion with the centre's domain vocabulary (src/modules/language/vocabulary.json): a query
// that names a concept also finds listings that say it in other words ("solar dryer" finds "solar
// tunnel drier", "greenhouse dryer"). The built-in engine tags each document with the concepts its
// text names when it indexes it, and a query naming a concept also matches those tags, ranked below
// the words typed; Meilisearch gets the related terms as its synonyms setting.

/** Related terms sent per recognised concept: its own terms first, then narrower concepts'. */
const EXPANSIONS_PER_SPAN = 12;
const SYNONYMS_PER_TERM = 12;
const LONGEST_TERM_WORDS = 4;

/** A run of query words that names a concept, and what else to search for it. */
export interface ConceptSpan {
  start: number;
  length: number;
  /** Other words for it (highlighted in the hits). */
  expansions: string[];
  /** The concepts it names and their narrower ones: documents tagged with any of them match. */
  concepts: string[];
}

/**
 * The concepts named by consecutive query words (`null` marks a position no span may cross: a
 * phrase or an `or` group). Longest spans win, from left to right.
 */
export type QueryExpander = (words: readonly (string | null)[]) => ConceptSpan[];

function relatedTerms(concepts: Concept[], spanText: string): string[] {
  const spanWords = normalizeText(spanText).split(' ');
  const seen = new Set<string>();
  const terms: string[] = [];
  const add = (term: string) => {
    const key = normalizeText(term);
    // A term holding every word of the span finds nothing the span does not find already.
    if (key === '' || seen.has(key) || spanWords.every((word) => key.split(' ').includes(word))) return;
    seen.add(key);
    terms.push(term);
  };
  for (const concept of concepts) for (const term of concept.terms) add(term);
  for (const concept of concepts) {
    for (const id of concept.narrower) {
      const narrower = conceptById(id);
      if (narrower?.terms[0]) add(narrower.terms[0]);
    }
  }
  return terms.slice(0, EXPANSIONS_PER_SPAN);
}

/** The concepts themselves and their direct narrower concepts, each once. */
function withNarrower(concepts: Concept[]): string[] {
  return [...new Set(concepts.flatMap((concept) => [concept.id, ...concept.narrower.filter((id) => conceptById(id))]))];
}

/** Concepts whose matched term covers exactly this text, word for word. */
function conceptsCovering(text: string, wordCount: number): Concept[] {
  return expandTerms(text)
    .filter((hit) => normalizeText(hit.matchedTerm).split(' ').length === wordCount)
    .map((hit) => hit.concept);
}

function conceptExpander(): QueryExpander {
  return (words) => {
    const spans: ConceptSpan[] = [];
    let start = 0;
    while (start < words.length) {
      let taken = 0;
      for (let length = Math.min(LONGEST_TERM_WORDS, words.length - start); length >= 1 && taken === 0; length--) {
        const run = words.slice(start, start + length);
        if (run.some((word) => word === null)) continue;
        const text = run.join(' ');
        const concepts = conceptsCovering(text, length);
        if (concepts.length === 0) continue;
        const expansions = relatedTerms(concepts, text);
        if (expansions.length > 0) spans.push({ start, length, expansions, concepts: withNarrower(concepts) });
        taken = length;
      }
      start += Math.max(taken, 1);
    }
    return spans;
  };
}

/** The vocabulary as the built-in engine uses it: to expand queries and to tag documents. */
export interface ConceptVocabulary {
  expand: QueryExpander;
  /** Ids of the concepts a text names (a term of theirs, as findConcepts reads it). */
  conceptsIn: (text: string) => string[];
}

export function conceptVocabulary(): ConceptVocabulary {
  return { expand: conceptExpander(), conceptsIn: (text) => findConcepts(text).map((concept) => concept.id) };
}

/**
 * Meilisearch synonyms from the vocabulary: each term of a concept → the concept's other terms and
 * the first term of each narrower concept (one way: a narrower term does not widen back).
 */
export function conceptSynonyms(): Record<string, string[]> {
  const synonyms = new Map<string, Set<string>>();
  for (const concept of CONCEPTS) {
    const narrower = concept.narrower.flatMap((id) => conceptById(id)?.terms.slice(0, 1) ?? []);
    for (const term of concept.terms) {
      const key = term.toLowerCase();
      const related = synonyms.get(key) ?? new Set<string>();
      for (const other of [...concept.terms, ...narrower]) if (other.toLowerCase() !== key) related.add(other.toLowerCase());
      synonyms.set(key, related);
    }
  }
  return Object.fromEntries([...synonyms].filter(([, related]) => related.size > 0).map(([key, related]) => [key, [...related].slice(0, SYNONYMS_PER_TERM)]));
}
