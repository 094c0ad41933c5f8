import { pgTable, uuid, integer, jsonb, timestamp, text, primaryKey } from 'drizzle-orm/pg-core';
import { listings } from './listings.js';

// What matching reads of a listing's text, analysed once when the listing is written (its salient
// terms, word stems and domain concepts) instead of on every request that ranks it as a candidate.
// Derived data: keyed by the listing version it was computed from, recomputed when that differs.
export const listingMatchFeatures = pgTable('listing_match_features', {
  listingId: uuid('listing_id')
    .primaryKey()
    .references(() => listings.id, { onDelete: 'cascade' }),
  listingVersion: integer('listing_version').notNull(),
  features: jsonb('features').notNull(),
  // The stems of the listing's text apart from the rest, so a query can read the few it needs.
  stems: text('stems').array(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
});

// The distinct lexemes of each analysed listing's text as the search index stems it (to_tsvector
// 'english' over unaccent: "irrigation", "irrigated" → irrig), kept to move matching_stem_counts when
// the text changes. A table of their own: only writes read them, and in listing_match_features they
// would add half again to the rows matching reads for every candidate.
export const listingMatchLexemes = pgTable('listing_match_lexemes', {
  listingId: uuid('listing_id')
    .primaryKey()
    .references(() => listings.id, { onDelete: 'cascade' }),
  lexemes: text('lexemes').array().notNull(),
});

// How many analysed listings of each kind hold each word, kept in step with listing_match_features.
// It tells rare words (which say what a listing is about, and cost the engine little) from common
// ones, among the listings a match would come from, and how many listings a candidate query will
// reach. So `stem` is a lexeme as the search index stems words (listing_match_lexemes, since
// migration 0007): matching's own lighter stems ("irrigation" and "irrigated" apart) undercounted
// what the engine finds for a word, up to twelvefold.
export const matchingStemCounts = pgTable(
  'matching_stem_counts',
  {
    stem: text('stem').notNull(),
    kind: text('kind').notNull(),
    listings: integer('listings').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stem, t.kind] })],
);
