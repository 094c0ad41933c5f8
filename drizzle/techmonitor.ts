import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, integer, date, jsonb, bigserial, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { listings } from './listings.js';
import { users } from './users.js';

// The Tech Monitor: a quarterly periodical whose issues carry a curated selection of offers and
// requests. Named tm_* so its "issues" are never confused with anything else called an issue.

export const tmIssues = pgTable(
  'tm_issues',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    volume: integer('volume').notNull(),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    themeText: text('theme_text').notNull(),
    themeSectors: text('theme_sectors').array().notNull(),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    targetOffers: integer('target_offers').notNull(),
    targetRequests: integer('target_requests').notNull(),
    status: text('status').notNull().default('draft'),
    // Every change (metadata, selection, state) bumps it; writers send the version they edited.
    version: integer('version').notNull().default(1),
    createdById: uuid('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedById: uuid('published_by_id').references(() => users.id, { onDelete: 'set null' }),
    sendStartedAt: timestamp('send_started_at', { withTimezone: true }),
    // Set when every subscriber active at the time has its delivery row (the send job is finished).
    deliveriesCreatedAt: timestamp('deliveries_created_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tm_issues_volume_number_idx').on(t.volume, t.number),
    index('tm_issues_status_published_idx').on(t.status, t.publishedAt),
    check('tm_issues_period_check', sql`${t.periodEnd} >= ${t.periodStart}`),
  ],
);

export const tmEntries = pgTable(
  'tm_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => tmIssues.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id),
    kind: text('kind').notNull(),
    position: integer('position').notNull(),
    note: text('note'),
    // The listing's public view at publication; null while the issue is a draft. Published issues
    // print this, never the live listing, so later edits or withdrawal do not change them.
    snapshot: jsonb('snapshot'),
    addedById: uuid('added_by_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tm_entries_issue_listing_idx').on(t.issueId, t.listingId), index('tm_entries_listing_idx').on(t.listingId)],
);

export const tmSubscribers = pgTable(
  'tm_subscribers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name'),
    countries: text('countries').array().notNull(),
    sectors: text('sectors').array().notNull(),
    // pending (awaiting confirmation) → active; unsubscribed and bounced are never mailed again.
    status: text('status').notNull().default('pending'),
    confirmTokenHash: text('confirm_token_hash'),
    confirmTokenExpiresAt: timestamp('confirm_token_expires_at', { withTimezone: true }),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    bouncedAt: timestamp('bounced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tm_subscribers_email_lower_idx').on(sql`lower(${t.email})`),
    uniqueIndex('tm_subscribers_confirm_token_idx').on(t.confirmTokenHash),
    index('tm_subscribers_status_idx').on(t.status, t.id),
  ],
);

// One row per issue and subscriber: the unique pair is what makes a resumed send skip everyone
// already handled, and the row's status is the send's progress.
export const tmDeliveries = pgTable(
  'tm_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => tmIssues.id, { onDelete: 'cascade' }),
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => tmSubscribers.id, { onDelete: 'cascade' }),
    status: text('status').notNull().default('queued'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tm_deliveries_issue_subscriber_idx').on(t.issueId, t.subscriberId), index('tm_deliveries_status_idx').on(t.issueId, t.status)],
);
