import type { ListingStatus } from '../vocabularies/enums.js';
import { LISTING_CONTENT_FIELDS, type ListingContentField } from './listings.rules.js';
import type { RevisionRow, RevisionStatus } from './listing-revisions.repository.js';
import type { ListingRow } from './listings.repository.js';

// Which changes to a published listing an editor reviews before they are public, as one table.
//
// Everything a listing says in public is reviewed: its texts (where a phishing link or a false
// claim would go), its classification (sectors, keywords, stage, TRL, IPR status, partnership
// types, target countries, SDGs: what search, matching and the Tech Monitor select it by) and
// lifting anonymity (it shows the organisation and its patent numbers). Turning a listing
// anonymous is not reviewed: it only hides things, and an owner's wish to be hidden should not
// wait for an editor. Contact data is not part of a listing (it comes from the poster's account
// and the organisation); expiry changes only through `renew`, its own action.

/** The listing fields an owner may propose, in the order a diff lists them: all of its public content. */
export const REVIEWED_FIELDS = LISTING_CONTENT_FIELDS;
export type ReviewedField = ListingContentField;

export type FieldValue = string | number | boolean | null | (string | number)[];
export type ProposedChanges = Partial<Record<ReviewedField, FieldValue>>;

export interface FieldChange {
  field: ReviewedField;
  published: FieldValue;
  proposed: FieldValue;
}

const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function publishedValue(listing: ListingRow, field: ReviewedField): FieldValue {
  return (listing[field] ?? null) as FieldValue;
}

/**
 * Splits an owner's edit of a published listing: what applies at once (turning anonymous), and the
 * proposal an editor reviews — the fields of a pending proposal merged with the new ones, keeping
 * only those that differ from the published listing (an owner who sets a field back withdraws that
 * part of the proposal).
 */
export function splitEdit(listing: ListingRow, edit: ProposedChanges, pending: ProposedChanges = {}) {
  const immediate: ProposedChanges = {};
  if (edit.anonymous === true && !listing.anonymous) immediate.anonymous = true;
  const afterImmediate = { ...listing, ...immediate } as ListingRow;
  const merged: ProposedChanges = { ...pending, ...edit };
  const proposal: ProposedChanges = {};
  for (const field of REVIEWED_FIELDS) {
    if (!(field in merged)) continue;
    if (!sameValue(merged[field], publishedValue(afterImmediate, field))) proposal[field] = merged[field] ?? null;
  }
  return { immediate, proposal };
}

/** The proposal field by field against the listing as it is published now. */
export function diffOf(listing: ListingRow, proposal: ProposedChanges): FieldChange[] {
  return REVIEWED_FIELDS.filter((field) => field in proposal && !sameValue(proposal[field], publishedValue(listing, field))).map((field) => ({
    field,
    published: publishedValue(listing, field),
    proposed: proposal[field] ?? null,
  }));
}

/** A revision as the owner side and editors see it: the proposal field by field against what is published. */
export function toRevisionView(revision: RevisionRow, listing: ListingRow) {
  return {
    id: revision.id,
    listingId: revision.listingId,
    reference: listing.reference,
    listingTitle: listing.title,
    listingStatus: listing.status as ListingStatus,
    listingVersion: listing.version,
    status: revision.status as RevisionStatus,
    baseVersion: revision.baseVersion,
    // A pending proposal is compared with what is published now; a decided one shows what was decided on.
    changes: revision.status === 'pending' ? diffOf(listing, revision.changes as ProposedChanges) : ((revision.decidedDiff ?? []) as FieldChange[]),
    submittedById: revision.submittedById,
    submittedAt: revision.submittedAt,
    updatedAt: revision.updatedAt,
    decidedById: revision.decidedById,
    decidedAt: revision.decidedAt,
    note: revision.note,
  };
}
