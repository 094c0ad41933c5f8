import { sql, type SQL } from 'drizzle-orm';

// PostgreSQL's reading of words, shared by the search index and by matching's term counts: both
// must split and stem a text the same way, or a count would not say how far a query reaches.

/** The text search configuration of the index (stemming, stopwords). */
export const TEXT_CONFIG = sql.raw(`'english'`);

/**
 * The distinct lexemes the index makes of a text (SQL text[]): its words as the tsvector holds
 * them, for counts that must agree with what a query reaches (matching's candidate budget).
 */
export function indexLexemes(text: SQL) {
  return sql`tsvector_to_array(to_tsvector(${TEXT_CONFIG}, unaccent(${text})))`;
}
