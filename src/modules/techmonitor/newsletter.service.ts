import type { Database } from '../../db/client.js';
import { addDays, DAY_MS, type Clock } from '../../lib/clock.js';
import { BadRequest, Conflict, NotFound } from '../../lib/errors.js';
import type { LinkSigner } from '../../lib/signed-links.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Job, JobQueue } from '../jobs/job-queue.js';
import type { SendCheck } from '../mail/mail.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { countryName } from '../vocabularies/countries.js';
import { periodLabel } from './techmonitor.export.js';
import * as repo from './techmonitor.repository.js';
import { SUBSCRIBER_STATUSES, type DeliveryProgress, type SubscribeBody, type SubscriberStatus } from './techmonitor.schemas.js';
import type { TechMonitorService } from './techmonitor.service.js';

export const TM_SEND_QUEUE = 'techmonitor-send';
export const ISSUE_MAIL_TEMPLATE = 'techmonitor_issue';
export const CONFIRM_MAIL_TEMPLATE = 'techmonitor_subscription_confirm';

const CONFIRM_TTL_DAYS = 7;
const UNSUBSCRIBE_PURPOSE = 'tm-unsubscribe';
/** A second signup within this time sends no second confirmation: nobody can flood an inbox through the form. */
const CONFIRM_RESEND_AFTER_MS = 10 * 60_000;
const SETTLE_CHUNK = 500;
/** Problems a delivery report lists; the counts cover all of them. */
const DELIVERY_REPORT_LIMIT = 200;

export interface DeliveryReport {
  progress: DeliveryProgress;
  problems: { email: string; status: 'failed' | 'skipped'; error: string | null; updatedAt: Date }[];
}

/** The one answer to every signup, whatever the address's state, so the form reveals nothing. */
export const SUBSCRIBE_ACCEPTED =
  'Thank you. If this address can receive the Tech Monitor, a message is on its way to it: follow its link to confirm the subscription.';

/** Names one issue's mail to one subscriber: however often the send is resumed, it is one message. */
export const issueMailKey = (issueId: string, subscriberId: string) => `tm_issue:${issueId}:${subscriberId}`;

/** What the newsletter needs of the mail module: the outbox, and what became of what it queued. */
export interface NewsletterMail extends MailOutbox {
  statusesOf(idempotencyKeys: string[]): Promise<Map<string, { status: string; lastError: string | null }>>;
}

export interface NewsletterServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  mail: NewsletterMail;
  jobs: JobQueue;
  techmonitor: TechMonitorService;
  publicUrl: string;
  /** Signs unsubscribe links, so they work without logging in and cannot be forged for another address. */
  linkSigner: LinkSigner;
  sendBatchSize: number;
}

const MAIL_TO_DELIVERY: Record<string, repo.DeliveryStatus> = { sent: 'sent', failed: 'failed', cancelled: 'skipped' };

/**
 * E-subscribers (double opt-in, one-click unsubscribe, bounces) and the sending of a published issue
 * to all of them: a job creates one delivery row per subscriber, in batches, each with its mail in the
 * same transaction, so a send stopped half-way resumes where it was and never mails anyone twice.
 */
export class NewsletterService {
  constructor(private readonly deps: NewsletterServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ── subscriptions ─────────────────────────────────────────────────────────────────────────────

  async subscribe(body: SubscribeBody): Promise<void> {
    await this.db.transaction(async (tx) => {
      const now = this.deps.clock.now();
      const existing = await repo.findSubscriberByEmail(tx, body.email, { forUpdate: true });
      // Active addresses need nothing; bounced ones are never mailed again.
      if (existing && (existing.status === 'active' || existing.status === 'bounced')) return;
      if (existing?.status === 'pending' && existing.confirmTokenExpiresAt) {
        const issuedAt = existing.confirmTokenExpiresAt.getTime() - CONFIRM_TTL_DAYS * DAY_MS;
        if (now.getTime() - issuedAt < CONFIRM_RESEND_AFTER_MS) return;
      }
      const token = newToken();
      const values = {
        name: body.name ?? null,
        countries: body.countries,
        sectors: body.sectors,
        status: 'pending',
        confirmTokenHash: hashToken(token),
        confirmTokenExpiresAt: addDays(now, CONFIRM_TTL_DAYS),
        updatedAt: now,
      };
      const subscriber = existing
        ? await repo.updateSubscriber(tx, existing.id, values)
        : await repo.insertSubscriber(tx, { email: body.email, ...values, createdAt: now });
      // Null: a simultaneous signup of the same address got there first and mails it.
      if (!subscriber) return;
      await this.deps.mail.enqueue(tx, {
        to: { email: subscriber.email, name: subscriber.name },
        template: CONFIRM_MAIL_TEMPLATE,
        data: { token },
        idempotencyKey: `tm_confirm:${subscriber.id}:${values.confirmTokenHash.slice(0, 24)}`,
      });
    });
  }

  async confirm(token: string): Promise<{ status: 'active' }> {
    return this.db.transaction(async (tx) => {
      const now = this.deps.clock.now();
      const subscriber = await repo.findSubscriberByConfirmToken(tx, hashToken(token));
      if (!subscriber || subscriber.status !== 'pending' || !subscriber.confirmTokenExpiresAt || subscriber.confirmTokenExpiresAt <= now) {
        throw new BadRequest('This confirmation link is invalid or has expired; sign up again to get a new one', undefined, 'invalid_token');
      }
      await repo.updateSubscriber(tx, subscriber.id, {
        status: 'active',
        confirmedAt: now,
        confirmTokenHash: null,
        confirmTokenExpiresAt: null,
        updatedAt: now,
      });
      await this.deps.audit.record(tx, { actorId: null, entityType: 'tm_subscriber', entityId: subscriber.id, action: 'confirm', fromStatus: 'pending', toStatus: 'active' });
      return { status: 'active' as const };
    });
  }

  /** One-click unsubscribe: the signed token is the only credential, and using it twice is harmless. */
  async unsubscribe(token: string): Promise<{ status: 'unsubscribed' }> {
    const subscriberId = this.verifyUnsubscribeToken(token);
    return this.db.transaction(async (tx) => {
      const subscriber = subscriberId ? await repo.findSubscriber(tx, subscriberId, { forUpdate: true }) : null;
      if (!subscriber) throw new BadRequest('This unsubscribe link is invalid', undefined, 'invalid_token');
      if (subscriber.status === 'active' || subscriber.status === 'pending') {
        const now = this.deps.clock.now();
        await repo.updateSubscriber(tx, subscriber.id, {
          status: 'unsubscribed',
          unsubscribedAt: now,
          confirmTokenHash: null,
          confirmTokenExpiresAt: null,
          updatedAt: now,
        });
        await this.deps.audit.record(tx, {
          actorId: null,
          entityType: 'tm_subscriber',
          entityId: subscriber.id,
          action: 'unsubscribe',
          fromStatus: subscriber.status,
          toStatus: 'unsubscribed',
        });
      }
      return { status: 'unsubscribed' as const };
    });
  }

  /** A hard bounce reported by the mail provider or an admin: the address is never mailed again. */
  async markBounced(actor: Actor, email: string, reason?: string): Promise<{ bounced: boolean }> {
    return this.db.transaction(async (tx) => {
      const subscriber = await repo.findSubscriberByEmail(tx, email, { forUpdate: true });
      if (!subscriber) return { bounced: false };
      if (subscriber.status !== 'bounced') {
        const now = this.deps.clock.now();
        await repo.updateSubscriber(tx, subscriber.id, { status: 'bounced', bouncedAt: now, confirmTokenHash: null, confirmTokenExpiresAt: null, updatedAt: now });
        await this.deps.audit.record(tx, {
          actorId: actor.id,
          entityType: 'tm_subscriber',
          entityId: subscriber.id,
          action: 'bounce',
          fromStatus: subscriber.status,
          toStatus: 'bounced',
          note: reason ?? null,
        });
      }
      return { bounced: true };
    });
  }

  /** Admins: subscribers by status and part of the address, newest first. */
  async listSubscribers(filter: { status?: SubscriberStatus; q?: string }, limit: number, offset: number) {
    const { items, total } = await repo.listSubscribers(this.db, filter, limit, offset);
    return {
      items: items.map((row) => ({
        id: row.id,
        email: row.email,
        name: row.name,
        status: row.status as SubscriberStatus,
        countries: row.countries,
        sectors: row.sectors,
        createdAt: row.createdAt,
        confirmedAt: row.confirmedAt,
        unsubscribedAt: row.unsubscribedAt,
        bouncedAt: row.bouncedAt,
      })),
      total,
    };
  }

  /** Admins: how many subscribers are in each status (every status named, zero included). */
  async subscriberCounts(): Promise<Record<SubscriberStatus, number>> {
    const counts = await repo.subscriberCountsByStatus(this.db);
    return Object.fromEntries(SUBSCRIBER_STATUSES.map((status) => [status, counts.get(status) ?? 0])) as Record<SubscriberStatus, number>;
  }

  unsubscribeUrl(subscriberId: string) {
    return `${this.deps.publicUrl}/api/v1/techmonitor/unsubscribe?token=${encodeURIComponent(this.unsubscribeToken(subscriberId))}`;
  }

  private unsubscribeToken(subscriberId: string) {
    return this.deps.linkSigner.sign(UNSUBSCRIBE_PURPOSE, subscriberId);
  }

  private verifyUnsubscribeToken(token: string): string | null {
    const subscriberId = this.deps.linkSigner.verify(UNSUBSCRIBE_PURPOSE, token);
    return subscriberId && /^[0-9a-f-]{36}$/i.test(subscriberId) ? subscriberId : null;
  }

  /**
   * The mail worker asks right before sending: an issue goes only to subscribers still active, a
   * confirmation only to addresses still waiting for one.
   */
  readonly sendCheck: SendCheck = async (message) => {
    const wanted = message.template === ISSUE_MAIL_TEMPLATE ? 'active' : message.template === CONFIRM_MAIL_TEMPLATE ? 'pending' : null;
    if (!wanted) return null;
    const subscriber = await repo.findSubscriberByEmail(this.db, message.toEmail);
    if (!subscriber) return 'no longer on the Tech Monitor subscriber list';
    return subscriber.status === wanted ? null : `the subscriber is ${subscriber.status}`;
  };

  // ── sending an issue ──────────────────────────────────────────────────────────────────────────

  async startSend(actor: Actor, issueId: string): Promise<DeliveryProgress> {
    await this.beginSend(issueId, actor.id);
    return this.progressOf(issueId);
  }

  /**
   * Starts (or resumes) sending a published issue: the job picks up every active subscriber who has
   * no delivery row yet, so calling this again after a crash or for late subscribers is safe.
   */
  async beginSend(issueId: string, actorId: string | null = null) {
    await this.db.transaction(async (tx) => {
      const issue = await repo.findIssue(tx, issueId, { forUpdate: true });
      if (!issue) throw new NotFound('Issue');
      if (issue.status !== 'published') throw new Conflict('Only a published issue can be sent', 'invalid_state');
      const now = this.deps.clock.now();
      await repo.setSendState(tx, issueId, { sendStartedAt: issue.sendStartedAt ?? now, deliveriesCreatedAt: null });
      await this.deps.jobs.enqueue(tx, TM_SEND_QUEUE, { issueId }, { dedupeKey: `tm_send:${issueId}` });
      await this.deps.audit.record(tx, { actorId, entityType: 'tm_issue', entityId: issueId, action: 'send', data: { resumed: issue.sendStartedAt !== null } });
    });
  }

  /** The send queue's handler: one batch of delivery rows (and their mails) per job. */
  readonly handleSendJobs = async (jobs: Job[]) => {
    for (const job of jobs) await this.createDeliveryBatch((job.payload as { issueId: string }).issueId);
  };

  private async createDeliveryBatch(issueId: string) {
    const issue = await this.deps.techmonitor.getPublished(issueId).catch((error: unknown) => {
      if (error instanceof NotFound) return null;
      throw error;
    });
    if (!issue) return;
    const content = {
      issueTitle: issue.title,
      volume: issue.volume,
      number: issue.number,
      theme: issue.theme.text,
      period: periodLabel(issue.periodStart, issue.periodEnd),
      issueUrl: `${this.deps.publicUrl}/api/v1/techmonitor/issues/${issue.id}.html`,
      entries: issue.entries.map((entry) => ({
        position: entry.position,
        kind: entry.listing.kind,
        title: entry.listing.title,
        reference: entry.listing.reference,
        country: countryName(entry.listing.country) ?? entry.listing.country,
        summary: entry.listing.summary,
        note: entry.note,
      })),
    };
    await this.db.transaction(async (tx) => {
      // Locking the issue makes batches of one issue take turns, so two workers never pick the same subscribers.
      await repo.findIssue(tx, issueId, { forUpdate: true });
      const now = this.deps.clock.now();
      const subscribers = await repo.subscribersWithoutDelivery(tx, issueId, this.deps.sendBatchSize);
      const created = new Set(await repo.insertDeliveries(tx, issueId, subscribers.map((s) => s.id), now));
      for (const subscriber of subscribers) {
        if (!created.has(subscriber.id)) continue;
        await this.deps.mail.enqueue(tx, {
          to: { email: subscriber.email, name: subscriber.name },
          template: ISSUE_MAIL_TEMPLATE,
          data: { ...content, unsubscribeUrl: this.unsubscribeUrl(subscriber.id) },
          idempotencyKey: issueMailKey(issueId, subscriber.id),
        });
      }
      if (subscribers.length === this.deps.sendBatchSize) {
        await this.deps.jobs.enqueue(tx, TM_SEND_QUEUE, { issueId }, { dedupeKey: `tm_send:${issueId}` });
      } else {
        await repo.setSendState(tx, issueId, { deliveriesCreatedAt: now });
      }
    });
  }

  /** Where the send stands, after taking in what the mail worker did since the last look. */
  async progressOf(issueId: string): Promise<DeliveryProgress> {
    const issue = await repo.findIssue(this.db, issueId);
    if (!issue) throw new NotFound('Issue');
    await this.settleDeliveries(issueId);
    const counts = await repo.deliveryCounts(this.db, issueId);
    const batching = issue.sendStartedAt !== null && issue.deliveriesCreatedAt === null;
    const waiting = batching ? await repo.countSubscribersWithoutDelivery(this.db, issueId) : 0;
    const total = counts.queued + counts.sent + counts.failed + counts.skipped + waiting;
    const state = issue.sendStartedAt === null ? 'not_started' : batching || counts.queued > 0 ? 'in_progress' : 'done';
    return {
      issueId,
      state,
      startedAt: issue.sendStartedAt,
      total,
      queued: counts.queued + waiting,
      sent: counts.sent,
      failed: counts.failed,
      skipped: counts.skipped,
    };
  }

  /**
   * The delivery report of a send: where it stands, and which addresses the issue did not reach
   * (failed, or withheld because the subscriber left or bounced) with the reason, newest first.
   */
  async deliveryReport(issueId: string, limit = DELIVERY_REPORT_LIMIT): Promise<DeliveryReport> {
    const progress = await this.progressOf(issueId);
    const problems = progress.failed + progress.skipped > 0 ? await repo.deliveryProblems(this.db, issueId, limit) : [];
    return { progress, problems: problems.map((row) => ({ ...row, status: row.status as 'failed' | 'skipped' })) };
  }

  /** Copies the outcome of each delivery's mail (sent, failed, withheld at send time) onto its row. */
  private async settleDeliveries(issueId: string) {
    let afterId = 0;
    for (;;) {
      const rows = await repo.unsettledDeliveries(this.db, issueId, afterId, SETTLE_CHUNK);
      if (rows.length === 0) return;
      afterId = rows[rows.length - 1]!.id;
      const outcomes = await this.deps.mail.statusesOf(rows.map((row) => issueMailKey(issueId, row.subscriberId)));
      // One update per distinct outcome, not per row: a settled send of thousands is a handful of statements.
      const changes = new Map<string, { status: repo.DeliveryStatus; error: string | null; ids: number[] }>();
      for (const row of rows) {
        const outcome = outcomes.get(issueMailKey(issueId, row.subscriberId));
        const status: repo.DeliveryStatus = (outcome && MAIL_TO_DELIVERY[outcome.status]) ?? 'queued';
        if (status === row.status) continue;
        const error = status === 'sent' || status === 'queued' ? null : (outcome?.lastError ?? null);
        const key = JSON.stringify([status, error]);
        const change = changes.get(key) ?? { status, error, ids: [] };
        change.ids.push(row.id);
        changes.set(key, change);
      }
      const now = this.deps.clock.now();
      for (const { status, error, ids } of changes.values()) await repo.setDeliveryStatus(this.db, ids, status, error, now);
    }
  }
}
