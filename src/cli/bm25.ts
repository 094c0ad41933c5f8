import { stem } from '../modules/language/stemming.js';
import { tokens } from '../modules/language/text.js';

// Okapi BM25, the reference ranking of information retrieval, as the evaluation's baseline for
// matching: a formula over term counts, so written out here rather than pulled in with a search
// library's index. Words are read as matching reads them (language/text.ts tokens, stemmed), so the
// comparison is of the ranking, not of the tokeniser.

export interface Bm25Document {
  id: string;
  text: string;
}

export interface Bm25Options {
  /** Term frequency saturation. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

const DEFAULTS: Bm25Options = { k1: 1.2, b: 0.75 };

export class Bm25Index {
  private readonly documents: { id: string; length: number; counts: Map<string, number> }[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(
    documents: readonly Bm25Document[],
    private readonly options: Bm25Options = DEFAULTS,
  ) {
    this.documents = documents.map(({ id, text }) => {
      const terms = analyse(text);
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const term of counts.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      return { id, length: terms.length, counts };
    });
    this.averageLength = this.documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, this.documents.length);
  }

  /** Inverse document frequency (the Lucene form, never negative). */
  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.documents.length - n + 0.5) / (n + 0.5));
  }

  /** Documents holding a word of the query, best first (equal scores in id order). */
  rank(query: string): { id: string; score: number }[] {
    const { k1, b } = this.options;
    const terms = [...new Set(analyse(query))].filter((term) => this.documentFrequency.has(term));
    const scored: { id: string; score: number }[] = [];
    for (const document of this.documents) {
      let score = 0;
      for (const term of terms) {
        const tf = document.counts.get(term);
        if (!tf) continue;
        score += (this.idf(term) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * document.length) / this.averageLength));
      }
      if (score > 0) scored.push({ id: document.id, score });
    }
    return scored.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }
}

function analyse(text: string): string[] {
  return tokens(text).map(stem);
}
