import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { mailMessages } from '../../../drizzle/mail.js';
import type { Executor } from '../../db/client.js';

export type MailMessageRow = typeof mailMessages.$inferSelect;
export type NewMailMessage = typeof mailMessages.$inferInsert;
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** Inserts the message unless one with its idempotency key exists; returns the new id, or null. */
export async function insertMessage(db: Executor, values: NewMailMessage): Promise<string | null> {
  const rows = await db
    .insert(mailMessages)
    .values(values)
    .onConflictDoNothing({ target: mailMessages.idempotencyKey })
    .returning({ id: mailMessages.id });
  return rows[0]?.id ?? null;
}

export async function findMessage(db: Executor, id: string) {
  const [row] = await db.select().from(mailMessages).where(eq(mailMessages.id, id)).limit(1);
  return row ?? null;
}

/**
 * Takes a queued message for sending: one atomic update, so of two workers only one gets it. The
 * claim is committed before the SMTP conversation starts, which is what lets a later attempt tell
 * "never tried" from "may have been delivered".
 */
export async function claimForSending(db: Executor, id: string, now: Date) {
  const [row] = await db
    .update(mailMessages)
    .set({ status: 'sending', attempts: sql`${mailMessages.attempts} + 1`, lastAttemptAt: now, updatedAt: now })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, 'queued')))
    .returning();
  return row ?? null;
}

export async function markSent(db: Executor, id: string, now: Date) {
  // Unconditional: if the message went out, "sent" is the truth whatever another worker concluded meanwhile.
  await db.update(mailMessages).set({ status: 'sent', sentAt: now, lastError: null, updatedAt: now }).where(eq(mailMessages.id, id));
}

/** Ends an attempt that did not deliver: back to queued for the next retry, or failed until an admin retries it. */
export async function markAttemptFailed(db: Executor, id: string, error: string, status: 'queued' | 'failed', now: Date) {
  await db
    .update(mailMessages)
    .set({ status, lastError: error, updatedAt: now })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, 'sending')));
}

/** Ends a queued message without sending it: a send check withheld it (the recipient unsubscribed, bounced…). */
export async function cancelQueued(db: Executor, id: string, reason: string, now: Date) {
  await db
    .update(mailMessages)
    .set({ status: 'cancelled', lastError: reason, updatedAt: now })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, 'queued')));
}

export async function statusesByKey(db: Executor, idempotencyKeys: string[]) {
  if (idempotencyKeys.length === 0) return [];
  return db
    .select({ idempotencyKey: mailMessages.idempotencyKey, status: mailMessages.status, lastError: mailMessages.lastError })
    .from(mailMessages)
    .where(inArray(mailMessages.idempotencyKey, idempotencyKeys));
}

/** Puts a failed message back in the queue; false when it is not failed. */
export async function requeueFailed(db: Executor, id: string, now: Date) {
  const rows = await db
    .update(mailMessages)
    .set({ status: 'queued', updatedAt: now })
    .where(and(eq(mailMessages.id, id), eq(mailMessages.status, 'failed')))
    .returning({ id: mailMessages.id });
  return rows.length > 0;
}

export interface MailFilter {
  status?: MailStatus;
  template?: string;
  to?: string;
}

export async function listMessages(db: Executor, filter: MailFilter, limit: number, offset: number) {
  const conditions = [
    filter.status ? eq(mailMessages.status, filter.status) : undefined,
    filter.template ? eq(mailMessages.template, filter.template) : undefined,
    filter.to ? sql`lower(${mailMessages.toEmail}) = lower(${filter.to})` : undefined,
  ].filter((condition) => condition !== undefined);
  const where = conditions.length ? and(...conditions) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(mailMessages).where(where).orderBy(desc(mailMessages.createdAt), desc(mailMessages.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(mailMessages).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** How many messages are in each status. */
export async function countsByStatus(db: Executor) {
  const rows = await db.select({ status: mailMessages.status, n: count() }).from(mailMessages).groupBy(mailMessages.status);
  return new Map(rows.map((row) => [row.status, row.n]));
}

/** Ids of failed messages after `afterId` (ids are uuids: any stable order will do), for retrying them all. */
export async function failedMessageIds(db: Executor, afterId: string | null, limit: number) {
  const rows = await db
    .select({ id: mailMessages.id })
    .from(mailMessages)
    .where(and(eq(mailMessages.status, 'failed'), afterId ? gt(mailMessages.id, afterId) : undefined))
    .orderBy(asc(mailMessages.id))
    .limit(limit);
  return rows.map((row) => row.id);
}
