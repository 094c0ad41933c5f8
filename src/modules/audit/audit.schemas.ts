import { z } from 'zod';

export const ZAuditEntry = z.object({
  id: z.number().int(),
  actorId: z.uuid().nullable(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.date(),
});
