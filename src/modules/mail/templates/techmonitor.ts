import { z } from 'zod';
import { defineTemplate, type MailBlock } from './layout.js';

// Mail of the Tech Monitor: the subscription's double opt-in, the issue itself to confirmed
// subscribers, and the note to owners whose listing an issue features.

const issueName = (data: { volume: number; number: number; issueTitle: string }) =>
  `Asia-Pacific Tech Monitor, Vol. ${data.volume} No. ${data.number}: ${data.issueTitle}`;

export const techmonitorSubscriptionConfirm = defineTemplate(z.object({ token: z.string().min(1) }), ({ token }, { publicUrl }) => ({
  subject: 'Confirm your subscription to the Asia-Pacific Tech Monitor',
  blocks: [
    { kind: 'paragraph', text: 'Someone, probably you, asked to receive the Asia-Pacific Tech Monitor at this address.' },
    { kind: 'action', label: 'Confirm my subscription', url: `${publicUrl}/api/v1/techmonitor/subscribers/confirm?token=${encodeURIComponent(token)}` },
    { kind: 'paragraph', text: 'The link is valid for 7 days. If you did not ask for it, ignore this message: you will not be subscribed.' },
  ],
}));

const ZIssueEntry = z.object({
  position: z.number().int(),
  kind: z.enum(['offer', 'request']),
  title: z.string(),
  reference: z.string(),
  country: z.string(),
  summary: z.string(),
  note: z.string().nullable(),
});

function countOf(entries: { kind: 'offer' | 'request' }[], kind: 'offer' | 'request') {
  const n = entries.filter((entry) => entry.kind === kind).length;
  return `${n} technology ${kind}${n === 1 ? '' : 's'}`;
}

export const techmonitorIssue = defineTemplate(
  z.object({
    issueTitle: z.string(),
    volume: z.number().int(),
    number: z.number().int(),
    theme: z.string(),
    period: z.string(),
    issueUrl: z.url(),
    entries: z.array(ZIssueEntry),
    unsubscribeUrl: z.url(),
  }),
  (data) => {
    const blocks: MailBlock[] = [
      { kind: 'paragraph', text: `The new issue of the Asia-Pacific Tech Monitor (${data.period}) is out. Its special theme: ${data.theme}` },
      { kind: 'action', label: 'Read the issue', url: data.issueUrl },
      { kind: 'paragraph', text: `Selected by our editors for this issue: ${countOf(data.entries, 'offer')} and ${countOf(data.entries, 'request')}.` },
    ];
    for (const entry of data.entries) {
      blocks.push({ kind: 'paragraph', text: `${entry.position}. ${entry.title}\n${entry.summary}` });
      blocks.push({
        kind: 'details',
        rows: [
          ['Type', entry.kind === 'offer' ? 'Technology offer' : 'Technology request'],
          ['Reference', entry.reference],
          ['Country', entry.country],
        ],
      });
      if (entry.note) blocks.push({ kind: 'quote', text: entry.note });
    }
    blocks.push({ kind: 'paragraph', text: 'To get in touch about an entry, reply through the technology database quoting its reference.' });
    return { subject: issueName(data), blocks };
  },
);

export const techmonitorFeatured = defineTemplate(
  z.object({
    issueTitle: z.string(),
    volume: z.number().int(),
    number: z.number().int(),
    listingTitle: z.string(),
    reference: z.string(),
    issueUrl: z.url(),
  }),
  (data) => ({
    subject: `Your listing ${data.reference} is featured in the Asia-Pacific Tech Monitor`,
    blocks: [
      {
        kind: 'paragraph',
        text: `Good news: our editors selected your listing “${data.listingTitle}” (${data.reference}) for ${issueName(data)}.`,
      },
      {
        kind: 'paragraph',
        text: 'The issue goes to the Centre’s stakeholders and e-subscribers, so expect more expressions of interest: keep the listing up to date and answer them promptly.',
      },
      { kind: 'action', label: 'See the issue', url: data.issueUrl },
    ],
  }),
);
