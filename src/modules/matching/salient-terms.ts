import { stem } from '../language/stemming.js';
import { isGenericWord, tokens } from '../language/text.js';

// The words that characterise a listing for matching: its own words, weighted by where they stand.

export interface WeightedTerm {
  /** The stem, what is compared. */
  stem: string;
  /** A readable form of the word as the listing wrote it. */
  word: string;
  weight: number;
}

export interface TermSource {
  title: string;
  keywords: readonly string[];
  summary: string;
  description: string;
  details: string;
}

// Where a word appears says how central it is: the title and keywords name the technology, the
// summary describes it, the long fields add context and noise.
const FIELD_WEIGHTS = { title: 3, keywords: 3, summary: 1.5, details: 1, description: 0.5 } as const;

/** Salient terms a listing keeps: what it is compared on, and its query for lexical relevance. */
export const SALIENT_TERMS = 30;

/**
 * The words that characterise a listing, best first: every field's stems weighted by the field
 * they come from, with repeats adding up (a word the listing keeps using matters); and the sum of
 * all their weights, the listing's length as lexical relevance normalises it.
 */
export function salientTerms(listing: TermSource, limit = SALIENT_TERMS): { terms: WeightedTerm[]; length: number } {
  const byStem = new Map<string, WeightedTerm>();
  let length = 0;
  const add = (text: string, weight: number) => {
    for (const word of tokens(text)) {
      const s = stem(word);
      // Generic words ('farmers', 'price') would make any two listings look alike.
      if (s.length < 3 || isGenericWord(word)) continue;
      length += weight;
      const entry = byStem.get(s);
      if (entry) entry.weight += weight;
      else byStem.set(s, { stem: s, word, weight });
    }
  };
  add(listing.title, FIELD_WEIGHTS.title);
  add(listing.keywords.join(' '), FIELD_WEIGHTS.keywords);
  add(listing.summary, FIELD_WEIGHTS.summary);
  add(listing.details, FIELD_WEIGHTS.details);
  add(listing.description, FIELD_WEIGHTS.description);
  const terms = [...byStem.values()].sort((a, b) => b.weight - a.weight || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0)).slice(0, limit);
  return { terms, length };
}
