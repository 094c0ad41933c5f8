import { and, arrayOverlaps, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../../../drizzle/webhooks.js';
import type { Executor } from '../../db/client.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NewDelivery = typeof webhookDeliveries.$inferInsert;

export async function insertWebhook(db: Executor, values: typeof webhooks.$inferInsert) {
  const [row] = await db.insert(webhooks).values(values).returning();
  return row!;
}

export async function findWebhook(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(webhooks).where(eq(webhooks.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function listWebhooks(db: Executor, organizationId: string | null, limit: number, offset: number) {
  const where = organizationId ? eq(webhooks.organizationId, organizationId) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(webhooks).where(where).orderBy(desc(webhooks.createdAt), desc(webhooks.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(webhooks).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function countWebhooksOf(db: Executor, organizationId: string) {
  const [row] = await db.select({ n: count() }).from(webhooks).where(eq(webhooks.organizationId, organizationId));
  return row?.n ?? 0;
}

export async function updateWebhook(db: Executor, id: string, values: Partial<typeof webhooks.$inferInsert>) {
  const [row] = await db.update(webhooks).set(values).where(eq(webhooks.id, id)).returning();
  return row!;
}

export async function deleteWebhook(db: Executor, id: string) {
  await db.delete(webhooks).where(eq(webhooks.id, id));
}

/** Enabled webhooks subscribed to any of the events, of the given organisations or of all. */
export function subscribers(db: Executor, events: string[], organizationIds: string[] | null) {
  return db
    .select({ id: webhooks.id, organizationId: webhooks.organizationId, events: webhooks.events })
    .from(webhooks)
    .where(
      and(
        eq(webhooks.enabled, true),
        arrayOverlaps(webhooks.events, events),
        organizationIds ? inArray(webhooks.organizationId, organizationIds) : undefined,
      ),
    );
}

export async function insertDelivery(db: Executor, values: NewDelivery) {
  const [row] = await db.insert(webhookDeliveries).values(values).returning();
  return row!;
}

export async function insertDeliveries(db: Executor, values: NewDelivery[]) {
  if (values.length === 0) return [];
  return db.insert(webhookDeliveries).values(values).returning({ id: webhookDeliveries.id, webhookId: webhookDeliveries.webhookId });
}

/** A delivery with its webhook, in one statement (the worker reads both for every attempt). */
export async function findDeliveryWithWebhook(db: Executor, id: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, webhook: webhooks })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, id));
  return row ?? null;
}

export async function listDeliveries(db: Executor, webhookId: string, limit: number, offset: number) {
  const where = eq(webhookDeliveries.webhookId, webhookId);
  const [items, [total]] = await Promise.all([
    db.select().from(webhookDeliveries).where(where).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(webhookDeliveries).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function updateDelivery(db: Executor, id: string, values: Partial<NewDelivery>) {
  await db.update(webhookDeliveries).set(values).where(eq(webhookDeliveries.id, id));
}

/** Ends the deliveries still waiting for a webhook that stopped (their jobs then send nothing). */
export async function cancelPending(db: Executor, webhookId: string, reason: string) {
  await db
    .update(webhookDeliveries)
    .set({ status: 'cancelled', lastError: reason })
    .where(and(eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')));
}

/** A successful attempt: the failure streak ends. */
export async function recordSuccess(db: Executor, id: string, now: Date) {
  await db.update(webhooks).set({ consecutiveFailures: 0, lastSuccessAt: now }).where(eq(webhooks.id, id));
}

/** A failed attempt: one more in the streak (counted in the statement, so parallel deliveries all count). */
export async function recordFailure(db: Executor, id: string, now: Date) {
  const [row] = await db
    .update(webhooks)
    .set({ consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`, lastFailureAt: now })
    .where(eq(webhooks.id, id))
    .returning({ consecutiveFailures: webhooks.consecutiveFailures });
  return row?.consecutiveFailures ?? 0;
}

/** Stops an enabled webhook for failing; null when it was already stopped (one mail per stop). */
export async function disableForFailures(db: Executor, id: string, now: Date) {
  const [row] = await db
    .update(webhooks)
    .set({ enabled: false, disabledReason: 'failures', disabledAt: now, updatedAt: now })
    .where(and(eq(webhooks.id, id), eq(webhooks.enabled, true)))
    .returning();
  return row ?? null;
}

export async function purgeDeliveriesBefore(db: Executor, cutoff: Date) {
  const rows = await db
    .delete(webhookDeliveries)
    .where(and(lt(webhookDeliveries.createdAt, cutoff), inArray(webhookDeliveries.status, ['delivered', 'failed', 'cancelled'])))
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}
