import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { listings } from './listings.js';
import { users } from './users.js';

// Browser sessions of the web pages. The cookie holds a random token; only its SHA-256 hash is
// stored, so a database leak does not hand out sessions. Logout, a password reset and an admin
// disabling the account delete the rows, which ends the sessions at once.
export const browserSessions = pgTable(
  'browser_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('browser_sessions_user_idx').on(t.userId), index('browser_sessions_expires_idx').on(t.expiresAt)],
);

// How often a listing was seen: counted in memory by each service copy and added here in batches,
// so a page view never costs a database write.
export const listingCounters = pgTable('listing_counters', {
  listingId: uuid('listing_id')
    .primaryKey()
    .references(() => listings.id, { onDelete: 'cascade' }),
  views: bigint('views', { mode: 'number' }).notNull().default(0),
  searchAppearances: bigint('search_appearances', { mode: 'number' }).notNull().default(0),
  matchAppearances: bigint('match_appearances', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
