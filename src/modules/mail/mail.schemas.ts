import { z } from 'zod';

export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;

/** What admins see of a message: who, what, where it stands. Never the body, which may hold sign-in links. */
export const ZMailMessage = z.object({
  id: z.uuid(),
  to: z.object({ email: z.string(), name: z.string().nullable() }),
  userId: z.uuid().nullable(),
  template: z.string(),
  subject: z.string(),
  messageId: z.string().describe('The Message-ID header, the same on every attempt'),
  status: z.enum(MAIL_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.date().nullable(),
  sentAt: z.date().nullable(),
  createdAt: z.date(),
});

export const ZMailListQuery = z.object({
  status: z.enum(MAIL_STATUSES).optional().describe('queued and sending: on their way; failed: given up, waiting for an admin; cancelled: withheld at send time (the recipient unsubscribed or bounced)'),
  template: z.string().max(100).optional(),
  to: z.string().max(254).optional().describe('Recipient address (exact, any case)'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** How many messages are in each status, every status named (zero included). */
export const ZMailCounts = z.object(Object.fromEntries(MAIL_STATUSES.map((status) => [status, z.number().int()])) as Record<(typeof MAIL_STATUSES)[number], z.ZodNumber>);
