import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, jsonb, boolean, smallint, bigserial, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { listings } from './listings.js';
import { users } from './users.js';

// A user's standing question to the database: a query with filters ('query'), or "new matches for
// one of my listings" ('listing'). New and renewed listings are checked against every active one.
export const savedSearches = pgTable(
  'saved_searches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    query: text('query').notNull().default(''),
    filters: jsonb('filters').notNull().default({}),
    listingId: uuid('listing_id').references(() => listings.id, { onDelete: 'cascade' }),
    frequency: text('frequency').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('saved_searches_user_idx').on(t.userId, t.createdAt),
    index('saved_searches_active_idx').on(t.kind, t.id).where(sql`${t.active}`),
  ],
);

// One row per (saved search, listing) that matched: the unique index is what guarantees a match is
// mailed at most once, whatever retries, renewals or crashes happen. delivered_at stays null until
// the instant mail or the daily digest carrying it is enqueued (in the same transaction).
export const alertMatches = pgTable(
  'alert_matches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    savedSearchId: uuid('saved_search_id')
      .notNull()
      .references(() => savedSearches.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    score: smallint('score'),
    matchedAt: timestamp('matched_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** 'instant', 'digest', or 'dropped' (the listing was no longer public when the digest ran). */
    deliveredVia: text('delivered_via'),
  },
  (t) => [
    uniqueIndex('alert_matches_search_listing_idx').on(t.savedSearchId, t.listingId),
    index('alert_matches_undelivered_idx').on(t.savedSearchId).where(sql`${t.deliveredAt} is null`),
  ],
);
