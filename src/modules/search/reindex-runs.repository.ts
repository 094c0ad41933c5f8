import { desc, eq, inArray, sql } from 'drizzle-orm';
import { searchReindexRuns } from '../../../drizzle/search.js';
import type { Executor } from '../../db/client.js';

export type ReindexRunRow = typeof searchReindexRuns.$inferSelect;

export async function insertRun(db: Executor, values: typeof searchReindexRuns.$inferInsert) {
  const [row] = await db.insert(searchReindexRuns).values(values).returning();
  return row!;
}

export async function findRun(db: Executor, id: string) {
  const [row] = await db.select().from(searchReindexRuns).where(eq(searchReindexRuns.id, id));
  return row ?? null;
}

/** The run that is queued or running, if any (there is at most one). */
export async function findOpenRun(db: Executor) {
  const [row] = await db.select().from(searchReindexRuns).where(inArray(searchReindexRuns.status, ['queued', 'running'])).limit(1);
  return row ?? null;
}

/** The run under way if there is one (an older run may run again after a retry), else the latest. */
export async function currentRun(db: Executor) {
  const [row] = await db
    .select()
    .from(searchReindexRuns)
    .orderBy(sql`${searchReindexRuns.status} in ('queued', 'running') desc`, desc(searchReindexRuns.createdAt), desc(searchReindexRuns.id))
    .limit(1);
  return row ?? null;
}

export async function updateRun(db: Executor, id: string, values: Partial<typeof searchReindexRuns.$inferInsert>) {
  const [row] = await db.update(searchReindexRuns).set(values).where(eq(searchReindexRuns.id, id)).returning();
  return row ?? null;
}
