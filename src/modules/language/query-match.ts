import { editDistance, parseQueryText, typoBudget, type ParsedQuery, type QueryTerm } from './query-text.js';
import { conceptHits, conceptRelation, relatedTerms } from './concept-hits.js';
import { stem } from './stemming.js';
import { normalizeText, tokens } from './text.js';

// Does one listing answer a search-box query? The question alerts ask of every new listing, for
// every saved search. Answered locally (not through the index), so an alert never depends on
// whether the index job of the new listing ran first. The rules follow the search engines: every
// clause must match, no excluded term may; a word matches itself, a typo of it, or a term of the
// domain vocabulary it names. On top, a concept the query names ('keeping vegetables cool') is
// found in a listing that holds it, or a kind of it ('solar cold room'), in other words.

/** A listing's text prepared once for many queries. */
export class MatchableText {
  private readonly sequence: string[];
  private readonly stemSet: Set<string>;
  private readonly words: string[];
  private readonly conceptIds: string[];
  private readonly typoCache = new Map<string, boolean>();

  constructor(text: string) {
    const words = tokens(text);
    this.sequence = words.map(stem);
    this.stemSet = new Set(this.sequence);
    this.words = [...new Set(words)];
    this.conceptIds = conceptHits(text).map((hit) => hit.id);
  }

  hasWord(word: string): boolean {
    const normalized = normalizeText(word);
    if (this.stemSet.has(stem(normalized))) return true;
    const budget = typoBudget(normalized);
    if (budget === 0) return false;
    let cached = this.typoCache.get(normalized);
    if (cached === undefined) {
      cached = this.words.some((candidate) => editDistance(candidate, normalized, budget) <= budget);
      this.typoCache.set(normalized, cached);
    }
    return cached;
  }

  /** The words in this order, next to each other (ignoring stopwords, as the engines do). */
  hasPhrase(phrase: string): boolean {
    const wanted = tokens(phrase).map(stem);
    if (wanted.length === 0) return false;
    if (wanted.length === 1) return this.stemSet.has(wanted[0]!);
    if (!wanted.every((part) => this.stemSet.has(part))) return false;
    outer: for (let i = 0; i + wanted.length <= this.sequence.length; i++) {
      for (let j = 0; j < wanted.length; j++) if (this.sequence[i + j] !== wanted[j]) continue outer;
      return true;
    }
    return false;
  }

  /** The concept itself, or a kind of it. */
  hasConcept(id: string): boolean {
    return this.conceptIds.some((own) => {
      const relation = conceptRelation(id, own);
      return relation === 'same' || relation === 'narrower';
    });
  }
}

export function parseSavedQuery(text: string): ParsedQuery {
  return parseQueryText(text);
}

const termWords = (term: QueryTerm) => (term.kind === 'word' ? [term.word] : term.words);

/** Whether the text answers the query; an empty query (filters only) matches everything. */
export function matchesQuery(parsed: ParsedQuery, text: MatchableText): boolean {
  for (const term of parsed.excluded) {
    if (term.kind === 'phrase' ? text.hasPhrase(term.words.join(' ')) : text.hasWord(term.word)) return false;
  }
  const positive = parsed.clauses.flat();
  // Words of the query that name a concept the listing holds are answered by that concept.
  const answeredByConcept = new Set<string>();
  for (const hit of conceptHits(positive.map((term) => termWords(term).join(' ')).join(' '))) {
    if (text.hasConcept(hit.id)) for (const word of tokens(hit.phrase)) answeredByConcept.add(stem(word));
  }
  const termMatches = (term: QueryTerm): boolean | null => {
    const meaningful = termWords(term).flatMap((word) => tokens(word));
    if (meaningful.length === 0) return null;
    if (meaningful.every((word) => answeredByConcept.has(stem(word)))) return true;
    if (term.kind === 'phrase') return text.hasPhrase(meaningful.join(' '));
    return text.hasWord(term.word) || relatedTerms(term.word).some((related) => text.hasPhrase(related));
  };
  for (const clause of parsed.clauses) {
    const results = clause.map(termMatches);
    // A clause of stopwords only says nothing, as in the engines.
    if (results.every((result) => result === null)) continue;
    if (!results.some((result) => result === true)) return false;
  }
  return true;
}
