import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { apiKeys } from '../../../drizzle/partners.js';
import type { Executor } from '../../db/client.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: Executor, values: typeof apiKeys.$inferInsert) {
  const [row] = await db.insert(apiKeys).values(values).returning();
  return row!;
}

export async function findLiveByHash(db: Executor, keyHash: string) {
  const [row] = await db.select().from(apiKeys).where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

export async function findApiKey(db: Executor, id: string) {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row ?? null;
}

export function listApiKeys(db: Executor, organizationId: string | null) {
  return db
    .select()
    .from(apiKeys)
    .where(organizationId ? eq(apiKeys.organizationId, organizationId) : undefined)
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Executor, id: string, now: Date) {
  const [row] = await db.update(apiKeys).set({ revokedAt: now }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning();
  return row ?? null;
}

/** Records use, at most once a minute per key (a busy client must not turn every read into a write). */
export async function touchApiKey(db: Executor, id: string, now: Date) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000)))));
}
