import { ZPublicListing } from '../listings/listings.schemas.js';
import { z } from 'zod';
import { ZPagination } from '../../lib/pagination.js';
import { multiline } from '../../lib/control-characters.js';
import { ZCountryCode, ZOrganizationPublic } from '../organizations/organizations.schemas.js';
import { ZEmail } from '../users/users.schemas.js';
import { LISTING_STATUSES, SECTORS, codesOf } from '../vocabularies/enums.js';

export const ISSUE_STATUSES = ['draft', 'locked', 'published'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

const ZSector = z.enum(codesOf(SECTORS));
const unique = <T>(list: T[]) => new Set(list).size === list.length;
const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max, { message: `must be at most ${max} characters` });
/** A whole number in a range, with messages a form can show beside its field. */
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a whole number') })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be from ${min} to ${max}` })
    .max(max, { error: `must be from ${min} to ${max}` });
const ZVersion = z.number().int().positive().describe('The version of the issue you edited; a newer one answers 409');

export const ZTheme = z.object({
  text: multiline(text(1000)).describe('What the special theme is about, in words; suggestions search for it'),
  sectors: z.array(ZSector).max(5, { message: 'at most 5 sectors' }).refine(unique, { message: 'must not repeat a sector' }).default([]),
});

const ZIssueFields = z.object({
  volume: wholeNumber(1, 9999),
  number: wholeNumber(1, 99),
  title: text(200),
  theme: ZTheme,
  periodStart: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  periodEnd: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }),
  targetOffers: wholeNumber(0, 100),
  targetRequests: wholeNumber(0, 100),
});

export const ZCreateIssueBody = ZIssueFields;
export type CreateIssueBody = z.infer<typeof ZCreateIssueBody>;

export const ZUpdateIssueBody = ZIssueFields.partial()
  .extend({ version: ZVersion })
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), { message: 'at least one field is required' });
export type UpdateIssueBody = z.infer<typeof ZUpdateIssueBody>;

export const ZVersionBody = z.object({ version: ZVersion });

export const ZAddEntryBody = z.object({
  listingId: z.uuid({ message: 'must be a UUID' }),
  note: multiline(z.string().trim().max(2000, { error: 'must be at most 2000 characters' })).nullable().optional().describe('Editorial note printed with the entry'),
  position: z.number().int().min(1).optional().describe('1-based place in the issue; the end when left out'),
  version: ZVersion,
});

export const ZUpdateEntryBody = z
  .object({
    note: multiline(z.string().trim().max(2000, { error: 'must be at most 2000 characters' })).nullable().optional(),
    position: z.number().int().min(1).optional(),
    version: ZVersion,
  })
  .refine((body) => body.note !== undefined || body.position !== undefined, { message: 'note or position is required' });

export const ZReorderBody = z.object({
  entryIds: z.array(z.uuid()).max(500).refine(unique, { message: 'must not repeat an entry' }).describe('Every entry of the issue, in the new order'),
  version: ZVersion,
});

export const ZEntryParams = z.object({ id: z.uuid({ message: 'must be a UUID' }), entryId: z.uuid({ message: 'must be a UUID' }) });

export const ZIssueListQuery = z.object({
  status: z
    .enum(ISSUE_STATUSES)
    .optional()
    .describe('Editors and admins may list drafts and locked issues; everyone else sees published ones'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export const ZSuggestionQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().describe('How many to suggest; twice the open target slots (at least 10) when left out'),
  offset: z.coerce.number().int().min(0).max(500).default(0),
});

export const EXPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ZExportQuery = z.object({ format: z.enum(EXPORT_FORMATS).default('html') });

/** A listing as an issue carries it: its public view, frozen at publication. */
export const ZEntryListing = ZPublicListing.omit({ status: true, updatedAt: true }).extend({
  organization: ZOrganizationPublic.nullable().describe('Null for anonymous listings: contact goes through the centre'),
});
export type EntryListing = z.infer<typeof ZEntryListing>;

export const ZEntry = z.object({
  id: z.uuid(),
  position: z.number().int(),
  note: z.string().nullable(),
  listing: ZEntryListing,
  currentStatus: z
    .enum(LISTING_STATUSES)
    .nullable()
    .describe("While the issue is being edited: the listing's status now (null once the issue is published)"),
});

const ZTargets = z.object({ offers: z.number().int(), requests: z.number().int() });

export const ZIssue = z.object({
  id: z.uuid(),
  volume: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  theme: z.object({ text: z.string(), sectors: z.array(z.string()) }),
  periodStart: z.string(),
  periodEnd: z.string(),
  targets: ZTargets,
  selected: ZTargets,
  status: z.enum(ISSUE_STATUSES),
  version: z.number().int(),
  publishedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZIssueDetail = ZIssue.extend({ entries: z.array(ZEntry) });

export const ZSuggestion = z.object({
  rank: z.number().int(),
  listing: ZEntryListing,
  score: z.number(),
  reason: z.string().describe('Why it was suggested, in one sentence'),
  signals: z.object({
    relevance: z.number(),
    sectorOverlap: z.number(),
    completeness: z.number(),
    freshness: z.number(),
    likeness: z.number().describe('Likeness to suggestions ranked above it (0 = nothing alike)'),
    matchedConcepts: z.array(z.string()),
    sharedSectors: z.array(z.string()),
  }),
});

export const ZSuggestions = z.object({
  items: z.array(ZSuggestion),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  openSlots: ZTargets.describe('Target counts minus entries already selected'),
});

// ── subscribers and sending ─────────────────────────────────────────────────────────────────────

export const ZSubscribeBody = z.object({
  email: ZEmail,
  name: z.string().trim().min(1).max(120).nullable().optional(),
  countries: z.array(ZCountryCode).max(60).refine(unique, { message: 'must not repeat a country' }).default([]),
  sectors: z.array(ZSector).max(15).refine(unique, { message: 'must not repeat a sector' }).default([]),
});
export type SubscribeBody = z.infer<typeof ZSubscribeBody>;

export const ZSubscribeAccepted = z.object({ message: z.string() });
export const ZTokenQuery = z.object({ token: z.string().min(10).max(300) });
export const ZTokenBody = z.object({ token: z.string().min(10).max(300) });

export const ZBounceBody = z.object({ email: ZEmail, reason: z.string().trim().max(500).optional() });
export const ZBounceResult = z.object({ bounced: z.boolean().describe('False when the address was not on the subscriber list') });

/** pending: waiting for the address to be confirmed; active: confirmed, receives every issue; unsubscribed and bounced: never mailed again. */
export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const ZSubscriberListQuery = z.object({
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  q: z.string().trim().max(254).optional().describe('Part of the e-mail address'),
  ...ZPagination.shape,
});

export const ZSubscriber = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  status: z.enum(SUBSCRIBER_STATUSES),
  countries: z.array(z.string()),
  sectors: z.array(z.string()),
  createdAt: z.date(),
  confirmedAt: z.date().nullable(),
  unsubscribedAt: z.date().nullable(),
  bouncedAt: z.date().nullable(),
});

export const ZSubscriberCounts = z.object(Object.fromEntries(SUBSCRIBER_STATUSES.map((status) => [status, z.number().int()])) as Record<SubscriberStatus, z.ZodNumber>);

export const DELIVERY_STATES = ['not_started', 'in_progress', 'done'] as const;
export const ZDeliveryProgress = z.object({
  issueId: z.uuid(),
  state: z.enum(DELIVERY_STATES),
  startedAt: z.date().nullable(),
  total: z.number().int(),
  queued: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type DeliveryProgress = z.infer<typeof ZDeliveryProgress>;
