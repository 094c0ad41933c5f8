import type { ListingStatus } from '../vocabularies/enums.js';
import type { ActionParty } from './listing-lifecycle.js';

// The two rules every module that shows listings must agree on, written once: which listings are
// live (search, matching and alerts offer those and no others) and which view of a listing an
// actor gets (the listings API, matching, and the pages built on them).

/**
 * Live: published and not yet past its expiry. A published listing always has a publication date;
 * the check keeps a row that somehow lacks one out of every list rather than show it undated.
 */
export function isLive(listing: { status: string; publishedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return listing.status === 'published' && listing.publishedAt !== null && listing.expiresAt !== null && listing.expiresAt > now;
}

/** 'private': everything (contacts, history, any status); 'public': the public face only. */
export type ListingView = 'private' | 'public';

/**
 * The view the actor's parties to a listing give: its owner side sees everything, editors (and
 * admins) everything once it is submitted (a draft is the owner's workspace), anyone else the public
 * face of a published listing. Null: the listing does not exist for the actor (404, never 403).
 */
export function viewOf(parties: ReadonlySet<ActionParty>, status: ListingStatus | string): ListingView | null {
  if (parties.has('owner')) return 'private';
  if (parties.has('editor') && status !== 'draft') return 'private';
  return status === 'published' ? 'public' : null;
}

/** What a listing says to the public (its content), in the order forms, diffs and files list it. */
export const LISTING_CONTENT_FIELDS = [
  'title',
  'summary',
  'description',
  'advantages',
  'specificationSought',
  'sectors',
  'keywords',
  'stage',
  'trl',
  'iprStatus',
  'iprNotes',
  'partnershipTypes',
  'targetCountries',
  'sdgs',
  'anonymous',
] as const;
export type ListingContentField = (typeof LISTING_CONTENT_FIELDS)[number];

// The lifecycle table and the completeness check are rules too; pages and other modules read them here.
export { EDITABLE_STATUSES, LISTING_TRANSITIONS, MAX_RENEWALS } from './listing-lifecycle.js';
export { checkCompleteness, type CompletenessCode, type CompletenessFinding } from './listing-completeness.js';
