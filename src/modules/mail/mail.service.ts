import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { Conflict, NotFound } from '../../lib/errors.js';
import type { Job, JobFailure, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import * as repo from './mail.repository.js';
import type { MailOutbox, OutgoingMail } from './mail.types.js';
import { MAIL_STATUSES } from './mail.schemas.js';
import type { MailTransport } from './mail.transport.js';
import { MailTemplateError, renderMail } from './templates/index.js';
import { safeErrorMessage } from '../../lib/log-safety.js';

export const MAIL_QUEUE = 'mail';

/** About three hours of retries (30 s, 1 min, 2 min … capped at 1 h) of temporary failures before a message is left failed. */
export const MAIL_MAX_ATTEMPTS = 10;
const MAIL_BATCH_SIZE = 10;
const RETRY_ALL_BATCH = 200;
export const mailBackoffMs = (attempt: number) => Math.min(30_000 * 2 ** (attempt - 1), 3_600_000);

/**
 * How long one send may take, at most (see SMTP_TIMEOUTS). A message found "sending" for longer
 * belongs to a worker that died during the SMTP conversation; a younger one may still be in
 * another worker's hands.
 */
export const SENDING_LEASE_MS = 3 * 60_000;

export const UNCERTAIN_DELIVERY_ERROR =
  'Sending was interrupted (the worker stopped during or right after the SMTP conversation): the recipient may or may not have received it. ' +
  'Not retried automatically, so it is never delivered twice; retry it only if the recipient did not get it.';

export interface MailServiceDeps {
  db: Database;
  jobs: JobQueue;
  clock: Clock;
  log: FastifyBaseLogger;
  transport: MailTransport;
  from: string;
  publicUrl: string;
}

export type MailMessageRow = repo.MailMessageRow;

/**
 * Decides right before sending whether a message may still go out (a subscriber may have
 * unsubscribed or bounced since it was queued): the reason it may not, or null.
 */
export type SendCheck = (message: {
  template: string;
  toEmail: string;
  userId: string | null;
  idempotencyKey: string;
  actingForOrganizationId: string | null;
}) => Promise<string | null>;

export function toMailMessageView(row: MailMessageRow) {
  return {
    id: row.id,
    to: { email: row.toEmail, name: row.toName },
    userId: row.userId,
    template: row.template,
    subject: row.subject,
    messageId: row.messageId,
    status: row.status as repo.MailStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt,
    sentAt: row.sentAt,
    createdAt: row.createdAt,
  };
}

/**
 * The mail outbox and its worker.
 *
 * Enqueueing renders the message and stores it (one row per idempotency key) with a job, both in
 * the caller's transaction: the mail exists if and only if the change that caused it committed.
 *
 * Delivery guarantee: a message is delivered at most once, and every message either gets
 * delivered or ends up failed and visible to admins. The worker claims a queued row (status
 * "sending", committed) before talking to SMTP and marks it sent right after, so a retried job
 * finds a sent row and does nothing. If the worker dies between the claim and the bookkeeping, the
 * row stays "sending"; SMTP servers do not deduplicate, so the next attempt cannot know whether the
 * server got it and leaves it failed for an admin instead of risking a second copy. Two cases that
 * remain: a server that accepted the message but whose reply was lost to a broken connection looks
 * like a refusal and is retried; and receiving systems that deduplicate by Message-ID see the same
 * ID on an admin's deliberate retry.
 */
export class MailService implements MailOutbox {
  private readonly messageIdDomain: string;
  private readonly sendChecks: SendCheck[] = [];

  constructor(private readonly deps: MailServiceDeps) {
    this.messageIdDomain = domainOf(deps.from) ?? new URL(deps.publicUrl).hostname;
  }

  async enqueue(tx: Executor, message: OutgoingMail) {
    const unsubscribeUrl = unsubscribeUrlOf(message.data);
    const rendered = renderMail(message.template, message.data, {
      recipient: message.to,
      publicUrl: this.deps.publicUrl,
      unsubscribeUrl,
    });
    const now = this.deps.clock.now();
    const id = await repo.insertMessage(tx, {
      idempotencyKey: message.idempotencyKey,
      toEmail: message.to.email,
      toName: message.to.name ?? null,
      userId: message.to.userId ?? null,
      template: message.template,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: `<${randomUUID()}@${this.messageIdDomain}>`,
      unsubscribeUrl,
      actingForOrganizationId: message.to.actingForOrganizationId ?? null,
      status: 'queued',
      createdAt: now,
      updatedAt: now,
    });
    if (id) await this.enqueueDelivery(tx, id);
  }

  /** Closes the transport (its connections); the app does it on shutdown, once the worker stopped. */
  close() {
    this.deps.transport.close();
  }

  addSendCheck(check: SendCheck) {
    this.sendChecks.push(check);
  }

  /** Where the messages with these idempotency keys stand; keys never enqueued are absent. */
  async statusesOf(idempotencyKeys: string[]): Promise<Map<string, { status: repo.MailStatus; lastError: string | null }>> {
    const rows = await repo.statusesByKey(this.deps.db, idempotencyKeys);
    return new Map(rows.map((row) => [row.idempotencyKey, { status: row.status as repo.MailStatus, lastError: row.lastError }]));
  }

  queueDefinition(): QueueDefinition {
    return {
      handler: (jobs) => this.deliver(jobs),
      batchSize: MAIL_BATCH_SIZE,
      backoffMs: mailBackoffMs,
      // Two batches at once: one recipient's slow server does not hold up every other message.
      concurrency: 2,
      // An admin retrying the failed job retries its message: both views move together.
      onRetry: async (tx, job) => {
        const mailId = (job.payload as { mailId?: unknown }).mailId;
        if (typeof mailId === 'string') await repo.requeueFailed(tx, mailId, this.deps.clock.now());
      },
    };
  }

  /** The 'mail' queue handler: sends each claimed message, one at a time. */
  async deliver(jobs: Job[]) {
    const failed: JobFailure[] = [];
    for (const job of jobs) {
      const failure = await this.deliverOne(job);
      if (failure) failed.push({ id: job.id, ...failure });
    }
    return { failed };
  }

  list(filter: repo.MailFilter, limit: number, offset: number) {
    return repo.listMessages(this.deps.db, filter, limit, offset).then(({ items, total }) => ({ items: items.map(toMailMessageView), total }));
  }

  /** Admins: send a failed message again (after the last retry, or after an interrupted send). */
  async retry(id: string) {
    return this.deps.db.transaction(async (tx) => {
      const row = await repo.findMessage(tx, id);
      if (!row) throw new NotFound('Mail message');
      if (!(await repo.requeueFailed(tx, id, this.deps.clock.now()))) {
        throw new Conflict(`Only failed messages are retried; this one is ${row.status}`, 'mail_not_failed');
      }
      // Its failed delivery job is reopened rather than joined by a new one, so the job view says what the mail view says.
      await this.deps.jobs.reopenOrEnqueue(tx, MAIL_QUEUE, { mailId: id }, { dedupeKey: id, maxAttempts: MAIL_MAX_ATTEMPTS });
      return toMailMessageView((await repo.findMessage(tx, id))!);
    });
  }

  /** Admins: how many messages are in each status (every status named, zero included). */
  async counts(): Promise<Record<repo.MailStatus, number>> {
    const counts = await repo.countsByStatus(this.deps.db);
    return Object.fromEntries(MAIL_STATUSES.map((status) => [status, counts.get(status) ?? 0])) as Record<repo.MailStatus, number>;
  }

  /** Admins: sends every failed message again, as `retry` does one; returns how many went back to the queue. */
  async retryAllFailed(): Promise<number> {
    let retried = 0;
    let afterId: string | null = null;
    for (;;) {
      const ids = await repo.failedMessageIds(this.deps.db, afterId, RETRY_ALL_BATCH);
      if (ids.length === 0) return retried;
      for (const id of ids) {
        try {
          await this.retry(id);
          retried++;
        } catch (error) {
          // Sent or requeued by someone else in the meantime: nothing left to do for it.
          if (!(error instanceof Conflict || error instanceof NotFound)) throw error;
        }
      }
      afterId = ids.at(-1)!;
    }
  }

  private enqueueDelivery(tx: Executor, mailId: string) {
    return this.deps.jobs.enqueue(tx, MAIL_QUEUE, { mailId }, { dedupeKey: mailId, maxAttempts: MAIL_MAX_ATTEMPTS });
  }

  /** Returns why the job failed (permanent: do not retry), or null when the job is finished. */
  private async deliverOne(job: Job): Promise<Omit<JobFailure, 'id'> | null> {
    const mailId = (job.payload as { mailId?: unknown }).mailId;
    if (typeof mailId !== 'string') return null;
    const { db, clock, transport } = this.deps;
    try {
      const withheld = await this.withheldReason(mailId);
      if (withheld) {
        await repo.cancelQueued(db, mailId, withheld, clock.now());
        return null;
      }
    } catch (cause) {
      return { error: safeErrorMessage(cause) };
    }
    const row = await repo.claimForSending(db, mailId, clock.now());
    if (!row) return this.unclaimable(mailId);
    try {
      await transport.send({
        from: this.deps.from,
        to: { address: row.toEmail, name: row.toName },
        subject: row.subject,
        text: row.text,
        html: row.html,
        messageId: row.messageId,
        headers: row.unsubscribeUrl
          ? { 'List-Unsubscribe': `<${row.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
          : {},
      });
    } catch (cause) {
      const error = safeErrorMessage(cause);
      const permanent = isPermanentRefusal(cause);
      const lastAttempt = permanent || job.attempts >= job.maxAttempts;
      await repo.markAttemptFailed(db, mailId, permanent ? `Refused permanently by the mail server: ${error}` : error, lastAttempt ? 'failed' : 'queued', clock.now());
      return { error, permanent };
    }
    await repo.markSent(db, mailId, clock.now());
    return null;
  }

  private async withheldReason(mailId: string): Promise<string | null> {
    if (this.sendChecks.length === 0) return null;
    const row = await repo.findMessage(this.deps.db, mailId);
    if (!row || row.status !== 'queued') return null;
    for (const check of this.sendChecks) {
      const reason = await check({
        template: row.template,
        toEmail: row.toEmail,
        userId: row.userId,
        idempotencyKey: row.idempotencyKey,
        actingForOrganizationId: row.actingForOrganizationId,
      });
      if (reason) return reason;
    }
    return null;
  }

  /** A job whose message is not queued: already sent, waiting for an admin, or caught mid-send. */
  private async unclaimable(mailId: string): Promise<Omit<JobFailure, 'id'> | null> {
    const row = await repo.findMessage(this.deps.db, mailId);
    if (!row || row.status !== 'sending') return null;
    const now = this.deps.clock.now();
    const claimedAt = row.lastAttemptAt ?? row.updatedAt;
    if (now.getTime() - claimedAt.getTime() < SENDING_LEASE_MS) return { error: 'message is being sent by another worker' };
    this.deps.log.error({ mailId, messageId: row.messageId, to: row.toEmail }, 'mail send was interrupted; left failed for an admin');
    await repo.markAttemptFailed(this.deps.db, mailId, UNCERTAIN_DELIVERY_ERROR, 'failed', now);
    // The job ends failed with its message, so an admin sees both alike and a retry of either reopens both.
    return { error: UNCERTAIN_DELIVERY_ERROR, permanent: true };
  }
}

/**
 * A 5xx reply (RFC 5321: permanent negative completion) will not change on a retry: the recipient
 * does not exist, the domain refuses us, the message is rejected. 4xx replies and connection
 * problems are temporary.
 */
function isPermanentRefusal(cause: unknown): boolean {
  const code = (cause as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

function domainOf(from: string): string | null {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1] ?? null;
}

/** Mail that people subscribed to (alerts, the Tech Monitor) carries its one-click unsubscribe link in its data. */
function unsubscribeUrlOf(data: Record<string, unknown>): string | null {
  const value = data.unsubscribeUrl;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new MailTemplateError('unsubscribeUrl in the mail data must be an http(s) URL');
  }
  return value;
}
