import { pgTable, uuid, text, timestamp, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from './users.js';

// The mail outbox: one row per message, written in the transaction of the change that causes it.
// The row is rendered once at enqueue time, so what is sent is what was decided then, and every
// attempt is recorded on it. The idempotency key names the message (not the attempt): enqueueing
// twice with one key keeps one row, and the worker never sends a row that is already sent.
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull(),
    toEmail: text('to_email').notNull(),
    toName: text('to_name'),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    template: text('template').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    html: text('html').notNull(),
    // The RFC 5322 Message-ID, fixed at enqueue time so every attempt sends the same message.
    messageId: text('message_id').notNull(),
    unsubscribeUrl: text('unsubscribe_url'),
    // The recipient gets this message because they act for this organisation (its member, or an
    // intermediary representing it): at send time it goes out only if they still do.
    actingForOrganizationId: uuid('acting_for_organization_id'),
    // queued → sending → sent | failed (sending: the SMTP conversation is under way);
    // queued → cancelled when a send check withholds it (e.g. the subscriber left).
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mail_messages_idempotency_key_idx').on(t.idempotencyKey),
    uniqueIndex('mail_messages_message_id_idx').on(t.messageId),
    index('mail_messages_status_idx').on(t.status, t.createdAt),
    index('mail_messages_user_idx').on(t.userId),
  ],
);
