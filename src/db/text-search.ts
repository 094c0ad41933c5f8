import { sql, type SQL } from 'drizzle-orm';

// PostgreSQL's reading of words, shared by the search index and by matching's term counts: both
// must split and stem a text the same way, or a count would not say how far a query reaches.

/** The text search configuration of the index (stemming, stopwords). */
export const TEXT_CONFIG = sql.raw(`'english'`);

/**
 * Punctuation PostgreSQL's parser glues words with: "COVID-19" gives 'covid' and '-19'; "PM2.5",
 * "forward/reverse", "v2.0" and "info@example.org" give one lexeme each, which no query reaches (the
 * query parser splits words at every character that is not a letter or digit, query-text.ts).
 * Index and query read these characters as spaces, so both hold the same words in the same order.
 */
const WORD_JOINERS = ['-', '.', '/', '@', ':', '+', '_', '~'];

/**
 * Text as the index reads it (SQL text): accents folded, word joiners as spaces. One replace() per
 * joiner: PostgreSQL's translate() does the same about five times slower on multibyte text (3.5 s
 * against 0.1 s for 3,000 descriptions), which would slow indexing down by a third.
 */
export function searchable(text: SQL | string) {
  return WORD_JOINERS.reduce<SQL>((replaced, joiner) => sql`replace(${replaced}, ${sql.raw(`'${joiner}'`)}, ' ')`, sql`unaccent(${text})`);
}

/**
 * The distinct lexemes the index makes of a text (SQL text[]): its words as the tsvector holds
 * them, for counts that must agree with what a query reaches (matching's candidate budget).
 */
export function indexLexemes(text: SQL) {
  return sql`tsvector_to_array(to_tsvector(${TEXT_CONFIG}, ${searchable(text)}))`;
}
