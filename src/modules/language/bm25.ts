// Okapi BM25, the reference ranking of information retrieval: a formula over term counts, so
// written out here rather than pulled in with a search library's index. One formula for matching's
// lexical relevance (matching/text-relevance.ts: a listing's salient words over its candidates) and
// for the evaluation's baseline (cli/bm25.ts: a request's words over the labelled offers), so the
// evaluation compares matching with the very BM25 it uses.

export interface Bm25Parameters {
  /** Term frequency saturation. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
}

/** The usual values. */
export const BM25_PARAMETERS: Bm25Parameters = { k1: 1.2, b: 0.75 };

/** A document as BM25 reads it: its length and how often it holds a term (0 when it does not). */
export interface Bm25Document {
  length: number;
  frequency(term: string): number;
}

/** Inverse document frequency (the Lucene form, never negative) of a term `holders` of `documents` hold. */
export function bm25Idf(holders: number, documents: number): number {
  return Math.log(1 + (documents - holders + 0.5) / (holders + 0.5));
}

/**
 * Each document's BM25 for the query's (distinct) terms, in the documents' order. The inverse
 * document frequency is taken over the documents themselves, counted as at least `documentCount`
 * of them; the average length is at least one word.
 */
export function bm25Scores(
  terms: readonly string[],
  documents: readonly Bm25Document[],
  { documentCount = documents.length, parameters = BM25_PARAMETERS }: { documentCount?: number; parameters?: Bm25Parameters } = {},
): number[] {
  const { k1, b } = parameters;
  const frequencies = documents.map((document) => terms.map((term) => document.frequency(term)));
  const idf = terms.map((_, i) => bm25Idf(frequencies.filter((row) => row[i]! > 0).length, Math.max(documentCount, documents.length)));
  const averageLength = Math.max(1, documents.reduce((sum, document) => sum + document.length, 0) / Math.max(1, documents.length));
  return documents.map((document, d) => {
    const norm = k1 * (1 - b + (b * document.length) / averageLength);
    let score = 0;
    frequencies[d]!.forEach((tf, i) => {
      if (tf > 0) score += (idf[i]! * tf * (k1 + 1)) / (tf + norm);
    });
    return score;
  });
}
