import { z } from 'zod';
import {
  IPR_STATUSES,
  LISTING_KINDS,
  LISTING_STATUSES,
  PARTNERSHIP_TYPES,
  SECTORS,
  STAGES,
  codesOf,
} from '../vocabularies/enums.js';
import { ZCountryCode, ZOrganizationPublic } from '../organizations/organizations.schemas.js';
import { multiline } from '../../lib/control-characters.js';
import { csvArray } from '../../lib/pagination.js';

const ZSector = z.enum(codesOf(SECTORS));
const ZStage = z.enum(codesOf(STAGES));
const ZIprStatus = z.enum(codesOf(IPR_STATUSES));
const ZPartnershipType = z.enum(codesOf(PARTNERSHIP_TYPES));
const ZSdg = z.coerce.number().int().min(1, { message: 'must be an SDG number from 1 to 17' }).max(17, { message: 'must be an SDG number from 1 to 17' });

const unique = <T>(list: T[]) => new Set(list).size === list.length;
const text = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max, { message: `must be at most ${max} characters` });

export const ZListingContent = z.object({
  title: text(200),
  summary: multiline(text(500)).describe('Plain text; what lists and the Tech Monitor print'),
  description: multiline(text(4000)),
  advantages: multiline(text(2000)).nullable().optional().describe('Offers: what is new, and better than what'),
  specificationSought: multiline(text(2000)).nullable().optional().describe('Requests: the technical specification sought'),
  sectors: z.array(ZSector).min(1, { message: 'needs 1 to 3 sectors' }).max(3, { message: 'needs 1 to 3 sectors' }).refine(unique, { message: 'must not repeat a sector' }),
  keywords: z.array(z.string().trim().min(1).max(60)).max(10, { message: 'at most 10 keywords' }),
  stage: ZStage,
  trl: z.number().int().min(1, { message: 'must be a TRL from 1 to 9' }).max(9, { message: 'must be a TRL from 1 to 9' }),
  iprStatus: ZIprStatus,
  iprNotes: multiline(z.string().trim().max(1000)).nullable().optional(),
  partnershipTypes: z
    .array(ZPartnershipType)
    .min(1, { message: 'needs 1 to 3 partnership types' })
    .max(3, { message: 'needs 1 to 3 partnership types' })
    .refine(unique, { message: 'must not repeat a partnership type' }),
  targetCountries: z.array(ZCountryCode).max(60).refine(unique, { message: 'must not repeat a country' }),
  sdgs: z.array(ZSdg).max(17).refine(unique, { message: 'must not repeat an SDG' }),
  anonymous: z.boolean(),
});

// Defaults belong to creation only: on an edit, a field left out must stay as it is.
export const ZCreateListingBody = ZListingContent.extend({
  keywords: ZListingContent.shape.keywords.default([]),
  targetCountries: ZListingContent.shape.targetCountries.default([]),
  sdgs: ZListingContent.shape.sdgs.default([]),
  anonymous: ZListingContent.shape.anonymous.default(false),
  kind: z.enum(LISTING_KINDS),
  organizationId: z.uuid().optional().describe("Owner organisation; defaults to the user's own. Intermediaries name a client."),
});

export const ZUpdateListingBody = ZListingContent.partial()
  .extend({ version: z.number().int().positive().optional().describe('The version you edited; a newer one answers 409') })
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), { message: 'at least one field is required' });

export const ZNoteBody = z.object({ note: multiline(z.string().trim().min(1, { message: 'is required' }).max(2000)) });
export const ZOptionalNoteBody = z.object({ note: multiline(z.string().trim().max(2000)).optional() }).optional();

export const LISTING_SORTS = ['newest', 'updated', 'title'] as const;

export const ZListingQuery = z.object({
  kind: z.enum(LISTING_KINDS).optional(),
  sector: csvArray(ZSector).describe('One or more sector codes (any of)'),
  country: csvArray(ZCountryCode).describe("Owner organisation's country (any of)"),
  targetCountry: csvArray(ZCountryCode),
  stage: csvArray(ZStage),
  trlMin: z.coerce.number().int().min(1).max(9).optional(),
  trlMax: z.coerce.number().int().min(1).max(9).optional(),
  sdg: csvArray(ZSdg),
  partnershipType: csvArray(ZPartnershipType),
  iprStatus: csvArray(ZIprStatus),
  status: csvArray(z.enum(LISTING_STATUSES)).describe('Statuses other than published need the right to see them'),
  organizationId: z.uuid().optional(),
  mine: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe("Only listings of organisations you act for, in any status"),
  updatedSince: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .transform((value) => new Date(value))
    .optional()
    .describe('Only listings changed at or after this time (incremental sync; see GET /listings/changes for those that left view)'),
  sort: z.enum(LISTING_SORTS).default('newest'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type ListingQuery = z.infer<typeof ZListingQuery>;

export const ZContact = z.object({ name: z.string(), email: z.string(), phone: z.string().nullable() });

const ZListingCore = z.object({
  id: z.uuid(),
  reference: z.string(),
  kind: z.enum(LISTING_KINDS),
  status: z.enum(LISTING_STATUSES),
  title: z.string(),
  summary: z.string(),
  description: z.string(),
  advantages: z.string().nullable(),
  specificationSought: z.string().nullable(),
  sectors: z.array(z.string()),
  keywords: z.array(z.string()),
  stage: z.string(),
  trl: z.number().int(),
  iprStatus: z.string(),
  iprNotes: z.string().nullable(),
  partnershipTypes: z.array(z.string()),
  targetCountries: z.array(z.string()),
  sdgs: z.array(z.number().int()),
  anonymous: z.boolean(),
  country: z.string().describe("The owner organisation's country (shown even for anonymous listings)"),
  organization: ZOrganizationPublic.nullable().describe('Null when the listing is anonymous'),
  publishedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  updatedAt: z.date(),
});

/** What anyone may read of a published listing. */
export const ZPublicListing = ZListingCore;

/** What its owners, their intermediaries, editors and admins see. */
export const ZListing = ZListingCore.extend({
  organizationId: z.uuid(),
  createdById: z.uuid(),
  postedById: z.uuid().nullable().describe('The intermediary who posted it on behalf of the organisation'),
  editorNote: z.string().nullable(),
  renewalCount: z.number().int(),
  submittedAt: z.date().nullable(),
  createdAt: z.date(),
  version: z.number().int(),
  externalRef: z.string().nullable().describe('Its identifier in the system it was imported from'),
  contact: ZContact.nullable(),
});

export const ZListingView = z.union([ZListing, ZPublicListing]);
