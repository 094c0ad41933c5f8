import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, smallint, boolean, integer, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from './organizations.js';
import { users } from './users.js';

export const listings = pgTable(
  'listings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull(),
    kind: text('kind').notNull(),
    status: text('status').notNull().default('draft'),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    advantages: text('advantages'),
    specificationSought: text('specification_sought'),
    sectors: text('sectors').array().notNull(),
    keywords: text('keywords').array().notNull(),
    stage: text('stage').notNull(),
    trl: smallint('trl').notNull(),
    iprStatus: text('ipr_status').notNull(),
    iprNotes: text('ipr_notes'),
    partnershipTypes: text('partnership_types').array().notNull(),
    targetCountries: text('target_countries').array().notNull(),
    sdgs: smallint('sdgs').array().notNull(),
    anonymous: boolean('anonymous').notNull().default(false),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    createdById: uuid('created_by_id')
      .notNull()
      .references(() => users.id),
    postedById: uuid('posted_by_id').references(() => users.id),
    editorNote: text('editor_note'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    renewalCount: smallint('renewal_count').notNull().default(0),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    // The identifier the listing has in the system it was imported from: re-importing the same file
    // updates the listing instead of creating a second one.
    externalRef: text('external_ref'),
    externalSource: text('external_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('listings_reference_idx').on(t.reference),
    index('listings_status_published_idx').on(t.status, t.publishedAt),
    index('listings_organization_idx').on(t.organizationId),
    index('listings_expires_idx').on(t.status, t.expiresAt),
    index('listings_sectors_idx').using('gin', t.sectors),
    uniqueIndex('listings_external_ref_idx').on(t.organizationId, t.externalRef).where(sql`${t.externalRef} is not null`),
    // Imports report likely duplicates by title similarity (pg_trgm's % operator uses this index).
    index('listings_title_trgm_idx').using('gin', sql`lower(${t.title}) gin_trgm_ops`),
    index('listings_updated_idx').on(t.updatedAt, t.id),
    // Also listings_facts_idx (migration 0006, by hand: INCLUDE columns), which matching's
    // findListingFacts reads alone.
  ],
);

// Sequence per reference prefix (TO-TH-2026): references are numbered per kind, country and year.
export const referenceCounters = pgTable('reference_counters', {
  prefix: text('prefix').primaryKey(),
  lastNumber: integer('last_number').notNull(),
});

// An owner's change to a published listing's public content, waiting for an editor: the listing row
// keeps the published version (what search, matching and the public read) until an editor accepts
// the revision, or returns it with a note. At most one revision of a listing is pending.
export const listingRevisions = pgTable(
  'listing_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id),
    // pending → accepted | returned
    status: text('status').notNull().default('pending'),
    /** The proposed values of the fields the owner changed, by field name (the listing's API names). */
    changes: jsonb('changes').notNull(),
    /** The listing version the proposal was last made against. */
    baseVersion: integer('base_version').notNull(),
    submittedById: uuid('submitted_by_id')
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    decidedById: uuid('decided_by_id').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The proposal field by field against the published listing, as the editor decided on it. */
    decidedDiff: jsonb('decided_diff'),
    /** The editor's note when returned. */
    note: text('note'),
  },
  (t) => [
    uniqueIndex('listing_revisions_one_pending_idx').on(t.listingId).where(sql`${t.status} = 'pending'`),
    index('listing_revisions_queue_idx').on(t.status, t.submittedAt),
    index('listing_revisions_listing_idx').on(t.listingId, t.submittedAt),
  ],
);
