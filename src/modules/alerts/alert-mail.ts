import type { LinkSigner } from '../../lib/signed-links.js';
import type { Executor } from '../../db/client.js';
import type { ListingRow, ListingService } from '../listings/listings.service.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import type { SavedSearchRow } from './alerts.repository.js';
import { signUnsubscribeToken, type UnsubscribeScope } from './unsubscribe-token.js';

// What the instant alerts and the digest put in their mails, written once for both.

/** The one-click unsubscribe link of a saved search ('s') or of all a user's daily alerts ('d'). */
export function unsubscribeUrl(publicUrl: string, linkSigner: LinkSigner, scope: UnsubscribeScope) {
  return `${publicUrl}/api/v1/saved-searches/unsubscribe?token=${encodeURIComponent(signUnsubscribeToken(linkSigner, scope))}`;
}

/** Reference and title of the user's own listing behind each listing alert. */
export async function forListingsOf(listings: ListingService, db: Executor, savedSearches: SavedSearchRow[]) {
  const ids = savedSearches.filter((row) => row.listingId).map((row) => row.listingId!);
  const result = new Map<string, { reference: string; title: string }>();
  if (ids.length === 0) return result;
  const rows = new Map((await listings.findManyWithOrganization(ids, db)).map((row) => [row.listing.id, row.listing]));
  for (const savedSearch of savedSearches) {
    const source = savedSearch.listingId ? rows.get(savedSearch.listingId) : undefined;
    if (source) result.set(savedSearch.id, { reference: source.reference, title: source.title });
  }
  return result;
}

/** What an alert mail shows of a listing: its public face only (no owner for an anonymous one). */
export function alertListing(listing: ListingRow, organization: OrganizationRow) {
  return {
    id: listing.id,
    reference: listing.reference,
    kind: listing.kind as 'offer' | 'request',
    title: listing.title,
    summary: listing.summary,
    country: organization.country,
    organizationName: listing.anonymous ? null : organization.name,
  };
}
