import type { ListingStatus } from '../vocabularies/enums.js';

// The lifecycle of a listing as one table: action → the statuses it may start from, the status it
// leads to, and who may take it. The service refuses anything not here with 409, so an illegal
// transition can never change a listing.

export type ListingAction = 'submit' | 'publish' | 'return' | 'reject' | 'hold' | 'withdraw' | 'expire' | 'renew' | 'archive';

/** owner: the organisation's members and its intermediaries; editor: editors and admins; system: the sweep. */
export type ActionParty = 'owner' | 'editor' | 'system';

interface Transition {
  from: readonly ListingStatus[];
  to: ListingStatus;
  by: readonly ActionParty[];
  noteRequired?: boolean;
}

export const LISTING_TRANSITIONS: Record<ListingAction, Transition> = {
  submit: { from: ['draft', 'returned'], to: 'submitted', by: ['owner'] },
  publish: { from: ['submitted', 'on_hold'], to: 'published', by: ['editor'] },
  return: { from: ['submitted', 'on_hold'], to: 'returned', by: ['editor'], noteRequired: true },
  reject: { from: ['submitted', 'on_hold'], to: 'rejected', by: ['editor'], noteRequired: true },
  hold: { from: ['published'], to: 'on_hold', by: ['editor'], noteRequired: true },
  withdraw: { from: ['draft', 'submitted', 'returned', 'published', 'on_hold'], to: 'withdrawn', by: ['owner', 'editor'] },
  expire: { from: ['published'], to: 'expired', by: ['system'] },
  renew: { from: ['published', 'expired'], to: 'published', by: ['owner', 'editor'] },
  archive: { from: ['expired', 'withdrawn', 'rejected'], to: 'archived', by: ['owner', 'editor', 'system'] },
};

export const EDITABLE_STATUSES: readonly ListingStatus[] = ['draft', 'returned', 'published', 'on_hold'];

/** A listing is valid for 12 months from publication, and a renewal adds 12 more, once. */
export const VALIDITY_MONTHS = 12;
export const MAX_RENEWALS = 1;
export const REMINDER_DAYS_BEFORE_EXPIRY = 14;
/** Expired listings that were never renewed stay renewable this long, then are archived. */
export const ARCHIVE_AFTER_EXPIRY_DAYS = 90;

export function addMonths(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}
