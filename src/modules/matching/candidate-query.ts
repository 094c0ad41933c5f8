import { MAX_QUERY_TERMS } from '../search/query-text.js';
import type { AnalyzedListing } from './scoring.js';
import { stem, tokens } from './text.js';

/**
 * How many listings, summed over its words, a candidate query may reach. An any-word query costs
 * the engine in proportion to the listings it hits, and the PostgreSQL engine ranks a result
 * exactly only up to 3,000 hits (beyond, it answers by date). The counts are over listings of both
 * kinds, about twice what the engine sees of one kind; so in a database of a few thousand
 * listings every word fits, and in one of 100,000 the common words ("water", "farmers") give way
 * to the rare ones that say what the listing is about.
 */
export const QUERY_HIT_BUDGET = 3000;

/** The listing's words in the order they are worth asking for, each once. */
function candidateWords(listing: AnalyzedListing): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  const add = (text: string) => {
    for (const word of tokens(text)) {
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
  return words;
}

/**
 * The text the engine is asked for candidates with: the listing's title and keywords, the names
 * and vocabulary terms of the concepts found in its text (so an offer about "cold storage" is asked
 * for with the words a seeker may use), then its most salient words from summary and details —
 * as many as the engine reads (MAX_QUERY_TERMS) and, with `listingsPerStem`, as fit the budget.
 */
export function candidateQueryText(listing: AnalyzedListing, listingsPerStem?: ReadonlyMap<string, number>, budget = QUERY_HIT_BUDGET): string {
  const chosen: string[] = [];
  let reach = 0;
  for (const word of candidateWords(listing)) {
    if (chosen.length >= MAX_QUERY_TERMS) break;
    const listings = listingsPerStem?.get(stem(word)) ?? 0;
    if (reach + listings > budget) continue;
    reach += listings;
    chosen.push(word);
  }
  return chosen.join(' ');
}

/** The stems whose counts candidateQueryText weighs. */
export function candidateStems(listing: AnalyzedListing): string[] {
  return [...new Set(candidateWords(listing).map(stem))];
}
