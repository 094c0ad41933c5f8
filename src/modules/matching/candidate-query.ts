import { MAX_QUERY_TERMS } from '../language/query-text.js';
import { namesOfConcept } from '../language/concept-hits.js';
import type { AnalyzedListing } from './listing-analysis.js';
import { tokens } from '../language/text.js';

/** Other names asked for per concept of the listing (its vocabulary terms, narrower concepts). */
const NAMES_PER_CONCEPT = 4;

/** A term of the candidate query: a word (the engine may expand it) or a "quoted phrase" (it does not). */
interface QueryTerm {
  text: string;
  words: string[];
}

/** A term's words as one text: what its reach is looked up by (see candidateTermTexts). */
const wordsOf = (term: QueryTerm) => term.words.join(' ');

/** The listing's query terms in the order they are worth asking for, each once. */
function candidateTerms(listing: AnalyzedListing): QueryTerm[] {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  const addWords = (text: string) => {
    for (const word of tokens(text)) {
      if (seen.has(word)) continue;
      seen.add(word);
      terms.push({ text: word, words: [word] });
    }
  };
  const addPhrase = (text: string) => {
    const words = tokens(text);
    if (words.length < 2) return addWords(text);
    const key = words.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    terms.push({ text: `"${key}"`, words });
  };
  addWords(listing.profile.title);
  for (const keyword of listing.profile.keywords) addPhrase(keyword);
  for (const hit of listing.concepts.values()) addPhrase(hit.phrase);
  // The words others use for the same concepts: how a request finds offers that never use its words.
  for (const hit of listing.concepts.values()) {
    for (const name of namesOfConcept(hit.id).slice(0, NAMES_PER_CONCEPT)) addPhrase(name);
  }
  for (const term of listing.terms) addWords(term.word);
  return terms;
}

/** The terms whose reach (listings of the kind sought that hold them) candidateQueryText weighs, as words. */
export function candidateTermTexts(listing: AnalyzedListing): string[] {
  return [...new Set(candidateTerms(listing).map(wordsOf))];
}

/**
 * The text the engine is asked for candidates with: the listing's title words, its keywords, the
 * vocabulary terms found in its text and other names of the same concepts (so an offer of "cold
 * rooms" is asked for with the words a seeker may use), then its most salient words — as many as
 * the engine reads (MAX_QUERY_TERMS) and as fit the budget, by how many listings each term reaches
 * (`reachOf`, by candidateTermTexts: for a phrase, as many as hold its rarest word). A term no listing
 * holds is left out: it could only match through the engine's corrections and expansions, whose
 * reach cannot be counted.
 *
 * The budget is the engine's (anyWordHitBudget): the PostgreSQL engine ranks an any-word query in
 * full only up to a number of hits, at a cost in proportion to them. In a database of a few
 * thousand listings every term fits; in one of 100,000, the common words ("water", "farmers") give
 * way to the rarer ones and the phrases that say what the listing is about. The larger the budget,
 * the better the candidates at that scale and the slower the query: on the labelled set with the
 * budget scaled to its size, 1,500 / 2,250 / 3,000 scored recall@10 0.508 / 0.673 / 0.757; at
 * 100,000 listings (runs alternated) 2,250 answered in p50 30-31 ms, p95 42-43 ms, and 3,000 in
 * p50 34-38 ms, p95 49 ms. The PostgreSQL engine's budget is 2,250.
 */
export function candidateQueryText(listing: AnalyzedListing, reachOf: ReadonlyMap<string, number>, budget: number | null): string {
  const weighed = candidateTerms(listing)
    .map((term) => ({ term, listings: reachOf.get(wordsOf(term)) ?? 0 }))
    .filter(({ listings }) => listings > 0);
  const chosen: string[] = [];
  let reach = 0;
  for (const { term, listings } of weighed) {
    if (chosen.length >= MAX_QUERY_TERMS) break;
    if (budget !== null && reach + listings > budget) continue;
    reach += listings;
    chosen.push(term.text);
  }
  // Every term over the budget alone: the rarest one still beats asking for nothing.
  if (chosen.length === 0 && weighed.length > 0) {
    chosen.push(weighed.reduce((rarest, entry) => (entry.listings < rarest.listings ? entry : rarest)).term.text);
  }
  return chosen.join(' ');
}
