import { z } from 'zod';
import { defineTemplate, type MailBlock } from './layout.js';

// Alerts of saved searches (src/modules/alerts): one mail per match for instant alerts, one digest
// a day of everything that matched otherwise. Each carries its one-click unsubscribe link.

const ZAlertListing = z.object({
  id: z.string().min(1),
  reference: z.string(),
  kind: z.enum(['offer', 'request']),
  title: z.string(),
  summary: z.string(),
  country: z.string(),
  /** Null for an anonymous listing. */
  organizationName: z.string().nullable(),
});

const ZAlertMatch = z.object({
  savedSearchName: z.string(),
  /** The user's own listing, for alerts of kind 'listing'. */
  forListing: z.object({ reference: z.string(), title: z.string() }).nullable(),
  listing: ZAlertListing,
  score: z.number().int().nullable(),
  reasons: z.array(z.string()),
});

function describeMatch(match: z.infer<typeof ZAlertMatch>, publicUrl: string): MailBlock[] {
  const { listing } = match;
  const by = listing.organizationName ? `${listing.organizationName} (${listing.country})` : `an organisation in ${listing.country} that stays anonymous for now`;
  return [
    {
      kind: 'paragraph',
      text: `${listing.kind === 'offer' ? 'Technology offer' : 'Technology request'} ${listing.reference}: “${listing.title}”, by ${by}.${
        match.score !== null ? ` Match score ${match.score}/100.` : ''
      }`,
    },
    { kind: 'quote', text: listing.summary },
    ...(match.reasons.length ? [{ kind: 'paragraph' as const, text: `Why it matches: ${match.reasons.join('; ')}.` }] : []),
    { kind: 'action', label: `View ${listing.reference}`, url: `${publicUrl}/listings/${encodeURIComponent(listing.id)}` },
  ];
}

function alertName(match: Pick<z.infer<typeof ZAlertMatch>, 'savedSearchName' | 'forListing'>) {
  return match.forListing ? `new matches for your listing ${match.forListing.reference}` : `your saved search “${match.savedSearchName}”`;
}

export const alertInstant = defineTemplate(ZAlertMatch.extend({ unsubscribeUrl: z.url() }), (data, { publicUrl }) => ({
  subject: data.forListing
    ? `New match for ${data.forListing.reference}: ${data.listing.title}`
    : `New ${data.listing.kind} for “${data.savedSearchName}”: ${data.listing.title}`,
  blocks: [
    { kind: 'paragraph', text: `A listing just published matches ${alertName(data)}.` },
    ...describeMatch(data, publicUrl),
    // The layout adds the one-click unsubscribe link (data.unsubscribeUrl) at the foot.
    { kind: 'paragraph', text: `You get this mail because you turned on instant alerts for ${alertName(data)}.` },
  ],
}));

export const alertDigest = defineTemplate(
  z.object({
    groups: z
      .array(
        z.object({
          savedSearchName: z.string(),
          forListing: ZAlertMatch.shape.forListing,
          /** Stops this one saved search. */
          unsubscribeUrl: z.url(),
          matches: z.array(ZAlertMatch.pick({ listing: true, score: true, reasons: true })).min(1),
        }),
      )
      .min(1),
    /** Stops every daily alert of the recipient (the List-Unsubscribe header). */
    unsubscribeUrl: z.url(),
  }),
  (data, { publicUrl }) => {
    const count = data.groups.reduce((sum, group) => sum + group.matches.length, 0);
    const blocks: MailBlock[] = [
      { kind: 'paragraph', text: `${count === 1 ? 'One new listing matches' : `${count} new listings match`} your alerts since the last digest.` },
    ];
    for (const group of data.groups) {
      blocks.push({ kind: 'paragraph', text: `— For ${alertName(group)} —` });
      for (const match of group.matches) blocks.push(...describeMatch({ ...match, savedSearchName: group.savedSearchName, forListing: group.forListing }, publicUrl));
      blocks.push({ kind: 'paragraph', text: `Stop this alert: ${group.unsubscribeUrl}` });
    }
    return { subject: count === 1 ? 'Your daily alert: 1 new match' : `Your daily alert: ${count} new matches`, blocks };
  },
);
