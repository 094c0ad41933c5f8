import { z } from 'zod';
import { USER_ROLES } from '../vocabularies/enums.js';
import { ZOrganizationInput } from '../organizations/organizations.schemas.js';

export const ZEmail = z
  .email({ message: 'must be a valid e-mail address' })
  .max(254)
  .transform((email) => email.trim());

export const ZPassword = z
  .string()
  .min(10, { message: 'must be at least 10 characters' })
  .max(200, { message: 'must be at most 200 characters' });

export const ZRegisterBody = z.object({
  email: ZEmail,
  password: ZPassword,
  name: z.string().trim().min(1).max(120),
  /** A new organisation the user belongs to; users join an existing one only through an admin. */
  organization: ZOrganizationInput.optional(),
});

/** The one answer to a registration, whether the address was new or not: the mail tells the difference to its owner only. */
export const REGISTERED_MESSAGE = 'Check your mailbox: a message to this address tells you how to go on. Then log in with your e-mail address and password.';
export const ZRegistered = z.object({ ok: z.literal(true), message: z.string() });

export const ZLoginBody = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(200) });
export const ZRefreshBody = z.object({ refreshToken: z.string().min(10).max(200) });

export const ZUser = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(USER_ROLES),
  organizationId: z.uuid().nullable(),
  emailVerified: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.date(),
});
export type UserView = z.infer<typeof ZUser>;

export const ZSession = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int().describe('Access token lifetime in seconds'),
  user: ZUser,
});

export const ZMe = ZUser.extend({
  clientOrganizationIds: z.array(z.uuid()).describe('Organisations an intermediary acts for'),
});

export const ZAdminUpdateUserBody = z
  .object({
    role: z.enum(USER_ROLES).optional(),
    organizationId: z.uuid().nullable().optional(),
    disabled: z.boolean().optional(),
    name: z.string().trim().min(1).max(120).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'at least one field is required' });

export const ZUserListQuery = z.object({
  role: z.enum(USER_ROLES).optional(),
  organizationId: z.uuid().optional(),
  clientOf: z.uuid().optional().describe('Only intermediaries who act for this client organisation'),
  q: z.string().max(200).optional().describe('Part of the name or e-mail'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ZClientBody = z.object({ organizationId: z.uuid() });
