import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { listingRevisions, listings } from '../../../drizzle/listings.js';
import type { Executor } from '../../db/client.js';

export type RevisionRow = typeof listingRevisions.$inferSelect;
export type NewRevision = typeof listingRevisions.$inferInsert;
export type RevisionStatus = 'pending' | 'accepted' | 'returned' | 'withdrawn';

export async function findPending(db: Executor, listingId: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(listingRevisions)
    .where(and(eq(listingRevisions.listingId, listingId), eq(listingRevisions.status, 'pending')));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** The listing's pending revision, else its most recent one. */
export async function findCurrent(db: Executor, listingId: string) {
  const pending = await findPending(db, listingId);
  if (pending) return pending;
  const [latest] = await db
    .select()
    .from(listingRevisions)
    .where(eq(listingRevisions.listingId, listingId))
    .orderBy(desc(listingRevisions.updatedAt), desc(listingRevisions.submittedAt))
    .limit(1);
  return latest ?? null;
}

export async function insertRevision(db: Executor, values: NewRevision) {
  const [row] = await db.insert(listingRevisions).values(values).returning();
  return row!;
}

export async function updateRevision(db: Executor, id: string, values: Partial<NewRevision>) {
  const [row] = await db.update(listingRevisions).set(values).where(eq(listingRevisions.id, id)).returning();
  return row!;
}

/** Statuses in which a listing's pending revision waits for an editor (a withdrawn or expired listing's does not). */
export const REVIEWABLE_LISTING_STATUSES = ['published', 'on_hold'];

/** The editors' queue: pending revisions of listings still public or on hold, oldest first. */
export async function listPending(db: Executor, limit: number, offset: number) {
  const where = and(eq(listingRevisions.status, 'pending'), inArray(listings.status, REVIEWABLE_LISTING_STATUSES));
  const [items, [total]] = await Promise.all([
    db
      .select({ revision: listingRevisions, listing: listings })
      .from(listingRevisions)
      .innerJoin(listings, eq(listings.id, listingRevisions.listingId))
      .where(where)
      .orderBy(asc(listingRevisions.submittedAt), asc(listingRevisions.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(listingRevisions).innerJoin(listings, eq(listings.id, listingRevisions.listingId)).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}
