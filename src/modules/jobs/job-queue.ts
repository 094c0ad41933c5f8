import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import * as repo from './jobs.repository.js';
import { safeErrorMessage } from '../../lib/log-safety.js';

export type Job = repo.JobRow;

/**
 * One job of a batch that did not succeed. A permanent failure (the work can never succeed as it
 * is, e.g. a mail server refused the recipient with a 5xx) ends the job as failed at once; any other
 * is retried with backoff until the job's attempts run out.
 */
export interface JobFailure {
  id: number;
  error: string;
  permanent?: boolean;
}

/**
 * Handles a batch of claimed jobs. Return the ids that failed (with their error) to retry only
 * those; throw to retry the whole batch.
 */
export type JobHandler = (jobs: Job[]) => Promise<void | { failed: JobFailure[] }>;

export interface QueueDefinition {
  handler: JobHandler;
  batchSize?: number;
  /**
   * How many batches of this queue one worker runs at once (default 1). Every queue has loops of
   * its own, so a slow queue (mail during an SMTP hang) never holds up another (search sync).
   */
  concurrency?: number;
  /** Delay before retry n (1-based); defaults to exponential backoff from 5 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number;
  /** Runs in the transaction that puts a failed job back on the queue (an admin's retry), to reopen what the job works on. */
  onRetry?: (tx: Executor, job: Job) => Promise<void>;
}

export interface JobQueueOptions {
  /** How long an idle queue waits before looking for due jobs again. */
  pollMs?: number;
  /**
   * A running job whose worker has not beaten for this long is taken to belong to a dead worker
   * and handed back. Workers beat every quarter of it while a batch runs, however long it takes.
   */
  lockTimeoutMs?: number;
}

export const defaultBackoffMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);

export const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

const RETRY_ALL_BATCH = 200;

/**
 * The durable job queue: producers call `enqueue` inside their own transaction; the worker part
 * (`start`, or `drain` in tests and CLIs) claims due jobs, runs the queue's handler and records the
 * outcome. Any number of processes may run workers against one database: a job belongs to the
 * worker that claimed it, which keeps its lock alive while it works, and only that worker can
 * record the job's outcome.
 */
export class JobQueue {
  private readonly queues = new Map<string, QueueDefinition>();
  /** Names the process holding a job (admins see it on running jobs). */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly pollMs: number;
  private readonly lockTimeoutMs: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    options: JobQueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  }

  define(queue: string, definition: QueueDefinition) {
    this.queues.set(queue, definition);
  }

  /** The queues defined, by name (health lists each). */
  get queueNames() {
    return [...this.queues.keys()];
  }

  enqueue(tx: Executor, queue: string, payload: unknown, options?: repo.EnqueueOptions) {
    return repo.insertJob(tx, queue, payload, this.clock.now(), options);
  }

  /** Many jobs of one queue in one statement (bulk writes such as imports). */
  enqueueMany(tx: Executor, queue: string, jobs: { payload: unknown; dedupeKey?: string }[], options: { maxAttempts?: number } = {}) {
    return repo.insertJobs(tx, queue, jobs, this.clock.now(), options.maxAttempts);
  }

  stats(queue: string) {
    return repo.queueStats(this.db, queue);
  }

  /** Open jobs of every queue: counts by status and how long the longest-waiting due job has waited. */
  async openJobStats() {
    const now = this.clock.now();
    const rows = await repo.openJobStats(this.db, now);
    const names = new Set([...this.queues.keys(), ...rows.map((row) => row.queue)]);
    return [...names].sort().map((queue) => {
      const of = (status: string) => rows.find((row) => row.queue === queue && row.status === status);
      const oldestDueAt = of('pending')?.oldestDueAt;
      const oldest = oldestDueAt ? new Date(oldestDueAt) : null;
      return {
        queue,
        pending: of('pending')?.n ?? 0,
        running: of('running')?.n ?? 0,
        failed: of('failed')?.n ?? 0,
        oldestPendingAgeSeconds: oldest ? Math.max(0, now.getTime() - oldest.getTime()) / 1000 : 0,
      };
    });
  }

  /** Whether a job of the queue created at or before `cutoff` is still open (readiness after start). */
  hasOpenJobsCreatedBy(queue: string, cutoff: Date) {
    return repo.hasOpenJobsCreatedBy(this.db, queue, cutoff);
  }

  /** Jobs of a queue (or of every queue) in a status. */
  list(queue: string | undefined, status: string, limit: number, offset: number) {
    return repo.listJobs(this.db, queue, status, limit, offset);
  }

  /** Payloads of the queue's jobs created since `since` (a rebuild replays what changed while it ran). */
  payloadsSince(queue: string, since: Date) {
    return repo.payloadsSince(this.db, queue, since);
  }

  /** Puts a failed job back on its queue; false when no failed job has this id. */
  retry(id: number) {
    return this.db.transaction(async (tx) => {
      const job = await repo.retryFailedJob(tx, id, this.clock.now());
      if (!job) return false;
      await this.queues.get(job.queue)?.onRetry?.(tx, job);
      return true;
    });
  }

  /**
   * Puts every failed job (of one queue, or of all) back on its queue, each in its own transaction
   * as `retry` does; returns how many went back. Jobs that fail again meanwhile are not retried twice.
   */
  async retryAllFailed(queue?: string): Promise<number> {
    let retried = 0;
    let lastId = 0;
    for (;;) {
      const ids = await repo.failedJobIds(this.db, queue, lastId, RETRY_ALL_BATCH);
      if (ids.length === 0) return retried;
      for (const id of ids) if (await this.retry(id)) retried++;
      lastId = ids.at(-1)!;
    }
  }

  /**
   * Inside the caller's transaction: reopens the queue's latest failed job with this key, or
   * enqueues a new one. Keeps one job per piece of work, so the job view agrees with what it works on.
   */
  async reopenOrEnqueue(tx: Executor, queue: string, payload: unknown, options: repo.EnqueueOptions & { dedupeKey: string }) {
    const failedId = await repo.latestFailedByKey(tx, queue, options.dedupeKey);
    if (failedId !== null && (await repo.retryFailedJob(tx, failedId, this.clock.now()))) return;
    await this.enqueue(tx, queue, payload, options);
  }

  /** Runs one pass over every queue, one after another; returns how many jobs it handled (tests, CLIs). */
  async runOnce(): Promise<number> {
    await this.releaseStaleJobs();
    let handled = 0;
    for (const [queue, definition] of this.queues) {
      handled += await this.runQueue(queue, definition);
    }
    return handled;
  }

  /** Runs passes until no job is due (tests, CLIs). */
  async drain(maxPasses = 50): Promise<number> {
    let total = 0;
    for (let pass = 0; pass < maxPasses; pass++) {
      const handled = await this.runOnce();
      total += handled;
      if (handled === 0) break;
    }
    return total;
  }

  /** Runs one queue until no job of it is due (start-up catch-up of the search index). */
  async drainQueue(queue: string, maxBatches = 10_000): Promise<number> {
    const definition = this.queues.get(queue);
    if (!definition) return 0;
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const handled = await this.runQueue(queue, definition);
      total += handled;
      if (handled === 0) break;
    }
    return total;
  }

  /** Starts the worker: `concurrency` loops per queue, and a sweep that hands back jobs of dead workers. */
  start() {
    if (!this.stopped) return;
    this.stopped = false;
    for (const [queue, definition] of this.queues) {
      for (let slot = 0; slot < Math.max(1, definition.concurrency ?? 1); slot++) {
        this.loop(`queue ${queue}`, () => this.runQueue(queue, definition));
      }
    }
    this.loop('stale job sweep', async () => {
      await this.releaseStaleJobs();
      return 0;
    });
  }

  async stop() {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs `pass` again at once while it finds work, else after the poll interval; errors are logged and the loop goes on. */
  private loop(name: string, pass: () => Promise<number>) {
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.stopped) return;
        const running = pass()
          .catch((error: unknown) => {
            this.log.error({ err: error, loop: name }, 'job worker pass failed');
            return 0;
          })
          .then((handled) => {
            this.inFlight.delete(running);
            if (!this.stopped) schedule(handled > 0 ? 0 : this.pollMs);
          });
        this.inFlight.add(running);
      }, delayMs);
      this.timers.add(timer);
    };
    schedule(0);
  }

  private releaseStaleJobs() {
    const now = this.clock.now();
    return repo.releaseStaleJobs(this.db, new Date(now.getTime() - this.lockTimeoutMs), now);
  }

  private async runQueue(queue: string, definition: QueueDefinition): Promise<number> {
    const { db, clock, workerId } = this;
    const claimed = await repo.claimJobs(db, queue, workerId, clock.now(), definition.batchSize ?? 20);
    if (claimed.length === 0) return 0;
    const ids = claimed.map((job) => job.id);
    const heartbeat = setInterval(() => {
      repo.extendLocks(db, ids, workerId, clock.now()).catch((error: unknown) => this.log.warn({ err: error, queue }, 'job heartbeat failed'));
    }, Math.max(50, Math.floor(this.lockTimeoutMs / 4)));
    let failures: JobFailure[] = [];
    try {
      const result = await definition.handler(claimed);
      failures = result?.failed ?? [];
    } catch (error) {
      // Kept in the job row and logged: the safe message, without a failed statement's parameters.
      const message = safeErrorMessage(error);
      failures = claimed.map((job) => ({ id: job.id, error: message }));
    } finally {
      clearInterval(heartbeat);
    }
    const failedIds = new Set(failures.map((f) => f.id));
    const finishedAt = clock.now();
    const lost = await repo.completeJobs(
      db,
      ids.filter((id) => !failedIds.has(id)),
      workerId,
      finishedAt,
    );
    const backoff = definition.backoffMs ?? defaultBackoffMs;
    for (const failure of failures) {
      const job = claimed.find((j) => j.id === failure.id);
      if (!job) continue;
      const retryAt = !failure.permanent && job.attempts < job.maxAttempts ? new Date(finishedAt.getTime() + backoff(job.attempts)) : null;
      this.log.warn({ queue, jobId: job.id, attempt: job.attempts, error: failure.error, willRetry: retryAt !== null }, 'job failed');
      if (!(await repo.failJob(db, job, workerId, failure.error, retryAt, finishedAt))) lost.push(job.id);
    }
    if (lost.length > 0) {
      // Another worker took these over while this one was cut off (its heartbeat could not reach
      // the database): that worker's outcome stands.
      this.log.warn({ queue, jobIds: lost, workerId }, 'jobs were taken over by another worker; their outcome here is dropped');
    }
    return claimed.length;
  }
}
