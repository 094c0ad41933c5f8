import { z } from 'zod';
import { ORGANIZATION_SIZES, ORGANIZATION_TYPES, codesOf } from '../vocabularies/enums.js';
import { COUNTRY_CODES } from '../vocabularies/countries.js';

export const ZCountryCode = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .refine((code) => COUNTRY_CODES.has(code), { message: 'must be an ISO 3166-1 alpha-2 country code' });

export const ZOrganizationInput = z.object({
  name: z.string().trim().min(2).max(200),
  type: z.enum(codesOf(ORGANIZATION_TYPES)),
  size: z.enum(codesOf(ORGANIZATION_SIZES)).nullable().optional(),
  country: ZCountryCode,
  website: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(300).nullable().optional(),
  contactEmail: z.email().max(254).nullable().optional(),
  contactPhone: z.string().trim().max(40).nullable().optional(),
});

export const ZOrganizationPatch = ZOrganizationInput.partial().refine((body) => Object.keys(body).length > 0, {
  message: 'at least one field is required',
});

/** What anyone may see of an organisation (never its contacts). */
export const ZOrganizationPublic = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(codesOf(ORGANIZATION_TYPES)),
  size: z.enum(codesOf(ORGANIZATION_SIZES)).nullable(),
  country: z.string(),
  website: z.string().nullable(),
});

/** What its own members, its intermediaries, editors and admins see. */
export const ZOrganization = ZOrganizationPublic.extend({
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZOrganizationListQuery = z.object({
  q: z.string().max(200).optional(),
  country: ZCountryCode.optional(),
  type: z.enum(codesOf(ORGANIZATION_TYPES)).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
