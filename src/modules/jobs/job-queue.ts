import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import * as repo from './jobs.repository.js';

export type Job = repo.JobRow;

/**
 * Handles a batch of claimed jobs. Return the ids that failed (with their error) to retry only
 * those; throw to retry the whole batch.
 */
export type JobHandler = (jobs: Job[]) => Promise<void | { failed: { id: number; error: string }[] }>;

export interface QueueDefinition {
  handler: JobHandler;
  batchSize?: number;
  /** Delay before retry n (1-based); defaults to exponential backoff from 5 s, capped at 1 h. */
  backoffMs?: (attempt: number) => number;
}

const STALE_LOCK_MS = 5 * 60_000;

export const defaultBackoffMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);

/**
 * The durable job queue: producers call `enqueue` inside their own transaction; the worker part
 * (`start`, or `drain` in tests and CLIs) claims due jobs, runs the queue's handler and records the
 * outcome. Any number of processes may run workers against one database.
 */
export class JobQueue {
  private readonly queues = new Map<string, QueueDefinition>();
  private readonly workerId = `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs = 1000,
  ) {}

  define(queue: string, definition: QueueDefinition) {
    this.queues.set(queue, definition);
  }

  enqueue(tx: Executor, queue: string, payload: unknown, options?: repo.EnqueueOptions) {
    return repo.insertJob(tx, queue, payload, this.clock.now(), options);
  }

  /** Many jobs of one queue in one statement (bulk writes such as imports). */
  enqueueMany(tx: Executor, queue: string, jobs: { payload: unknown; dedupeKey?: string }[]) {
    return repo.insertJobs(tx, queue, jobs, this.clock.now());
  }

  stats(queue: string) {
    return repo.queueStats(this.db, queue);
  }

  list(queue: string, status: string, limit: number, offset: number) {
    return repo.listJobs(this.db, queue, status, limit, offset);
  }

  /** Payloads of the queue's jobs created since `since` (a rebuild replays what changed while it ran). */
  payloadsSince(queue: string, since: Date) {
    return repo.payloadsSince(this.db, queue, since);
  }

  retry(id: number) {
    return repo.retryFailedJob(this.db, id, this.clock.now());
  }

  /** Runs one pass over every queue; returns how many jobs it handled. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    await repo.releaseStaleJobs(this.db, new Date(now.getTime() - STALE_LOCK_MS), now);
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

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, 'job worker pass failed'));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async runQueue(queue: string, definition: QueueDefinition): Promise<number> {
    const now = this.clock.now();
    const claimed = await repo.claimJobs(this.db, queue, this.workerId, now, definition.batchSize ?? 20);
    if (claimed.length === 0) return 0;
    let failures: { id: number; error: string }[] = [];
    try {
      const result = await definition.handler(claimed);
      failures = result?.failed ?? [];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures = claimed.map((job) => ({ id: job.id, error: message }));
    }
    const failedIds = new Set(failures.map((f) => f.id));
    const finishedAt = this.clock.now();
    await repo.completeJobs(
      this.db,
      claimed.filter((job) => !failedIds.has(job.id)).map((job) => job.id),
      finishedAt,
    );
    const backoff = definition.backoffMs ?? defaultBackoffMs;
    for (const failure of failures) {
      const job = claimed.find((j) => j.id === failure.id);
      if (!job) continue;
      const retryAt = job.attempts < job.maxAttempts ? new Date(finishedAt.getTime() + backoff(job.attempts)) : null;
      this.log.warn({ queue, jobId: job.id, attempt: job.attempts, error: failure.error, willRetry: retryAt !== null }, 'job failed');
      await repo.failJob(this.db, job, failure.error, retryAt, finishedAt);
    }
    return claimed.length;
  }
}
