import { sql } from 'drizzle-orm';
import { pgTable, uuid, text, timestamp, date, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { listings } from './listings.js';
import { organizations } from './organizations.js';
import { users } from './users.js';

/**
 * The two sides an expression of interest connects, and the introduction it becomes: the listing,
 * its owner organisation (copied at sending time) and the sender. A function, so that each table
 * gets column builders of its own.
 */
function parties() {
  return {
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id),
    ownerOrganizationId: uuid('owner_organization_id')
      .notNull()
      .references(() => organizations.id),
    senderOrganizationId: uuid('sender_organization_id')
      .notNull()
      .references(() => organizations.id),
    senderUserId: uuid('sender_user_id')
      .notNull()
      .references(() => users.id),
  };
}

// An expression of interest: a seeker (or its intermediary) writing to a listing's owner through
// the platform. The owner organisation is copied from the listing at sending time so the EOI keeps
// its two sides even if the listing later changes hands.
export const interests = pgTable(
  'interests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...parties(),
    message: text('message').notNull(),
    // pending → accepted | declined | withdrawn
    status: text('status').notNull().default('pending'),
    declineReason: text('decline_reason'),
    declineNote: text('decline_note'),
    respondedById: uuid('responded_by_id').references(() => users.id),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open EOI per sender organisation and listing; a declined or withdrawn one may be followed by a new one.
    uniqueIndex('interests_open_per_sender_idx')
      .on(t.listingId, t.senderOrganizationId)
      .where(sql`${t.status} in ('pending', 'accepted')`),
    index('interests_owner_idx').on(t.ownerOrganizationId, t.createdAt),
    index('interests_sender_org_idx').on(t.senderOrganizationId, t.createdAt),
    index('interests_sender_user_idx').on(t.senderUserId, t.createdAt),
  ],
);

// What an accepted EOI becomes: the two sides in touch, and the outcome the Centre reports.
export const introductions = pgTable(
  'introductions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    interestId: uuid('interest_id')
      .notNull()
      .references(() => interests.id),
    ...parties(),
    // in_discussion → agreement_signed → closed; in_discussion → ended_without_agreement
    status: text('status').notNull().default('in_discussion'),
    agreementType: text('agreement_type'),
    agreementDate: date('agreement_date', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // When it reached closed or ended_without_agreement.
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('introductions_interest_idx').on(t.interestId),
    index('introductions_owner_idx').on(t.ownerOrganizationId, t.createdAt),
    index('introductions_sender_idx').on(t.senderOrganizationId, t.createdAt),
    index('introductions_status_idx').on(t.status, t.createdAt),
  ],
);
