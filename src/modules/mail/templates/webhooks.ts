import { z } from 'zod';
import { defineTemplate, formatDate } from './layout.js';

export const webhookDisabled = defineTemplate(
  z.object({
    webhookId: z.string().min(1),
    url: z.string(),
    organizationName: z.string(),
    failures: z.number().int(),
    lastError: z.string().nullable(),
    disabledAt: z.string(),
  }),
  (data, { publicUrl }) => ({
    subject: `Webhook stopped after ${data.failures} failed deliveries: ${data.url}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `The webhook ${data.url}${data.organizationName ? ` of ${data.organizationName}` : ''} failed ${data.failures} times in a row, so we stopped sending events to it on ${formatDate(data.disabledAt)}.`,
      },
      { kind: 'details', rows: [['Address', data.url], ['Last error', data.lastError]] },
      {
        kind: 'paragraph',
        text: 'Events that happen while it is off are not sent later: once the receiver works again, turn the webhook back on (a test event checks it first) and catch up with the change feed, GET /api/v1/listings/changes.',
      },
      { kind: 'action', label: 'See the delivery log and turn it back on', url: `${publicUrl}/my/webhooks/${encodeURIComponent(data.webhookId)}` },
    ],
  }),
);
