import type { Executor } from '../../db/client.js';
import type { Actor } from '../../plugins/auth.js';
import { toPublicListing, type ListingRow } from '../listings/listings.service.js';
import { toPublicOrganization, type OrganizationRow } from '../organizations/organizations.service.js';
import { isStaff } from '../users/users.rules.js';
import type { UserService } from '../users/users.service.js';
import type { InterestRow, InterestScope } from './interests.repository.js';

// Who is who around an expression of interest and the introduction it becomes: the sender side
// (the user who wrote, and whoever acts for the sender organisation), the owner side (whoever acts
// for the listing's organisation: its members and its intermediaries), and staff (editors and
// admins), who see everything and change nothing.

export type Side = 'sender' | 'owner';

export interface Parties {
  senderUserId: string;
  senderOrganizationId: string;
  ownerOrganizationId: string;
}

export function sidesOf(actor: Actor, organizationIds: string[], parties: Parties): Side[] {
  const sides: Side[] = [];
  if (actor.id === parties.senderUserId || organizationIds.includes(parties.senderOrganizationId)) sides.push('sender');
  if (organizationIds.includes(parties.ownerOrganizationId)) sides.push('owner');
  return sides;
}

export function scopeOf(actor: Actor, organizationIds: string[]): InterestScope {
  return isStaff(actor) ? { kind: 'all' } : { kind: 'parties', userId: actor.id, organizationIds };
}

/**
 * The listing as the parties of an EOI see it: its public view, where an anonymous owner stays
 * hidden until `revealOwner` (the EOI was accepted, or the viewer is the owner side or staff).
 */
export function listingForParties(listing: ListingRow, organization: OrganizationRow, revealOwner: boolean) {
  const view = toPublicListing(listing, organization);
  return revealOwner ? { ...view, organization: toPublicOrganization(organization) } : view;
}

/** The contact details the two sides exchange once the owner accepts. */
export function partyContact(organization: OrganizationRow, person: { name: string; email: string }) {
  return {
    organizationName: organization.name,
    country: organization.country,
    website: organization.website,
    organizationEmail: organization.contactEmail,
    phone: organization.contactPhone,
    contactName: person.name,
    contactEmail: person.email,
  };
}
export type PartyContact = ReturnType<typeof partyContact>;

/** Both sides' contacts once the owner accepted: the person who accepted for the owner, the person who wrote for the sender. */
export async function exchangedContacts(users: UserService, db: Executor, interest: InterestRow, organizations: Map<string, OrganizationRow>) {
  if (interest.status !== 'accepted' || !interest.respondedById) return null;
  const owner = organizations.get(interest.ownerOrganizationId);
  const sender = organizations.get(interest.senderOrganizationId);
  const responder = await users.findById(interest.respondedById, db);
  const writer = await users.findById(interest.senderUserId, db);
  if (!owner || !sender || !responder || !writer) return null;
  return { owner: partyContact(owner, responder), sender: partyContact(sender, writer) };
}
