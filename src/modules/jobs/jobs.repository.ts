import { and, asc, eq, gt, gte, inArray, ne, sql, count, max, min } from 'drizzle-orm';
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

export async function insertJobs(db: Executor, queue: string, items: { payload: unknown; dedupeKey?: string }[], now: Date, maxAttempts = 8) {
  if (items.length === 0) return;
  await db
    .insert(jobs)
    .values(items.map((item) => ({ queue, payload: item.payload as object, dedupeKey: item.dedupeKey ?? null, runAt: now, maxAttempts, createdAt: now })))
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
      .set({ status: 'running', lockedAt: now, lockedBy: workerId, heartbeatAt: now, attempts: sql`${jobs.attempts} + 1` })
      .where(inArray(
        jobs.id,
        due.map((row) => row.id),
      ))
      .returning()
      .then((rows) => rows.sort((a, b) => a.id - b.id));
  });
}

/** What a worker may change of a job: only while it still holds it. */
function heldBy(workerId: string) {
  return and(eq(jobs.status, 'running'), eq(jobs.lockedBy, workerId));
}

/** Proves the worker is alive: moves the heartbeat of the jobs it still holds. */
export async function extendLocks(db: Executor, ids: number[], workerId: string, now: Date) {
  if (ids.length === 0) return;
  await db.update(jobs).set({ heartbeatAt: now }).where(and(inArray(jobs.id, ids), heldBy(workerId)));
}

/** Marks the jobs done that the worker still holds; returns the ids it no longer held. */
export async function completeJobs(db: Executor, ids: number[], workerId: string, now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const done = await db
    .update(jobs)
    .set({ status: 'done', finishedAt: now, lockedAt: null, lockedBy: null, heartbeatAt: null, lastError: null })
    .where(and(inArray(jobs.id, ids), heldBy(workerId)))
    .returning({ id: jobs.id });
  const doneIds = new Set(done.map((row) => row.id));
  return ids.filter((id) => !doneIds.has(id));
}

/** Records a failed run (back to pending at retryAt, or failed for good); false when the worker no longer held the job. */
export async function failJob(db: Executor, job: JobRow, workerId: string, error: string, retryAt: Date | null, now: Date): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set(
      retryAt
        ? { status: 'pending', runAt: retryAt, lockedAt: null, lockedBy: null, heartbeatAt: null, lastError: error }
        : { status: 'failed', finishedAt: now, lockedAt: null, lockedBy: null, heartbeatAt: null, lastError: error },
    )
    .where(and(eq(jobs.id, job.id), heldBy(workerId)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}

/** Jobs whose worker stopped beating (it died, or lost the database for longer than the lock timeout) are handed back to the queue. */
export async function releaseStaleJobs(db: Executor, heartbeatBefore: Date, now: Date) {
  const stale = and(eq(jobs.status, 'running'), sql`coalesce(${jobs.heartbeatAt}, ${jobs.lockedAt}) < ${heartbeatBefore.toISOString()}::timestamptz`);
  // Where a newer job with the same key is already pending, it does the same work: the stale one
  // is closed rather than put back beside it (one pending job per key).
  await db
    .update(jobs)
    .set({ status: 'done', finishedAt: now, lockedAt: null, lockedBy: null, heartbeatAt: null, lastError: 'worker stopped; superseded by a newer job' })
    .where(
      and(
        stale,
        sql`exists (select 1 from jobs as newer where newer.queue = ${jobs.queue} and newer.dedupe_key = ${jobs.dedupeKey} and newer.status = 'pending')`,
      ),
    );
  return db
    .update(jobs)
    .set({ status: 'pending', lockedAt: null, lockedBy: null, heartbeatAt: null, lastError: 'worker stopped before finishing the job' })
    .where(stale)
    .returning({ id: jobs.id });
}

/** Per queue: open jobs by status, and when the longest-waiting due job became due (health). */
export async function openJobStats(db: Executor, now: Date) {
  return db
    .select({
      queue: jobs.queue,
      status: jobs.status,
      n: count(),
      oldestDueAt: sql<Date | string | null>`min(${jobs.runAt}) filter (where ${jobs.status} = 'pending' and ${jobs.runAt} <= ${now.toISOString()}::timestamptz)`,
    })
    .from(jobs)
    .where(ne(jobs.status, 'done'))
    .groupBy(jobs.queue, jobs.status);
}

/** Whether any job of the queue created at or before `cutoff` is still waiting or running (readiness). */
export async function hasOpenJobsCreatedBy(db: Executor, queue: string, cutoff: Date): Promise<boolean> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.queue, queue), inArray(jobs.status, ['pending', 'running']), sql`${jobs.createdAt} <= ${cutoff.toISOString()}::timestamptz`))
    .limit(1);
  return rows.length > 0;
}

export async function queueStats(db: Executor, queue: string) {
  const rows = await db
    .select({ status: jobs.status, n: count(), oldest: min(jobs.createdAt), lastFinished: max(jobs.finishedAt) })
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
    /** When a job of the queue last finished successfully. */
    lastDoneAt: byStatus('done')?.lastFinished ?? null,
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

/** Jobs by status, of one queue or of all; failed ones newest first (the ones to look at), others oldest first. */
export async function listJobs(db: Executor, queue: string | undefined, status: string, limit: number, offset: number) {
  const where = and(queue ? eq(jobs.queue, queue) : undefined, eq(jobs.status, status));
  const [items, [total]] = await Promise.all([
    db.select().from(jobs).where(where).orderBy(status === 'failed' ? sql`${jobs.id} desc` : asc(jobs.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(jobs).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Ids of failed jobs after `afterId`, of one queue or of all, oldest first. */
export async function failedJobIds(db: Executor, queue: string | undefined, afterId: number, limit: number) {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(queue ? eq(jobs.queue, queue) : undefined, eq(jobs.status, 'failed'), gt(jobs.id, afterId)))
    .orderBy(asc(jobs.id))
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Puts a failed job back (admin retry); the job as it was, or null when no failed job has this id. */
export async function retryFailedJob(tx: Executor, id: number, now: Date): Promise<JobRow | null> {
  const [job] = await tx.select().from(jobs).where(and(eq(jobs.id, id), eq(jobs.status, 'failed'))).for('update');
  if (!job) return null;
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
  return job;
}

/** The latest failed job of a queue with this key (a mail retried by an admin reopens its own job). */
export async function latestFailedByKey(tx: Executor, queue: string, dedupeKey: string) {
  const [job] = await tx
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.queue, queue), eq(jobs.dedupeKey, dedupeKey), eq(jobs.status, 'failed')))
    .orderBy(sql`${jobs.id} desc`)
    .limit(1);
  return job?.id ?? null;
}
