import { z } from 'zod';
import { defineTemplate, formatDate } from './layout.js';

export const listingRenewalReminder = defineTemplate(
  z.object({
    listingId: z.string().min(1),
    reference: z.string(),
    title: z.string(),
    organizationName: z.string(),
    expiresAt: z.string().nullable(),
    canRenew: z.boolean(),
  }),
  (data, { publicUrl }) => ({
    subject: `Your listing ${data.reference} expires ${data.expiresAt ? `on ${formatDate(data.expiresAt)}` : 'soon'}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `The listing “${data.title}” (${data.reference})${data.organizationName ? ` of ${data.organizationName}` : ''} will expire${
          data.expiresAt ? ` on ${formatDate(data.expiresAt)}` : ' soon'
        }. After that it no longer appears in search results.`,
      },
      {
        kind: 'paragraph',
        text: data.canRenew
          ? 'If the technology is still available (or still sought), renew it for 12 more months and check that its description is up to date.'
          : 'It has already been renewed once; to keep it visible, post an updated listing.',
      },
      { kind: 'action', label: data.canRenew ? 'Review and renew the listing' : 'View the listing', url: `${publicUrl}/listings/${encodeURIComponent(data.listingId)}` },
    ],
  }),
);
