import type { NewListingAlerts } from './modules/alerts/new-listing-alerts.js';
import type { InterestService } from './modules/interests/interests.service.js';
import type { ListingService } from './modules/listings/listings.service.js';
import type { MatchingService } from './modules/matching/matching.service.js';
import type { OrganizationService } from './modules/organizations/organizations.service.js';
import type { SearchService } from './modules/search/search.service.js';
import type { WebhookService } from './modules/webhooks/webhooks.service.js';

/**
 * Who follows which domain event, in one place. Every listener runs inside the transaction of the
 * change, so what it enqueues or stores commits or rolls back with it; listeners run in this order.
 */
export function wireDomainEvents(services: {
  listings: ListingService;
  organizations: OrganizationService;
  interests: InterestService;
  search: SearchService;
  matching: MatchingService;
  newListingAlerts: NewListingAlerts;
  webhooks: WebhookService;
}) {
  const { listings, organizations, interests, search, matching, newListingAlerts, webhooks } = services;
  // The search index follows listings and the organisations named in their documents.
  listings.onEvents((tx, events) => search.onListingEvents(tx, events));
  organizations.onChange((tx, organizationId) => search.onOrganizationChange(tx, organizationId));
  // Matching keeps each listing's text analysis current.
  listings.onEvents((tx, events) => matching.onListingEvents(tx, events));
  // A listing that becomes public is checked against the saved searches.
  listings.onEvents((tx, events) => newListingAlerts.onListingEvents(tx, events));
  // Partners' webhooks hear of listings entering and leaving public view, and of EOIs in their own.
  listings.onEvents((tx, events) => webhooks.onListingEvents(tx, events));
  interests.onSent((tx, event) => webhooks.onInterestSent(tx, event));
}
