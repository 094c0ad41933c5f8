import { z } from 'zod';
import { ZPagination } from '../../lib/pagination.js';

/**
 * What a webhook may subscribe to. Listing events concern every public listing (partners mirror
 * the public database); interest.received only the listings of the webhook's own organisation.
 */
export const WEBHOOK_EVENTS = ['listing.published', 'listing.withdrawn', 'listing.expired', 'interest.received'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent by "send test event" whatever the webhook subscribes to. */
export const TEST_EVENT = 'webhook.test';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export const DISABLED_REASONS = ['failures', 'owner'] as const;

const ZEvents = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, { message: 'needs at least one event' })
  .refine((list) => new Set(list).size === list.length, { message: 'must not repeat an event' })
  .describe(
    'listing.published, listing.withdrawn (withdrawn or put on hold), listing.expired: of every public listing; interest.received: expressions of interest in the organisation’s own listings',
  );

// The address's scheme and target are checked by the service (the rule depends on configuration
// and on DNS); here only its form.
const ZUrl = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(2000, { message: 'must be at most 2000 characters' })
  .describe('The receiver: an https:// address that is reachable from the internet');

export const ZCreateWebhookBody = z.object({
  url: ZUrl,
  events: ZEvents,
  organizationId: z.uuid().optional().describe("Admins: the organisation the webhook belongs to; intermediaries' and API keys' webhooks belong to their own"),
});

export const ZUpdateWebhookBody = z
  .object({
    url: ZUrl.optional(),
    events: ZEvents.optional(),
    enabled: z.boolean().optional().describe('false stops deliveries; true turns a stopped webhook back on and clears its failure count'),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one of url, events, enabled' });

export const ZWebhook = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  createdById: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  secretPrefix: z.string().describe('The first characters of the signing secret, to tell secrets apart'),
  enabled: z.boolean(),
  disabledReason: z.enum(DISABLED_REASONS).nullable().describe('failures: stopped by the service after too many failed deliveries in a row; owner: turned off'),
  disabledAt: z.date().nullable(),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: z.date().nullable(),
  lastFailureAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZWebhookWithSecret = ZWebhook.extend({
  secret: z.string().describe('Shown once: the key of the HMAC-SHA256 signature in the Webhook-Signature header'),
});

export const ZWebhookListQuery = ZPagination.extend({
  organizationId: z.uuid().optional().describe('Admins: only this organisation’s webhooks (default: all)'),
});

export const ZDeliveryListQuery = ZPagination;

export const ZWebhookDelivery = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  eventId: z.uuid().describe('Sent as Webhook-Id; the same on every attempt, so receivers can ignore repeats'),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable().describe('HTTP status of the latest attempt; null when no answer came'),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  lastAttemptAt: z.date().nullable(),
  deliveredAt: z.date().nullable(),
});
