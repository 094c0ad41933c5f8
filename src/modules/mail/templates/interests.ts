import { z } from 'zod';
import { defineTemplate } from './layout.js';

/** The other party's contact details, as the interests module exchanges them on acceptance. */
const ZPartyContact = z.object({
  organizationName: z.string(),
  country: z.string(),
  website: z.string().nullable(),
  organizationEmail: z.string().nullable(),
  phone: z.string().nullable(),
  contactName: z.string(),
  contactEmail: z.string(),
});

const ZListingRef = {
  listingId: z.string().min(1),
  reference: z.string(),
  listingTitle: z.string(),
};

export const interestReceived = defineTemplate(
  z.object({
    ...ZListingRef,
    interestId: z.string().min(1),
    senderName: z.string(),
    senderOrganizationName: z.string(),
    senderCountry: z.string(),
    sentByIntermediary: z.boolean(),
    message: z.string(),
  }),
  (data, { publicUrl }) => ({
    subject: `Expression of interest in ${data.reference}: ${data.listingTitle}`,
    blocks: [
      {
        kind: 'paragraph',
        text: `${data.senderName} ${data.sentByIntermediary ? 'writes on behalf of' : 'of'} ${data.senderOrganizationName} (${data.senderCountry}) is interested in your listing “${data.listingTitle}” (${data.reference}):`,
      },
      { kind: 'quote', text: data.message },
      {
        kind: 'paragraph',
        text: 'Accept to exchange contact details with them, or decline with a reason. Your contact details are shared only if you accept.',
      },
      { kind: 'action', label: 'Answer the expression of interest', url: `${publicUrl}/interests/${encodeURIComponent(data.interestId)}` },
    ],
  }),
);


export const interestAccepted = defineTemplate(
  z.object({
    ...ZListingRef,
    interestId: z.string().min(1),
    introductionId: z.string().min(1),
    side: z.enum(['sender', 'owner']),
    counterpart: ZPartyContact,
  }),
  (data, { publicUrl }) => ({
    subject:
      data.side === 'sender'
        ? `Your expression of interest in ${data.reference} was accepted`
        : `You accepted the expression of interest of ${data.counterpart.organizationName}`,
    blocks: [
      {
        kind: 'paragraph',
        text:
          data.side === 'sender'
            ? `${data.counterpart.organizationName}, the owner of “${data.listingTitle}” (${data.reference}), accepted your expression of interest. Here are their contact details:`
            : `You accepted the expression of interest of ${data.counterpart.organizationName} in “${data.listingTitle}” (${data.reference}). Here are their contact details:`,
      },
      {
        kind: 'details',
        rows: [
          ['Organisation', data.counterpart.organizationName],
          ['Country', data.counterpart.country],
          ['Contact person', data.counterpart.contactName],
          ['E-mail', data.counterpart.contactEmail],
          ['Organisation e-mail', data.counterpart.organizationEmail],
          ['Phone', data.counterpart.phone],
          ['Website', data.counterpart.website],
        ],
      },
      {
        kind: 'paragraph',
        text: 'They received your details too. Please record how the introduction goes (agreement signed, or ended without agreement): it is how the Centre reports the partnerships it helps to build.',
      },
      { kind: 'action', label: 'Open the introduction', url: `${publicUrl}/introductions/${encodeURIComponent(data.introductionId)}` },
    ],
  }),
);

export const interestDeclined = defineTemplate(
  z.object({
    ...ZListingRef,
    interestId: z.string().min(1),
    reasonLabel: z.string(),
    note: z.string().nullable(),
  }),
  (data, { publicUrl }) => ({
    subject: `Your expression of interest in ${data.reference} was declined`,
    blocks: [
      { kind: 'paragraph', text: `The owner of “${data.listingTitle}” (${data.reference}) declined your expression of interest.` },
      { kind: 'details', rows: [['Reason', data.reasonLabel]] },
      ...(data.note ? [{ kind: 'quote' as const, text: data.note }] : []),
      { kind: 'paragraph', text: 'Other offers and requests may fit your needs: search the database or save a search to be alerted.' },
      { kind: 'action', label: 'View the expression of interest', url: `${publicUrl}/interests/${encodeURIComponent(data.interestId)}` },
    ],
  }),
);

export const interestWithdrawn = defineTemplate(
  z.object({
    ...ZListingRef,
    interestId: z.string().min(1),
    senderOrganizationName: z.string(),
  }),
  (data, { publicUrl }) => ({
    subject: `Expression of interest in ${data.reference} withdrawn`,
    blocks: [
      {
        kind: 'paragraph',
        text: `${data.senderOrganizationName} withdrew its expression of interest in your listing “${data.listingTitle}” (${data.reference}). No answer is needed.`,
      },
      { kind: 'action', label: 'View the listing', url: `${publicUrl}/listings/${encodeURIComponent(data.listingId)}` },
    ],
  }),
);
