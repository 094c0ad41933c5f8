import { z } from 'zod';

export const API_KEY_SCOPES = ['listings:read', 'listings:write', 'interests:read', 'webhooks:manage'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const ZCreateApiKeyBody = z.object({
  name: z.string().trim().min(1, { message: 'must not be empty' }).max(100).regex(/^[^\u0000-\u001f\u007f]+$/, { message: 'must not contain control characters' }),
  scopes: z
    .array(z.enum(API_KEY_SCOPES))
    .min(1, { message: 'needs at least one scope' })
    .refine((list) => new Set(list).size === list.length, { message: 'must not repeat a scope' })
    .describe('listings:read (published listings, the change feed), listings:write (its own listings), interests:read (its EOIs), webhooks:manage (its webhooks)'),
  organizationId: z.uuid().optional().describe("The organisation the key acts as; intermediaries' keys act as their own organisation"),
});

export const ZApiKey = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the key, to tell keys apart'),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  organizationId: z.uuid(),
  createdById: z.uuid(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const ZCreatedApiKey = ZApiKey.extend({ key: z.string().describe('Shown once: send it as "Authorization: ApiKey <key>"') });

export const ZApiKeyListQuery = z.object({ organizationId: z.uuid().optional() });
