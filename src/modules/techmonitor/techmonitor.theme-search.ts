import { expandTerms, findConcepts } from '../language/concepts.js';
import { tokens } from '../language/text.js';
import { MAX_QUERY_TERMS } from '../language/query-text.js';
import type { SearchEngine } from '../search/search.port.js';
import type { Sector } from '../vocabularies/enums.js';
import type { EntryListing } from './techmonitor.schemas.js';

// Finding the listings that fit an issue's theme: the search engine, asked with the theme's words
// and the domain vocabulary's terms for the concepts the theme names (any of them may match), plus
// the listings of the theme's sectors, which may describe the theme in words of their own.

/** The theme's own words lead; the vocabulary's terms for its concepts fill the rest of the query. */
const THEME_WORDS_FIRST = MAX_QUERY_TERMS / 2;

export interface ThemeQuery {
  text: string;
  sectors: string[];
  /** Only listings still valid at this instant. */
  validAt: Date;
  excludeIds: string[];
  limit: number;
}

/** The query text the engine gets for a theme (search-box syntax: multi-word terms as "phrases"). */
export function themeQueryText(themeText: string): string {
  const terms: string[] = [];
  const seen = new Set<string>();
  const add = (term: string) => {
    const words = tokens(term);
    if (words.length === 0 || terms.length >= MAX_QUERY_TERMS) return;
    const key = words.join(' ');
    if (seen.has(key)) return;
    seen.add(key);
    terms.push(words.length === 1 ? words[0]! : `"${key}"`);
  };
  for (const word of tokens(themeText).slice(0, THEME_WORDS_FIRST)) add(word);
  // Round robin over the theme's concepts, so a theme naming four concepts is searched for all four.
  const expansions = expandTerms(themeText).map((entry) => entry.expansions);
  for (let round = 0; expansions.some((list) => round < list.length); round++) {
    for (const list of expansions) if (round < list.length) add(list[round]!);
  }
  return terms.join(' ');
}

/** Concepts of the domain vocabulary the theme names, by id, with their labels. */
export function themeConcepts(themeText: string): Map<string, string> {
  return new Map(findConcepts(themeText).map((concept) => [concept.id, concept.label]));
}

/** Concept ids of a listing's text: what makes two listings "about the same thing" for a reader. */
export function listingConcepts(listing: EntryListing): Set<string> {
  const text = [listing.title, listing.keywords.join('. '), listing.summary, listing.advantages ?? listing.specificationSought ?? '', listing.description].join('\n');
  return new Set(findConcepts(text).map((concept) => concept.id));
}

export class ThemeSearch {
  constructor(private readonly engine: SearchEngine) {}

  /** Candidate ids with their text relevance (0..1; 0 for listings found by sector alone), best first. */
  async candidates(query: ThemeQuery): Promise<{ id: string; relevance: number }[]> {
    const engine = this.engine;
    const filters = { validAt: query.validAt, excludeIds: query.excludeIds };
    const text = themeQueryText(query.text);
    const [byText, bySector] = await Promise.all([
      text
        ? engine.search({ text, mode: 'any', filters, sort: 'relevance', limit: query.limit, offset: 0 })
        : Promise.resolve({ hits: [], total: 0, facets: {} }),
      query.sectors.length
        ? engine.search({
            text: '',
            mode: 'any',
            filters: { ...filters, sectors: query.sectors as Sector[] },
            sort: 'newest',
            limit: query.limit,
            offset: 0,
          })
        : Promise.resolve({ hits: [], total: 0, facets: {} }),
    ]);
    const relevance = new Map<string, number>();
    for (const hit of byText.hits) relevance.set(hit.id, hit.score);
    for (const hit of bySector.hits) if (!relevance.has(hit.id)) relevance.set(hit.id, 0);
    return [...relevance.entries()].map(([id, score]) => ({ id, relevance: score }));
  }
}
