import { pgTable, text, timestamp, jsonb, bigserial, integer, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

// The durable job queue (transactional outbox). A change that must reach the search index or a
// mailbox inserts its job in the same transaction, so a crash can never lose it. Workers claim
// jobs with FOR UPDATE SKIP LOCKED, so several worker processes never take the same job.
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    queue: text('queue').notNull(),
    payload: jsonb('payload').notNull(),
    // Jobs with the same key that are still pending collapse into one (e.g. three edits of one
    // listing need a single re-index).
    dedupeKey: text('dedupe_key'),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    // The worker running the job (lockedBy) took it at lockedAt and proves it is alive by moving
    // heartbeatAt forward; a job whose heartbeat stopped longer than the lock timeout ago is handed back.
    lockedAt: timestamp('locked_at', { withTimezone: true }),
    lockedBy: text('locked_by'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_claim_idx').on(t.queue, t.status, t.runAt),
    uniqueIndex('jobs_pending_dedupe_idx')
      .on(t.queue, t.dedupeKey)
      .where(sql`${t.status} = 'pending' and ${t.dedupeKey} is not null`),
    // /health reads the open jobs of every queue; done jobs (nearly all rows) stay out of this index.
    index('jobs_open_idx').on(t.status, t.queue, t.runAt).where(sql`${t.status} <> 'done'`),
  ],
);
