import { and, count, desc, eq, gt, inArray, or, sql, type SQL } from 'drizzle-orm';
import { interests } from '../../../drizzle/interests.js';
import type { Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/sql-helpers.js';
import type { InterestStatus } from './interests.vocabulary.js';

export type InterestRow = typeof interests.$inferSelect;
export type NewInterest = typeof interests.$inferInsert;

/** Whom a list shows: everything (editors, admins) or the EOIs of the actor and the organisations it acts for. */
export type InterestScope = { kind: 'all' } | { kind: 'parties'; userId: string; organizationIds: string[] };

export interface InterestFilter {
  box?: 'sent' | 'received';
  status?: InterestStatus[];
  listingId?: string;
}

/**
 * Serialises the EOIs one user sends, so the daily limit holds under concurrent requests. The lock
 * is released when the transaction ends.
 */
export async function lockSender(tx: Executor, userId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`interest-sender:${userId}`}, 0))`);
}

export async function countSentAfter(db: Executor, userId: string, since: Date) {
  const [row] = await db
    .select({ n: count() })
    .from(interests)
    .where(and(eq(interests.senderUserId, userId), gt(interests.createdAt, since)));
  return row?.n ?? 0;
}

export async function findOpen(db: Executor, listingId: string, senderOrganizationId: string) {
  const [row] = await db
    .select({ id: interests.id })
    .from(interests)
    .where(
      and(eq(interests.listingId, listingId), eq(interests.senderOrganizationId, senderOrganizationId), inArray(interests.status, ['pending', 'accepted'])),
    )
    .limit(1);
  return row ?? null;
}

/** Inserts the EOI; null when the sender organisation already has an open one (a concurrent request won). */
export async function insertInterest(db: Executor, values: NewInterest) {
  try {
    const [row] = await db.insert(interests).values(values).returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function findInterest(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(interests).where(eq(interests.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function updateInterest(db: Executor, id: string, values: Partial<NewInterest>) {
  const [row] = await db.update(interests).set(values).where(eq(interests.id, id)).returning();
  return row!;
}

function sentBy(userId: string, organizationIds: string[]): SQL {
  return organizationIds.length
    ? or(eq(interests.senderUserId, userId), inArray(interests.senderOrganizationId, organizationIds))!
    : eq(interests.senderUserId, userId);
}

function receivedBy(organizationIds: string[]): SQL {
  return organizationIds.length ? inArray(interests.ownerOrganizationId, organizationIds) : sql`false`;
}

export async function listInterests(db: Executor, scope: InterestScope, filter: InterestFilter, actor: { userId: string; organizationIds: string[] }, limit: number, offset: number) {
  const conditions: (SQL | undefined)[] = [
    scope.kind === 'parties' ? or(sentBy(scope.userId, scope.organizationIds), receivedBy(scope.organizationIds)) : undefined,
    filter.box === 'sent' ? sentBy(actor.userId, actor.organizationIds) : undefined,
    filter.box === 'received' ? receivedBy(actor.organizationIds) : undefined,
    filter.status?.length ? inArray(interests.status, filter.status) : undefined,
    filter.listingId ? eq(interests.listingId, filter.listingId) : undefined,
  ];
  const where = and(...conditions.filter((condition): condition is SQL => condition !== undefined));
  const [items, [total]] = await Promise.all([
    db.select().from(interests).where(where).orderBy(desc(interests.createdAt), desc(interests.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(interests).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** How many EOIs each listing received, in any status. */
export async function countByListing(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return [];
  return db
    .select({ listingId: interests.listingId, n: count() })
    .from(interests)
    .where(inArray(interests.listingId, listingIds))
    .groupBy(interests.listingId);
}
