import { and, asc, count, desc, eq, ilike, inArray, ne, sql } from 'drizzle-orm';
import { tmDeliveries, tmEntries, tmIssues, tmSubscribers } from '../../../drizzle/techmonitor.js';
import type { Executor } from '../../db/client.js';
import { escapeLike } from '../../db/sql-helpers.js';

export type IssueRow = typeof tmIssues.$inferSelect;
export type NewIssue = typeof tmIssues.$inferInsert;
export type EntryRow = typeof tmEntries.$inferSelect;
export type NewEntry = typeof tmEntries.$inferInsert;
export type SubscriberRow = typeof tmSubscribers.$inferSelect;
export type NewSubscriber = typeof tmSubscribers.$inferInsert;
export type DeliveryStatus = 'queued' | 'sent' | 'failed' | 'skipped';

// ── issues ──────────────────────────────────────────────────────────────────────────────────────

export async function insertIssue(db: Executor, values: NewIssue) {
  const [row] = await db.insert(tmIssues).values(values).returning();
  return row!;
}

export async function findIssue(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(tmIssues).where(eq(tmIssues.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findIssueByVolumeNumber(db: Executor, volume: number, number: number) {
  const [row] = await db
    .select({ id: tmIssues.id })
    .from(tmIssues)
    .where(and(eq(tmIssues.volume, volume), eq(tmIssues.number, number)));
  return row ?? null;
}

/** Applies the change and bumps the version: every write to an issue goes through here. */
export async function updateIssue(db: Executor, id: string, values: Partial<NewIssue>) {
  const [row] = await db
    .update(tmIssues)
    .set({ ...values, version: sql`${tmIssues.version} + 1` })
    .where(eq(tmIssues.id, id))
    .returning();
  return row!;
}

/** Send bookkeeping: not an editorial change, so the version stays. */
export async function setSendState(db: Executor, id: string, values: Pick<NewIssue, 'sendStartedAt' | 'deliveriesCreatedAt'>) {
  await db.update(tmIssues).set(values).where(eq(tmIssues.id, id));
}

export async function listIssues(db: Executor, statuses: string[], limit: number, offset: number) {
  const where = inArray(tmIssues.status, statuses);
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(tmIssues)
      .where(where)
      .orderBy(desc(tmIssues.volume), desc(tmIssues.number), asc(tmIssues.id))
      .limit(limit)
      .offset(offset),
    db.select({ n: count() }).from(tmIssues).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function entryCounts(db: Executor, issueIds: string[]) {
  if (issueIds.length === 0) return new Map<string, { offers: number; requests: number }>();
  const rows = await db
    .select({ issueId: tmEntries.issueId, kind: tmEntries.kind, n: count() })
    .from(tmEntries)
    .where(inArray(tmEntries.issueId, issueIds))
    .groupBy(tmEntries.issueId, tmEntries.kind);
  const counts = new Map<string, { offers: number; requests: number }>();
  for (const row of rows) {
    const entry = counts.get(row.issueId) ?? { offers: 0, requests: 0 };
    if (row.kind === 'offer') entry.offers = row.n;
    else entry.requests = row.n;
    counts.set(row.issueId, entry);
  }
  return counts;
}

/** Listings carried by the latest published issues (other than `exceptIssueId`). */
export async function recentlyFeaturedListingIds(db: Executor, issueCount: number, exceptIssueId: string) {
  const recent = db
    .select({ id: tmIssues.id })
    .from(tmIssues)
    .where(and(eq(tmIssues.status, 'published'), ne(tmIssues.id, exceptIssueId)))
    .orderBy(desc(tmIssues.publishedAt), desc(tmIssues.volume), desc(tmIssues.number))
    .limit(issueCount)
    .as('recent');
  const rows = await db
    .selectDistinct({ listingId: tmEntries.listingId })
    .from(tmEntries)
    .innerJoin(recent, eq(recent.id, tmEntries.issueId));
  return rows.map((row) => row.listingId);
}

// ── entries ─────────────────────────────────────────────────────────────────────────────────────

export function listEntries(db: Executor, issueId: string) {
  return db.select().from(tmEntries).where(eq(tmEntries.issueId, issueId)).orderBy(asc(tmEntries.position), asc(tmEntries.id));
}

export async function insertEntry(db: Executor, values: NewEntry) {
  const [row] = await db.insert(tmEntries).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function deleteEntry(db: Executor, issueId: string, entryId: string) {
  const rows = await db
    .delete(tmEntries)
    .where(and(eq(tmEntries.issueId, issueId), eq(tmEntries.id, entryId)))
    .returning({ id: tmEntries.id });
  return rows.length > 0;
}

export async function updateEntry(db: Executor, entryId: string, values: Partial<Pick<NewEntry, 'note' | 'position' | 'snapshot'>>) {
  await db.update(tmEntries).set(values).where(eq(tmEntries.id, entryId));
}

// ── subscribers ─────────────────────────────────────────────────────────────────────────────────

export async function findSubscriberByEmail(db: Executor, email: string, options: { forUpdate?: boolean } = {}) {
  const query = db
    .select()
    .from(tmSubscribers)
    .where(sql`lower(${tmSubscribers.email}) = lower(${email})`);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

/** Subscribers by status and part of the address, newest first (admins). */
export async function listSubscribers(db: Executor, filter: { status?: string; q?: string }, limit: number, offset: number) {
  const where = and(
    filter.status ? eq(tmSubscribers.status, filter.status) : undefined,
    filter.q ? ilike(tmSubscribers.email, `%${escapeLike(filter.q)}%`) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db.select().from(tmSubscribers).where(where).orderBy(desc(tmSubscribers.createdAt), asc(tmSubscribers.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(tmSubscribers).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function subscriberCountsByStatus(db: Executor) {
  const rows = await db.select({ status: tmSubscribers.status, n: count() }).from(tmSubscribers).groupBy(tmSubscribers.status);
  return new Map(rows.map((row) => [row.status, row.n]));
}

export async function findSubscriber(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(tmSubscribers).where(eq(tmSubscribers.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findSubscriberByConfirmToken(db: Executor, tokenHash: string) {
  const [row] = await db.select().from(tmSubscribers).where(eq(tmSubscribers.confirmTokenHash, tokenHash)).for('update');
  return row ?? null;
}

/** Inserts unless the address is already known (whatever its case); returns null then. */
export async function insertSubscriber(db: Executor, values: NewSubscriber) {
  const [row] = await db.insert(tmSubscribers).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateSubscriber(db: Executor, id: string, values: Partial<NewSubscriber>) {
  const [row] = await db.update(tmSubscribers).set(values).where(eq(tmSubscribers.id, id)).returning();
  return row!;
}

// ── deliveries ──────────────────────────────────────────────────────────────────────────────────

/** Active subscribers that have no delivery row for the issue yet, in a stable order. */
export function subscribersWithoutDelivery(db: Executor, issueId: string, limit: number) {
  return db
    .select()
    .from(tmSubscribers)
    .where(
      and(
        eq(tmSubscribers.status, 'active'),
        sql`not exists (select 1 from ${tmDeliveries} where ${tmDeliveries.issueId} = ${issueId} and ${tmDeliveries.subscriberId} = ${tmSubscribers.id})`,
      ),
    )
    .orderBy(asc(tmSubscribers.id))
    .limit(limit);
}

export async function countSubscribersWithoutDelivery(db: Executor, issueId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(tmSubscribers)
    .where(
      and(
        eq(tmSubscribers.status, 'active'),
        sql`not exists (select 1 from ${tmDeliveries} where ${tmDeliveries.issueId} = ${issueId} and ${tmDeliveries.subscriberId} = ${tmSubscribers.id})`,
      ),
    );
  return row?.n ?? 0;
}

/** Inserts the rows that do not exist yet; returns the subscriber ids it inserted. */
export async function insertDeliveries(db: Executor, issueId: string, subscriberIds: string[], now: Date) {
  if (subscriberIds.length === 0) return [];
  const rows = await db
    .insert(tmDeliveries)
    .values(subscriberIds.map((subscriberId) => ({ issueId, subscriberId, status: 'queued', createdAt: now, updatedAt: now })))
    .onConflictDoNothing()
    .returning({ subscriberId: tmDeliveries.subscriberId });
  return rows.map((row) => row.subscriberId);
}

/** Deliveries whose mail may still change state (queued, or failed and perhaps retried by an admin), by id. */
export function unsettledDeliveries(db: Executor, issueId: string, afterId: number, limit: number) {
  return db
    .select({ id: tmDeliveries.id, subscriberId: tmDeliveries.subscriberId, status: tmDeliveries.status })
    .from(tmDeliveries)
    .where(and(eq(tmDeliveries.issueId, issueId), inArray(tmDeliveries.status, ['queued', 'failed']), sql`${tmDeliveries.id} > ${afterId}`))
    .orderBy(asc(tmDeliveries.id))
    .limit(limit);
}

export async function setDeliveryStatus(db: Executor, ids: number[], status: DeliveryStatus, error: string | null, now: Date) {
  if (ids.length === 0) return;
  await db.update(tmDeliveries).set({ status, error, updatedAt: now }).where(inArray(tmDeliveries.id, ids));
}

export async function deliveryCounts(db: Executor, issueId: string) {
  const rows = await db
    .select({ status: tmDeliveries.status, n: count() })
    .from(tmDeliveries)
    .where(eq(tmDeliveries.issueId, issueId))
    .groupBy(tmDeliveries.status);
  const of = (status: DeliveryStatus) => rows.find((row) => row.status === status)?.n ?? 0;
  return { queued: of('queued'), sent: of('sent'), failed: of('failed'), skipped: of('skipped') };
}

/** Deliveries that did not reach their subscriber (failed or withheld), with the reason, newest first. */
export function deliveryProblems(db: Executor, issueId: string, limit: number) {
  return db
    .select({ email: tmSubscribers.email, status: tmDeliveries.status, error: tmDeliveries.error, updatedAt: tmDeliveries.updatedAt })
    .from(tmDeliveries)
    .innerJoin(tmSubscribers, eq(tmSubscribers.id, tmDeliveries.subscriberId))
    .where(and(eq(tmDeliveries.issueId, issueId), inArray(tmDeliveries.status, ['failed', 'skipped'])))
    .orderBy(desc(tmDeliveries.updatedAt), asc(tmDeliveries.id))
    .limit(limit);
}
