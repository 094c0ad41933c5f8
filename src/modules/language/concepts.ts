import { CONCEPTS, type Concept } from './vocabulary.js';
import { normalizeText } from './text.js';
import { wordForms } from './stemming.js';

// The concept matcher: which concepts of the vocabulary (vocabulary.json) a text names. One index
// is compiled at module load: every term is tokenised and each token turned into the set of its
// tolerated forms; the index maps every form of a term's first token to the
// terms that start with it. A lookup walks the text's tokens once, so the cost grows with the
// length of the text, not with the number of concepts.

const FORM_CACHE = new Map<string, readonly string[]>();
const FORM_CACHE_LIMIT = 50_000;

/** Forms of a token of the searched text (memoised; the cache is bounded). */
function textForms(word: string): readonly string[] {
  let forms = FORM_CACHE.get(word);
  if (forms === undefined) {
    forms = wordForms(word, true);
    if (FORM_CACHE.size >= FORM_CACHE_LIMIT) FORM_CACHE.clear();
    FORM_CACHE.set(word, forms);
  }
  return forms;
}

/** Forms of a token of a term (computed once, at index build). */
const termForms = (word: string): string[] => wordForms(word, false);

const tokenize = (text: string): string[] => {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
};

interface TermEntry {
  readonly concept: Concept;
  readonly term: string;
  /** per token of the term, its tolerated forms */
  readonly tokens: readonly ReadonlySet<string>[];
}

interface TermMatch {
  readonly entry: TermEntry;
  readonly start: number;
  readonly end: number;
}

const CONCEPT_BY_ID: ReadonlyMap<string, Concept> = new Map(CONCEPTS.map((concept) => [concept.id, concept]));

const TERM_INDEX: ReadonlyMap<string, readonly TermEntry[]> = (() => {
  const index = new Map<string, TermEntry[]>();
  for (const concept of CONCEPTS) {
    const seen = new Set<string>();
    for (const term of concept.terms) {
      const tokens = tokenize(term);
      const key = tokens.join(' ');
      if (tokens.length === 0 || seen.has(key)) continue;
      seen.add(key);
      const entry: TermEntry = { concept, term, tokens: tokens.map((token) => new Set(termForms(token))) };
      for (const form of entry.tokens[0] ?? []) {
        const bucket = index.get(form);
        if (bucket === undefined) index.set(form, [entry]);
        else bucket.push(entry);
      }
    }
  }
  return index;
})();

/**
 * Terms never match across sentence or list punctuation ('paddy; drying' is not 'paddy drying'); a
 * full stop after a single letter ('E. coli') is an abbreviation, not a break.
 */
const SEGMENT_BREAK = /[,;:!?()[\]{}"“”«»\n\r\t•|]+|(?<!\b[a-z])\.(?=\s|$)/i;

function matchTerms(text: string): TermMatch[] {
  const matches: TermMatch[] = [];
  let offset = 0;
  for (const segment of text.split(SEGMENT_BREAK)) {
    const forms = tokenize(segment).map(textForms);
    for (let start = 0; start < forms.length; start++) {
      const tried = new Set<TermEntry>();
      for (const form of forms[start] ?? []) {
        for (const entry of TERM_INDEX.get(form) ?? []) {
          if (tried.has(entry)) continue;
          tried.add(entry);
          const end = start + entry.tokens.length;
          if (end > forms.length) continue;
          let matched = true;
          for (let k = 1; k < entry.tokens.length && matched; k++) {
            const wanted = entry.tokens[k];
            matched = wanted !== undefined && (forms[start + k] ?? []).some((f) => wanted.has(f));
          }
          if (matched) matches.push({ entry, start: offset + start, end: offset + end });
        }
      }
    }
    offset += forms.length + 1;
  }
  return matches;
}

/** One match per concept: its earliest occurrence, the longest term at that position. */
function bestMatchPerConcept(text: string): TermMatch[] {
  const sorted = matchTerms(text).sort((a, b) => a.start - b.start || b.end - a.end);
  const seen = new Set<string>();
  const best: TermMatch[] = [];
  for (const match of sorted) {
    if (seen.has(match.entry.concept.id)) continue;
    seen.add(match.entry.concept.id);
    best.push(match);
  }
  return best;
}

/** A place where a concept's term occurs in a text: token positions, end exclusive. */
export interface TermOccurrence {
  conceptId: string;
  term: string;
  start: number;
  end: number;
}

/** Every occurrence of every concept's term in the text, in text order. */
export function termOccurrences(text: string): TermOccurrence[] {
  return matchTerms(text)
    .sort((a, b) => a.start - b.start || b.end - a.end)
    .map((match) => ({ conceptId: match.entry.concept.id, term: match.entry.term, start: match.start, end: match.end }));
}

/** The concept with this id, if any. */
export function conceptById(id: string): Concept | undefined {
  return CONCEPT_BY_ID.get(id);
}

/**
 * Concepts whose terms occur in the text, in order of first occurrence. Case-insensitive, on word
 * boundaries, accents folded, simple plurals ('s', 'es', 'ies'), '-ing'/'-ed' forms and
 * British/American spellings tolerated.
 */
export function findConcepts(text: string): Concept[] {
  return bestMatchPerConcept(text).map((match) => match.entry.concept);
}

/**
 * For each concept found in the text: the term that matched, and the expansion to search for —
 * the concept's own terms plus the terms of its (direct) narrower concepts, not related ones,
 * deduplicated.
 */
export function expandTerms(text: string): { concept: Concept; matchedTerm: string; expansions: string[] }[] {
  return bestMatchPerConcept(text).map(({ entry }) => {
    const concept = entry.concept;
    const expansions: string[] = [];
    const seen = new Set<string>();
    const add = (terms: readonly string[]) => {
      for (const term of terms) {
        const key = normalizeText(term);
        if (seen.has(key)) continue;
        seen.add(key);
        expansions.push(term);
      }
    };
    add(concept.terms);
    for (const id of concept.narrower) add(CONCEPT_BY_ID.get(id)?.terms ?? []);
    return { concept, matchedTerm: entry.term, expansions };
  });
}
