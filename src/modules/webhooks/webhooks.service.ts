import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import { DAY_MS, type Clock } from '../../lib/clock.js';
import { Conflict, NotFound, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { integrationOrganization, managesIntegrations } from '../apikeys/apikeys.rules.js';
import type { ApiKeyIdentity } from '../apikeys/apikeys.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { InterestSentEvent } from '../interests/interests.service.js';
import type { Job, JobFailure, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { toPublicListing, type ListingEvent, type ListingService } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import { postDelivery } from './webhook-sender.js';
import { decryptSecret, encryptSecret, newSigningSecret, secretPrefixOf, signatureOf } from './webhook-signing.js';
import { targetProblem } from './webhook-targets.js';
import * as repo from './webhooks.repository.js';
import { TEST_EVENT, type DISABLED_REASONS, type DELIVERY_STATUSES, type WebhookEvent } from './webhooks.schemas.js';

export const WEBHOOKS_QUEUE = 'webhooks';
/** A partner needs a few (staging, production); more is a mistake or abuse, each costs deliveries. */
export const MAX_WEBHOOKS_PER_ORGANIZATION = 10;
const ZJobPayload = z.object({ deliveryId: z.uuid(), webhookId: z.uuid() });

export interface WebhookSettings {
  allowHttp: boolean;
  allowPrivateTargets: boolean;
  maxAttempts: number;
  disableAfterFailures: number;
  timeoutMs: number;
  logDays: number;
}

export interface WebhookServiceDeps {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  jobs: JobQueue;
  mail: MailOutbox;
  audit: AuditService;
  users: UserService;
  organizations: OrganizationService;
  listings: ListingService;
  /** Encrypts the signing secrets at rest (DerivedKeys.webhookSecrets). */
  secretKey: Buffer;
  settings: WebhookSettings;
}

export function toWebhookView(row: repo.WebhookRow) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    createdById: row.createdById,
    url: row.url,
    events: row.events as WebhookEvent[],
    secretPrefix: row.secretPrefix,
    enabled: row.enabled,
    disabledReason: row.disabledReason as (typeof DISABLED_REASONS)[number] | null,
    disabledAt: row.disabledAt,
    consecutiveFailures: row.consecutiveFailures,
    lastSuccessAt: row.lastSuccessAt,
    lastFailureAt: row.lastFailureAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
export type WebhookView = ReturnType<typeof toWebhookView>;

export function toDeliveryView(row: repo.DeliveryRow) {
  return {
    id: row.id,
    webhookId: row.webhookId,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status as (typeof DELIVERY_STATUSES)[number],
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    lastAttemptAt: row.lastAttemptAt,
    deliveredAt: row.deliveredAt,
  };
}
export type DeliveryView = ReturnType<typeof toDeliveryView>;

/**
 * Which webhook event a listing change is, if any. Partners mirror what the public sees: a listing
 * that becomes public (published, back from hold, renewed after expiry), one that leaves it by its
 * owner's or an editor's hand (withdrawn, put on hold), and one that expires.
 */
function listingEventType(event: ListingEvent): WebhookEvent | null {
  const { fromStatus, listing } = event;
  if (listing.status === 'published' && fromStatus !== 'published' && (event.action === 'publish' || event.action === 'renew')) return 'listing.published';
  if (fromStatus === 'published' && (listing.status === 'withdrawn' || listing.status === 'on_hold')) return 'listing.withdrawn';
  if (fromStatus === 'published' && event.action === 'expire') return 'listing.expired';
  return null;
}

/**
 * Partners' webhooks: registration (admins for any organisation, intermediaries and API keys with
 * the webhooks:manage scope for their own), the events that listings and expressions of interest
 * produce, and their delivery through the job queue, signed, retried with backoff, and stopped
 * (with a mail to the owner) after too many failures in a row.
 */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  private get settings() {
    return this.deps.settings;
  }

  // ---- who manages which webhooks (one rule for the API, API keys and the pages)

  /** Whether the caller manages the organisation's webhooks. */
  private manages(actor: Actor, apiKey: ApiKeyIdentity | null, organizationId: string) {
    if (apiKey) return apiKey.scopes.includes('webhooks:manage') && apiKey.organizationId === organizationId;
    return managesIntegrations(actor, organizationId);
  }

  private organizationFor(actor: Actor, apiKey: ApiKeyIdentity | null, organizationId: string | undefined) {
    // An API key acts as a member of its organisation: its scope stands in for the intermediary's role.
    const own = apiKey ? (apiKey.scopes.includes('webhooks:manage') ? apiKey.organizationId : null) : managesIntegrations(actor) ? actor.organizationId : null;
    return integrationOrganization(actor, organizationId, own, async (id) => (await this.deps.organizations.find(id)) !== null, {
      none: 'Only admins and intermediaries (or their API keys with the webhooks:manage scope) manage webhooks',
      other: 'Webhooks are managed for your own organisation only',
    });
  }

  /** The webhook, if the caller manages it; else 404, so another organisation's webhooks stay unseen. */
  private async manageable(actor: Actor, apiKey: ApiKeyIdentity | null, id: string, db: Executor = this.db, forUpdate = false) {
    // Ids are UUIDs by the time they get here: the API's params schema and the pages' id check say so.
    const row = await repo.findWebhook(db, id, { forUpdate });
    if (!row || !this.manages(actor, apiKey, row.organizationId)) throw new NotFound('Webhook');
    return row;
  }

  private async checkTarget(url: string) {
    const problem = await targetProblem(url, this.settings);
    if (problem) throw invalidField('url', problem);
  }

  // ---- management

  async create(actor: Actor, body: { url: string; events: WebhookEvent[]; organizationId?: string }, apiKey: ApiKeyIdentity | null = null) {
    const organizationId = await this.organizationFor(actor, apiKey, body.organizationId);
    await this.checkTarget(body.url);
    const secret = newSigningSecret();
    const row = await this.db.transaction(async (tx) => {
      if ((await repo.countWebhooksOf(tx, organizationId)) >= MAX_WEBHOOKS_PER_ORGANIZATION) {
        throw new Conflict(`An organisation may have at most ${MAX_WEBHOOKS_PER_ORGANIZATION} webhooks`, 'webhook_limit');
      }
      const now = this.deps.clock.now();
      const created = await repo.insertWebhook(tx, {
        organizationId,
        createdById: actor.id,
        url: body.url,
        events: body.events,
        secretEncrypted: encryptSecret(this.deps.secretKey, secret),
        secretPrefix: secretPrefixOf(secret),
        createdAt: now,
        updatedAt: now,
      });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'webhook', entityId: created.id, action: 'create', data: { organizationId, events: body.events } });
      return created;
    });
    return { ...toWebhookView(row), secret };
  }

  async list(actor: Actor, query: { organizationId?: string; limit: number; offset: number }, apiKey: ApiKeyIdentity | null = null) {
    const scope = !apiKey && actor.role === 'admin' ? (query.organizationId ?? null) : await this.organizationFor(actor, apiKey, query.organizationId);
    const { items, total } = await repo.listWebhooks(this.db, scope, query.limit, query.offset);
    return { items: items.map(toWebhookView), total, limit: query.limit, offset: query.offset };
  }

  async get(actor: Actor, id: string, apiKey: ApiKeyIdentity | null = null) {
    return toWebhookView(await this.manageable(actor, apiKey, id));
  }

  /**
   * Changes the address or the events, or turns the webhook off or back on. Back on, its failure
   * count starts again; events that happened while it was off are not sent (the change feed has them).
   */
  async update(actor: Actor, id: string, body: { url?: string; events?: WebhookEvent[]; enabled?: boolean }, apiKey: ApiKeyIdentity | null = null) {
    if (body.url !== undefined) {
      // Whose webhook it is first: the address check looks the host up, which tells whether it
      // resolves and where, and that is for the webhook's managers only. Outside the transaction,
      // so no row stays locked while DNS answers.
      await this.manageable(actor, apiKey, id);
      await this.checkTarget(body.url);
    }
    return this.db.transaction(async (tx) => {
      const current = await this.manageable(actor, apiKey, id, tx, true);
      const now = this.deps.clock.now();
      const changes: Parameters<typeof repo.updateWebhook>[2] = { updatedAt: now };
      if (body.url !== undefined) changes.url = body.url;
      if (body.events !== undefined) changes.events = body.events;
      if (body.enabled === true && !current.enabled) Object.assign(changes, { enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 });
      if (body.enabled === false && current.enabled) {
        Object.assign(changes, { enabled: false, disabledReason: 'owner', disabledAt: now });
        await repo.cancelPending(tx, id, 'the webhook was turned off');
      }
      const updated = await repo.updateWebhook(tx, id, changes);
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'webhook',
        entityId: id,
        action: body.enabled === undefined ? 'update' : body.enabled ? 'enable' : 'disable',
        data: { fields: Object.keys(body) },
      });
      return toWebhookView(updated);
    });
  }

  async remove(actor: Actor, id: string, apiKey: ApiKeyIdentity | null = null) {
    await this.db.transaction(async (tx) => {
      const current = await this.manageable(actor, apiKey, id, tx, true);
      await repo.deleteWebhook(tx, id);
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'webhook', entityId: id, action: 'delete', data: { organizationId: current.organizationId } });
    });
  }

  /** A new signing secret, shown once; the old one stops signing at once. */
  async rotateSecret(actor: Actor, id: string, apiKey: ApiKeyIdentity | null = null) {
    const secret = newSigningSecret();
    return this.db.transaction(async (tx) => {
      await this.manageable(actor, apiKey, id, tx, true);
      const updated = await repo.updateWebhook(tx, id, {
        secretEncrypted: encryptSecret(this.deps.secretKey, secret),
        secretPrefix: secretPrefixOf(secret),
        updatedAt: this.deps.clock.now(),
      });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'webhook', entityId: id, action: 'rotate_secret' });
      return { ...toWebhookView(updated), secret };
    });
  }

  async deliveries(actor: Actor, id: string, query: { limit: number; offset: number }, apiKey: ApiKeyIdentity | null = null) {
    await this.manageable(actor, apiKey, id);
    const { items, total } = await repo.listDeliveries(this.db, id, query.limit, query.offset);
    return { items: items.map(toDeliveryView), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Queues a webhook.test event, sent once (no retries: its point is to show at once whether the
   * receiver works), even to a webhook that is off, so a repaired receiver can be checked first.
   */
  async sendTest(actor: Actor, id: string, apiKey: ApiKeyIdentity | null = null) {
    return this.db.transaction(async (tx) => {
      const webhook = await this.manageable(actor, apiKey, id, tx);
      const now = this.deps.clock.now();
      const eventId = randomUUID();
      const body = envelope(eventId, TEST_EVENT, now, { webhook: { id: webhook.id, url: webhook.url, events: webhook.events } });
      const inserted = await repo.insertDelivery(tx, { webhookId: webhook.id, eventId, eventType: TEST_EVENT, body, createdAt: now });
      await this.deps.jobs.enqueue(tx, WEBHOOKS_QUEUE, { deliveryId: inserted.id, webhookId: webhook.id }, { maxAttempts: 1 });
      return toDeliveryView(inserted);
    });
  }

  // ---- events (listeners run in the transaction of the change: the deliveries commit with it)

  async onListingEvents(tx: Executor, events: ListingEvent[]) {
    const typed = events.flatMap((event) => {
      const type = listingEventType(event);
      return type ? [{ event, type }] : [];
    });
    if (typed.length === 0) return;
    // One statement for every event type in the change, sorted out here.
    const types = [...new Set(typed.map((entry) => entry.type))];
    const subscribed = await repo.subscribers(tx, types, null);
    if (subscribed.length === 0) return;
    const subscribersOf = new Map(types.map((type) => [type, subscribed.filter((webhook) => webhook.events.includes(type))]));
    const publishedIds = typed.filter((entry) => entry.type === 'listing.published').map((entry) => entry.event.listing.id);
    const organizations = new Map(
      (await this.deps.listings.findManyWithOrganization(publishedIds, tx)).map((found) => [found.listing.id, found.organization]),
    );
    const now = this.deps.clock.now();
    const deliveries: repo.NewDelivery[] = [];
    for (const { event, type } of typed) {
      const subscribers = subscribersOf.get(type)!;
      if (subscribers.length === 0) continue;
      const { listing } = event;
      const organization = organizations.get(listing.id);
      // Published: the public view (an anonymous owner stays hidden, as on the site). Gone from
      // view: what the change feed's tombstones say, nothing about the owner.
      const data =
        type === 'listing.published' && organization
          ? { listing: toPublicListing(listing, organization) }
          : { listing: { id: listing.id, reference: listing.reference, kind: listing.kind, status: listing.status, updatedAt: listing.updatedAt } };
      const eventId = randomUUID();
      const body = envelope(eventId, type, now, data);
      for (const subscriber of subscribers) deliveries.push({ webhookId: subscriber.id, eventId, eventType: type, body, createdAt: now });
    }
    await this.queueDeliveries(tx, deliveries);
  }

  /** interest.received goes to the webhooks of the listing's own organisation only. */
  async onInterestSent(tx: Executor, { interest, listing }: InterestSentEvent) {
    const subscribers = await repo.subscribers(tx, ['interest.received'], [listing.organizationId]);
    if (subscribers.length === 0) return;
    const sender = await this.deps.organizations.find(interest.senderOrganizationId, tx);
    const now = this.deps.clock.now();
    const eventId = randomUUID();
    const body = envelope(eventId, 'interest.received', now, {
      interest: {
        id: interest.id,
        status: interest.status,
        message: interest.message,
        createdAt: interest.createdAt,
        listing: { id: listing.id, reference: listing.reference, kind: listing.kind, title: listing.title },
        senderOrganization: sender ? { name: sender.name, country: sender.country } : null,
      },
    });
    await this.queueDeliveries(
      tx,
      subscribers.map((subscriber) => ({ webhookId: subscriber.id, eventId, eventType: 'interest.received', body, createdAt: now })),
    );
  }

  private async queueDeliveries(tx: Executor, deliveries: repo.NewDelivery[]) {
    // Bounded statements, whatever the size of the import that produced the events.
    for (let start = 0; start < deliveries.length; start += 500) {
      const inserted = await repo.insertDeliveries(tx, deliveries.slice(start, start + 500));
      await this.deps.jobs.enqueueMany(
        tx,
        WEBHOOKS_QUEUE,
        inserted.map((row) => ({ payload: { deliveryId: row.id, webhookId: row.webhookId } })),
        { maxAttempts: this.settings.maxAttempts },
      );
    }
  }

  // ---- delivery (the worker)

  queueDefinition(): QueueDefinition {
    return {
      handler: (jobs) => this.deliverBatch(jobs),
      batchSize: 10,
      // A slow receiver holds up its own batch, not every other webhook's.
      concurrency: 2,
      // 30 s, 1 min, 2 min, … capped at 6 h: ten attempts span about four hours.
      backoffMs: (attempt) => Math.min(30_000 * 2 ** (attempt - 1), 6 * 3_600_000),
    };
  }

  /**
   * Webhooks in parallel, each webhook's deliveries one after another in the order of their events
   * (a listing published then withdrawn arrives in that order, unless a retry comes in between).
   */
  private async deliverBatch(jobs: Job[]) {
    const byWebhook = new Map<string, Job[]>();
    for (const job of jobs) {
      const key = (job.payload as { webhookId?: string } | null)?.webhookId ?? String(job.id);
      byWebhook.set(key, [...(byWebhook.get(key) ?? []), job]);
    }
    const failed: JobFailure[] = [];
    await Promise.all(
      [...byWebhook.values()].map(async (group) => {
        for (const job of group) {
          const failure = await this.deliver(job);
          if (failure) failed.push(failure);
        }
      }),
    );
    return { failed };
  }

  /** Sends one delivery; a failure to retry, or null when the job is done (delivered, or nothing left to send). */
  private async deliver(job: Job): Promise<JobFailure | null> {
    const payload = ZJobPayload.safeParse(job.payload);
    if (!payload.success) return { id: job.id, error: 'payload is not { deliveryId: uuid, webhookId: uuid }', permanent: true };
    const found = await repo.findDeliveryWithWebhook(this.db, payload.data.deliveryId);
    // Gone with its webhook, or cancelled when the webhook was turned off.
    if (!found || found.delivery.status !== 'pending') return null;
    const { delivery, webhook } = found;
    if (!webhook.enabled && delivery.eventType !== TEST_EVENT) {
      await repo.updateDelivery(this.db, delivery.id, { status: 'cancelled', lastError: 'the webhook is turned off' });
      return null;
    }
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    const outcome = await postDelivery(
      webhook.url,
      delivery.body,
      {
        'webhook-id': delivery.eventId,
        'webhook-event': delivery.eventType,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureOf(decryptSecret(this.deps.secretKey, webhook.secretEncrypted), timestamp, delivery.body),
      },
      { timeoutMs: this.settings.timeoutMs, allowPrivateTargets: this.settings.allowPrivateTargets },
    );
    const now = this.deps.clock.now();
    const attempt = { attempts: job.attempts, lastStatusCode: outcome.statusCode, lastAttemptAt: now };
    if (outcome.ok) {
      await this.db.transaction(async (tx) => {
        await repo.updateDelivery(tx, delivery.id, { ...attempt, status: 'delivered', lastError: null, deliveredAt: now });
        await repo.recordSuccess(tx, webhook.id, now);
      });
      return null;
    }
    const error = outcome.error.slice(0, 500);
    const stopped = await this.db.transaction(async (tx) => {
      const streak = await repo.recordFailure(tx, webhook.id, now);
      const disabled = streak >= this.settings.disableAfterFailures ? await repo.disableForFailures(tx, webhook.id, now) : null;
      const final = disabled !== null || job.attempts >= job.maxAttempts;
      await repo.updateDelivery(tx, delivery.id, { ...attempt, status: final ? 'failed' : 'pending', lastError: error });
      if (disabled) {
        await repo.cancelPending(tx, webhook.id, 'the webhook was turned off after repeated failures');
        await this.deps.audit.record(tx, { actorId: null, entityType: 'webhook', entityId: webhook.id, action: 'disable', data: { reason: 'failures', failures: streak } });
        await this.tellOwner(tx, disabled, streak, error);
        this.deps.log.warn({ webhookId: webhook.id, failures: streak }, 'webhook turned off after repeated failures');
      }
      return disabled !== null;
    });
    return { id: job.id, error, permanent: stopped };
  }

  /**
   * Mails whoever registered the webhook that it stopped; when that person is gone, the
   * organisation's intermediaries (those who manage its webhooks).
   */
  private async tellOwner(tx: Executor, webhook: repo.WebhookRow, failures: number, lastError: string) {
    const creator = await this.deps.users.findById(webhook.createdById, tx);
    const recipients =
      creator && !creator.disabledAt
        ? [creator]
        : (await this.deps.users.usersOfOrganization(webhook.organizationId, tx)).filter((user) => user.role === 'intermediary' && !user.disabledAt);
    const organization = await this.deps.organizations.find(webhook.organizationId, tx);
    const disabledAt = (webhook.disabledAt ?? this.deps.clock.now()).toISOString();
    for (const user of recipients) {
      await this.deps.mail.enqueue(tx, {
        // An admin is told whatever organisation it is; anyone else only while they still act for it.
        to: { email: user.email, name: user.name, userId: user.id, actingForOrganizationId: user.role === 'admin' ? null : webhook.organizationId },
        template: 'webhook_disabled',
        data: { webhookId: webhook.id, url: webhook.url, organizationName: organization?.name ?? '', failures, lastError, disabledAt },
        idempotencyKey: `webhook_disabled:${webhook.id}:${disabledAt}:${user.id}`,
      });
    }
  }

  /** The delivery log keeps settings.logDays days (the scheduler runs this hourly). */
  purgeOldDeliveries() {
    return repo.purgeDeliveriesBefore(this.db, new Date(this.deps.clock.now().getTime() - this.settings.logDays * DAY_MS));
  }
}

/** The body of every delivery: the event's id, type and time, and its data. */
function envelope(id: string, type: string, createdAt: Date, data: unknown) {
  return JSON.stringify({ id, type, createdAt: createdAt.toISOString(), data });
}
