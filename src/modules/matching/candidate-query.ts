import { MAX_QUERY_TERMS } from '../search/query-text.js';
import { namesOfConcept } from './concept-hits.js';
import type { AnalyzedListing } from './scoring.js';
import { tokens } from './text.js';

/**
 * The engines read at most MAX_QUERY_TERMS terms: the title, keywords and concept names come first,
 * so what is cut is the tail of the long fields.
 */
const MAX_QUERY_WORDS = MAX_QUERY_TERMS;

/**
 * The text the engine is asked for candidates with: the listing's title and keywords, the names
 * and vocabulary terms of the concepts found in its text (so an offer about "cold storage" is asked
 * for with the words a seeker may use), then its most salient words from summary and details.
 */
export function candidateQueryText(listing: AnalyzedListing): string {
  const seen = new Set<string>();
  const words: string[] = [];
  const add = (text: string) => {
    for (const word of tokens(text)) {
      if (words.length >= MAX_QUERY_WORDS) return;
      if (seen.has(word)) continue;
      seen.add(word);
      words.push(word);
    }
  };
  add(listing.profile.title);
  add(listing.profile.keywords.join(' '));
  for (const hit of listing.concepts.values()) {
    add(hit.label);
    add(hit.phrase);
  }
  for (const term of listing.terms) add(term.word);
  return words.join(' ');
}

/** Other names asked for per concept of the listing (its terms and narrower concepts' first terms). */
const NAMES_PER_CONCEPT = 3;

/**
 * A narrower question for large databases, where any word of a listing is in thousands of others:
 * only phrases that name the technology or need — the keywords, the vocabulary terms found in the
 * text with a few other names of their concepts, and the title's word pairs. Single words are left
 * out (they are what makes an any-word query broad), unless the listing holds no phrase at all.
 */
export function focusedQueryText(listing: AnalyzedListing): string {
  const seen = new Set<string>();
  const phrases: string[] = [];
  const add = (text: string) => {
    const words = tokens(text);
    const key = words.join(' ');
    if (phrases.length >= MAX_QUERY_TERMS || words.length < 2 || seen.has(key)) return;
    seen.add(key);
    phrases.push(`"${key}"`);
  };
  for (const keyword of listing.profile.keywords) add(keyword);
  for (const hit of listing.concepts.values()) add(hit.phrase);
  for (const hit of listing.concepts.values()) {
    for (const name of namesOfConcept(hit.id).filter((term) => tokens(term).length > 1).slice(0, NAMES_PER_CONCEPT)) add(name);
  }
  const title = tokens(listing.profile.title);
  for (let i = 0; i + 1 < title.length; i++) add(`${title[i]} ${title[i + 1]}`);
  return phrases.length ? phrases.join(' ') : title.join(' ');
}
