import { z } from 'zod';
import { multiline } from '../../lib/control-characters.js';
import { csvArray } from '../../lib/pagination.js';
import { ZAuditEntry } from '../audit/audit.schemas.js';
import { ZPublicListing } from '../listings/listings.schemas.js';
import { ZOrganizationPublic } from '../organizations/organizations.schemas.js';
import { AGREEMENT_TYPES, codesOf, DECLINE_REASONS } from '../vocabularies/enums.js';
import { INTEREST_STATUSES, INTRODUCTION_STATUSES } from './interests.vocabulary.js';

const ZDeclineReason = z.enum(codesOf(DECLINE_REASONS));
const ZAgreementType = z.enum(codesOf(AGREEMENT_TYPES));
const ZSide = z.enum(['sender', 'owner']);
const ZOptionalNote = multiline(z.string().trim().max(2000, { message: 'must be at most 2000 characters' })).optional();

export const ZSendInterestBody = z.object({
  listingId: z.uuid({ message: 'must be a UUID' }),
  message: multiline(z.string().trim().min(1, { message: 'must not be empty' }).max(4000, { message: 'must be at most 4000 characters' })),
  organizationId: z.uuid().optional().describe('The organisation you write for; defaults to your own. Intermediaries name the client they represent.'),
});

export const ZDeclineBody = z.object({
  reason: ZDeclineReason.describe(DECLINE_REASONS.map((r) => `${r.code}: ${r.label}`).join('; ')),
  note: ZOptionalNote.describe('Shown to the sender'),
});

const ZPage = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
};

export const ZInterestListQuery = z.object({
  box: z.enum(['sent', 'received']).optional().describe('sent: written by you or an organisation you act for; received: on listings of organisations you act for'),
  status: csvArray(z.enum(INTEREST_STATUSES)),
  listingId: z.uuid().optional(),
  ...ZPage,
});

export const ZPartyContact = z.object({
  organizationName: z.string(),
  country: z.string(),
  website: z.string().nullable(),
  organizationEmail: z.string().nullable(),
  phone: z.string().nullable(),
  contactName: z.string(),
  contactEmail: z.string(),
});

const ZContacts = z.object({ owner: ZPartyContact, sender: ZPartyContact }).nullable().describe('Exchanged once the owner accepts');

export const ZInterest = z.object({
  id: z.uuid(),
  status: z.enum(INTEREST_STATUSES),
  message: z.string(),
  listing: ZPublicListing.describe('The public view; an anonymous owner is revealed to the sender only once the EOI is accepted'),
  senderOrganization: ZOrganizationPublic,
  sender: z.object({ id: z.uuid(), name: z.string() }),
  sentByIntermediary: z.boolean(),
  declineReason: ZDeclineReason.nullable(),
  declineNote: z.string().nullable(),
  respondedAt: z.date().nullable(),
  withdrawnAt: z.date().nullable(),
  introductionId: z.uuid().nullable(),
  viewerSides: z.array(ZSide).describe('Which side you are on: the owner answers, the sender may withdraw'),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZInterestDetail = ZInterest.extend({ contacts: ZContacts });

export const ZAgreementBody = z.object({
  type: ZAgreementType,
  date: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).describe('When the agreement was signed'),
  note: ZOptionalNote,
});

// Fastify hands a POST without a body over as null.
export const ZOutcomeBody = z.object({ note: ZOptionalNote }).nullish();

export const ZIntroductionListQuery = z.object({
  status: csvArray(z.enum(INTRODUCTION_STATUSES)),
  agreementType: csvArray(ZAgreementType),
  listingId: z.uuid().optional(),
  organizationId: z.uuid().optional().describe('Either side'),
  ...ZPage,
});

export const ZIntroduction = z.object({
  id: z.uuid(),
  interestId: z.uuid(),
  status: z.enum(INTRODUCTION_STATUSES),
  listing: ZPublicListing,
  ownerOrganization: ZOrganizationPublic,
  senderOrganization: ZOrganizationPublic,
  agreementType: ZAgreementType.nullable(),
  agreementDate: z.iso.date().nullable(),
  viewerSides: z.array(ZSide),
  createdAt: z.date(),
  updatedAt: z.date(),
  finishedAt: z.date().nullable().describe('When it was closed or ended'),
});

export const ZIntroductionDetail = ZIntroduction.extend({ contacts: ZContacts });

export const ZIntroductionHistoryEntry = ZAuditEntry.extend({
  data: z.record(z.string(), z.unknown()).nullable().describe('Step details, e.g. the agreement type and date'),
});
