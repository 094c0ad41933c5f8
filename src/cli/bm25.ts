import { bm25Idf, bm25Scores, BM25_PARAMETERS, type Bm25Parameters } from '../modules/language/bm25.js';
import { stem } from '../modules/language/stemming.js';
import { tokens } from '../modules/language/text.js';

// The evaluation's baseline for matching: Okapi BM25 (language/bm25.ts, the formula matching's own
// lexical relevance uses) over whole texts. Words are read as matching reads them (language/text.ts
// tokens, stemmed), so the comparison is of the ranking, not of the tokeniser.

export interface Bm25Document {
  id: string;
  text: string;
}

export class Bm25Index {
  private readonly documents: { id: string; length: number; counts: Map<string, number>; frequency(term: string): number }[];

  constructor(
    documents: readonly Bm25Document[],
    private readonly parameters: Bm25Parameters = BM25_PARAMETERS,
  ) {
    this.documents = documents.map(({ id, text }) => {
      const terms = analyse(text);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      return { id, length: terms.length, counts, frequency: (term: string) => counts.get(term) ?? 0 };
    });
  }

  /** Inverse document frequency (the Lucene form, never negative). */
  idf(term: string): number {
    return bm25Idf(this.documents.filter((document) => document.counts.has(term)).length, this.documents.length);
  }

  /** Documents holding a word of the query, best first (equal scores in id order). */
  rank(query: string): { id: string; score: number }[] {
    const scores = bm25Scores([...new Set(analyse(query))], this.documents, { parameters: this.parameters });
    return this.documents
      .map((document, i) => ({ id: document.id, score: scores[i]! }))
      .filter((hit) => hit.score > 0)
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }
}

function analyse(text: string): string[] {
  return tokens(text).map(stem);
}
