import { and, asc, eq, gte, inArray, lt, sql, count, min } from 'drizzle-orm';
import { jobs } from '../../../drizzle/jobs.js';
import type { Executor } from '../../db/client.js';

export type JobRow = typeof jobs.$inferSelect;

export interface EnqueueOptions {
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export async function insertJob(db: Executor, queue: string, payload: unknown, now: Date, options: EnqueueOptions = {}) {
  await db
    .insert(jobs)
    .values({
      queue,
      payload: payload as object,
      dedupeKey: options.dedupeKey ?? null,
      runAt: options.runAt ?? now,
      maxAttempts: options.maxAttempts ?? 8,
      createdAt: now,
    })
    // A pending job with the same key will do the same work: keep one.
    .onConflictDoNothing({
      target: [jobs.queue, jobs.dedupeKey],
      where: sql`${jobs.status} = 'pending' and ${jobs.dedupeKey} is not null`,
    });
}

export async function insertJobs(db: Executor, queue: string, items: { payload: unknown; dedupeKey?: string }[], now: Date) {
  if (items.length === 0) return;
  await db
    .insert(jobs)
    .values(items.map((item) => ({ queue, payload: item.payload as object, dedupeKey: item.dedupeKey ?? null, runAt: now, maxAttempts: 8, createdAt: now })))
    .onConflictDoNothing({
      target: [jobs.queue, jobs.dedupeKey],
      where: sql`${jobs.status} = 'pending' and ${jobs.dedupeKey} is not null`,
    });
}

export async function claimJobs(db: Executor, queue: string, workerId: string, now: Date, limit: number): Promise<JobRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.queue, queue),
          eq(jobs.status, 'pending'),
          sql`${jobs.runAt} <= ${now.toISOString()}::timestamptz`,
          // Jobs with one key run one at a time: a job that re-reads state (search sync) must not
          // race an older run of itself that read the state before the latest change.
          sql`not exists (select 1 from jobs as running where running.queue = ${jobs.queue} and running.dedupe_key = ${jobs.dedupeKey} and running.status = 'running')`,
        ),
      )
      .orderBy(asc(jobs.id))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(jobs)
      .set({ status: 'running', lockedAt: now, lockedBy: workerId, attempts: sql`${jobs.attempts} + 1` })
      .where(inArray(
        jobs.id,
        due.map((row) => row.id),
      ))
      .returning()
      .then((rows) => rows.sort((a, b) => a.id - b.id));
  });
}

export async function completeJobs(db: Executor, ids: number[], now: Date) {
  if (ids.length === 0) return;
  await db.update(jobs).set({ status: 'done', finishedAt: now, lockedAt: null, lockedBy: null, lastError: null }).where(inArray(jobs.id, ids));
}

export async function failJob(db: Executor, job: JobRow, error: string, retryAt: Date | null, now: Date) {
  await db
    .update(jobs)
    .set(
      retryAt
        ? { status: 'pending', runAt: retryAt, lockedAt: null, lockedBy: null, lastError: error }
        : { status: 'failed', finishedAt: now, lockedAt: null, lockedBy: null, lastError: error },
    )
    .where(eq(jobs.id, job.id));
}

/** Jobs left running by a worker that died are handed back to the queue. */
export async function releaseStaleJobs(db: Executor, lockedBefore: Date, now: Date) {
  // Where a newer job with the same key is already pending, it does the same work: the stale one
  // is closed rather than put back beside it (one pending job per key).
  await db
    .update(jobs)
    .set({ status: 'done', finishedAt: now, lockedAt: null, lockedBy: null, lastError: 'worker stopped; superseded by a newer job' })
    .where(
      and(
        eq(jobs.status, 'running'),
        lt(jobs.lockedAt, lockedBefore),
        sql`exists (select 1 from jobs as newer where newer.queue = ${jobs.queue} and newer.dedupe_key = ${jobs.dedupeKey} and newer.status = 'pending')`,
      ),
    );
  return db
    .update(jobs)
    .set({ status: 'pending', lockedAt: null, lockedBy: null, lastError: 'worker stopped before finishing the job' })
    .where(and(eq(jobs.status, 'running'), lt(jobs.lockedAt, lockedBefore)))
    .returning({ id: jobs.id });
}

export async function queueStats(db: Executor, queue: string) {
  const rows = await db
    .select({ status: jobs.status, n: count(), oldest: min(jobs.createdAt) })
    .from(jobs)
    .where(eq(jobs.queue, queue))
    .groupBy(jobs.status);
  const byStatus = (status: string) => rows.find((row) => row.status === status);
  return {
    pending: (byStatus('pending')?.n ?? 0) + (byStatus('running')?.n ?? 0),
    failed: byStatus('failed')?.n ?? 0,
    done: byStatus('done')?.n ?? 0,
    oldestPendingAt: [byStatus('pending')?.oldest, byStatus('running')?.oldest]
      .filter((d): d is Date => d instanceof Date)
      .sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
  };
}

/** The distinct payloads of a queue's jobs created since a time, whatever became of them. */
export async function payloadsSince(db: Executor, queue: string, since: Date): Promise<unknown[]> {
  const rows = await db
    .selectDistinct({ payload: jobs.payload })
    .from(jobs)
    .where(and(eq(jobs.queue, queue), gte(jobs.createdAt, since)));
  return rows.map((row) => row.payload);
}

export async function listJobs(db: Executor, queue: string, status: string, limit: number, offset: number) {
  const where = and(eq(jobs.queue, queue), eq(jobs.status, status));
  const [items, [total]] = await Promise.all([
    db.select().from(jobs).where(where).orderBy(asc(jobs.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(jobs).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function retryFailedJob(db: Executor, id: number, now: Date) {
  return db.transaction(async (tx) => {
    const [job] = await tx.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.status, 'failed'))).for('update');
    if (!job) return false;
    // A pending job with the same key will do this job's work already: the failed one is closed
    // rather than re-queued (two pending twins would break the one-pending-job-per-key rule).
    const twin = job.dedupeKey
      ? await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(and(eq(jobs.queue, job.queue), eq(jobs.dedupeKey, job.dedupeKey), eq(jobs.status, 'pending')))
      : [];
    await tx
      .update(jobs)
      .set(
        twin.length
          ? { status: 'done', finishedAt: now, lastError: `superseded by pending job ${twin[0]!.id}` }
          : { status: 'pending', attempts: 0, runAt: now, lastError: null, finishedAt: null },
      )
      .where(eq(jobs.id, id));
    return true;
  });
}
