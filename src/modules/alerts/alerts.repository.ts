import { and, asc, count, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { alertMatches, savedSearches } from '../../../drizzle/alerts.js';
import type { Executor } from '../../db/client.js';

export type SavedSearchRow = typeof savedSearches.$inferSelect;
export type NewSavedSearch = typeof savedSearches.$inferInsert;
export type AlertMatchRow = typeof alertMatches.$inferSelect;

export async function insertSavedSearch(db: Executor, values: NewSavedSearch) {
  const [row] = await db.insert(savedSearches).values(values).returning();
  return row!;
}

export async function findSavedSearch(db: Executor, id: string) {
  const [row] = await db.select().from(savedSearches).where(eq(savedSearches.id, id));
  return row ?? null;
}

export async function updateSavedSearch(db: Executor, id: string, values: Partial<NewSavedSearch>) {
  const [row] = await db.update(savedSearches).set(values).where(eq(savedSearches.id, id)).returning();
  return row ?? null;
}

export async function deleteSavedSearch(db: Executor, id: string) {
  await db.delete(savedSearches).where(eq(savedSearches.id, id));
}

export async function listSavedSearches(db: Executor, userId: string, limit: number, offset: number) {
  const where = eq(savedSearches.userId, userId);
  const [items, [total]] = await Promise.all([
    db.select().from(savedSearches).where(where).orderBy(desc(savedSearches.createdAt), desc(savedSearches.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(savedSearches).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function countSavedSearches(db: Executor, userId: string) {
  const [row] = await db.select({ n: count() }).from(savedSearches).where(eq(savedSearches.userId, userId));
  return row?.n ?? 0;
}

/** Deactivates saved searches of a user (all of them, or those given); returns the ones changed. */
export function deactivateSavedSearches(db: Executor, userId: string, ids: string[] | null, now: Date) {
  return db
    .update(savedSearches)
    .set({ active: false, updatedAt: now })
    .where(and(eq(savedSearches.userId, userId), eq(savedSearches.active, true), ids ? inArray(savedSearches.id, ids) : undefined))
    .returning({ id: savedSearches.id, name: savedSearches.name });
}

/** A page of active saved searches of one kind, in id order (keyset: pass the last id seen). */
export function activeSavedSearchesPage(db: Executor, kind: string, afterId: string | null, limit: number) {
  return db
    .select()
    .from(savedSearches)
    .where(and(eq(savedSearches.kind, kind), eq(savedSearches.active, true), afterId ? gt(savedSearches.id, afterId) : undefined))
    .orderBy(asc(savedSearches.id))
    .limit(limit);
}

/**
 * Records matches; a pair already recorded is left alone (that is what keeps a renewal or a retried
 * job from alerting twice). Returns only the rows this call created.
 */
export function insertMatches(
  db: Executor,
  rows: { savedSearchId: string; listingId: string; score: number | null; deliveredAt: Date | null; deliveredVia: string | null }[],
  now: Date,
) {
  if (rows.length === 0) return Promise.resolve([] as AlertMatchRow[]);
  return db
    .insert(alertMatches)
    .values(rows.map((row) => ({ ...row, matchedAt: now })))
    .onConflictDoNothing({ target: [alertMatches.savedSearchId, alertMatches.listingId] })
    .returning();
}

/**
 * Users with undelivered matches of active saved searches whose last digest is older than
 * `lastDigestBefore`.
 */
export async function usersDueForDigest(db: Executor, lastDigestBefore: Date, limit: number) {
  const rows = await db
    .selectDistinct({ userId: savedSearches.userId })
    .from(alertMatches)
    .innerJoin(savedSearches, eq(savedSearches.id, alertMatches.savedSearchId))
    .where(
      and(
        isNull(alertMatches.deliveredAt),
        eq(savedSearches.active, true),
        sql`not exists (
          select 1 from ${alertMatches} recent
          join ${savedSearches} recent_search on recent_search.id = recent.saved_search_id
          where recent_search.user_id = ${savedSearches.userId}
            and recent.delivered_via = 'digest'
            and recent.delivered_at > ${lastDigestBefore.toISOString()}::timestamptz
        )`,
      ),
    )
    .orderBy(asc(savedSearches.userId))
    .limit(limit);
  return rows.map((row) => row.userId);
}

/**
 * A user's undelivered matches of active saved searches, locked for this transaction. SKIP LOCKED:
 * a digest run in another process that holds them already is sending them.
 */
export function lockUndeliveredMatches(db: Executor, userId: string) {
  return db
    .select({ match: alertMatches, savedSearch: savedSearches })
    .from(alertMatches)
    .innerJoin(savedSearches, eq(savedSearches.id, alertMatches.savedSearchId))
    .where(and(isNull(alertMatches.deliveredAt), eq(savedSearches.userId, userId), eq(savedSearches.active, true)))
    .orderBy(asc(alertMatches.id))
    .for('update', { of: alertMatches, skipLocked: true });
}

export async function markDelivered(db: Executor, ids: number[], via: string, now: Date) {
  if (ids.length === 0) return;
  await db.update(alertMatches).set({ deliveredAt: now, deliveredVia: via }).where(inArray(alertMatches.id, ids));
}

export function matchesOfSavedSearch(db: Executor, savedSearchId: string) {
  return db.select().from(alertMatches).where(eq(alertMatches.savedSearchId, savedSearchId)).orderBy(asc(alertMatches.id));
}
