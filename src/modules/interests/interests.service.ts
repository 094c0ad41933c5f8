import type { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import { DAY_MS, type Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, TooManyRequests, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ListingRow, ListingService } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { toPublicOrganization, type OrganizationRow, type OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import * as repo from './interests.repository.js';
import type { ZDeclineBody, ZInterestListQuery, ZSendInterestBody } from './interests.schemas.js';
import { DECLINE_REASONS, labelOf, type DeclineReason } from '../vocabularies/enums.js';
import type { InterestStatus } from './interests.vocabulary.js';
import type { IntroductionService } from './introductions.service.js';
import { isStaff } from '../users/users.rules.js';
import { exchangedContacts, listingForParties, partyContact, scopeOf, sidesOf, type Side } from './parties.js';

export type InterestRow = repo.InterestRow;

export interface InterestServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  organizations: OrganizationService;
  listings: ListingService;
  introductions: IntroductionService;
  mail: MailOutbox;
  /** EOIs one user may send in 24 hours (config.limits.eoiPerUserPerDay). */
  dailyLimit: number;
}

/** An expression of interest just sent, in the transaction that recorded it (webhooks follow it). */
export interface InterestSentEvent {
  interest: InterestRow;
  listing: ListingRow;
}
export type InterestSentListener = (tx: Executor, event: InterestSentEvent) => Promise<void>;

/** A person mailed about an EOI, and the organisation they are mailed for (re-checked at send time). */
type Recipient = { id: string; email: string; name: string; actingForOrganizationId: string };

/**
 * Expressions of interest: a seeker writes to a listing's owner through the platform; the owner
 * accepts (contacts are exchanged and an introduction starts) or declines with a reason.
 */
export class InterestService {
  private readonly sentListeners: InterestSentListener[] = [];

  constructor(private readonly deps: InterestServiceDeps) {}

  onSent(listener: InterestSentListener) {
    this.sentListeners.push(listener);
  }

  private get db() {
    return this.deps.db;
  }

  async send(actor: Actor, body: z.infer<typeof ZSendInterestBody>) {
    if (!actor.emailVerified) throw new Forbidden('Verify your e-mail address before sending expressions of interest', 'email_not_verified');
    const senderOrganizationId = body.organizationId ?? actor.organizationId;
    if (!senderOrganizationId) {
      throw invalidField('organizationId', 'is required: your account belongs to no organisation (intermediaries name the client they write for)');
    }
    return this.db.transaction(async (tx) => {
      if (!(await this.deps.users.actsFor(actor, senderOrganizationId, tx))) {
        throw new Forbidden('You may write only for your organisation or a client you represent', 'not_acting_for_organization');
      }
      const listing = await this.deps.listings.find(body.listingId, tx);
      if (!listing || listing.status !== 'published') throw new NotFound('Listing');
      if (listing.organizationId === senderOrganizationId) {
        throw new Forbidden('An organisation cannot express interest in its own listing', 'own_listing');
      }
      const now = this.deps.clock.now();
      await repo.lockSender(tx, actor.id);
      if ((await repo.countSentAfter(tx, actor.id, new Date(now.getTime() - DAY_MS))) >= this.deps.dailyLimit) {
        throw new TooManyRequests(`You may send at most ${this.deps.dailyLimit} expressions of interest in 24 hours`, 'interest_daily_limit');
      }
      const alreadyOpen = () => new Conflict('This organisation already has an open expression of interest in this listing', 'interest_exists');
      if (await repo.findOpen(tx, listing.id, senderOrganizationId)) throw alreadyOpen();
      const row = await repo.insertInterest(tx, {
        listingId: listing.id,
        ownerOrganizationId: listing.organizationId,
        senderOrganizationId,
        senderUserId: actor.id,
        message: body.message,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      });
      if (!row) throw alreadyOpen();
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'interest',
        entityId: row.id,
        action: 'send',
        toStatus: 'pending',
        data: { listingId: listing.id, senderOrganizationId },
      });
      const sender = (await this.deps.organizations.find(senderOrganizationId, tx))!;
      for (const recipient of await this.ownerSide(tx, listing, actor.id)) {
        await this.deps.mail.enqueue(tx, {
          to: { email: recipient.email, name: recipient.name, userId: recipient.id, actingForOrganizationId: recipient.actingForOrganizationId },
          template: 'interest_received',
          data: {
            ...listingRef(listing),
            interestId: row.id,
            senderName: actor.name,
            senderOrganizationName: sender.name,
            senderCountry: sender.country,
            sentByIntermediary: actor.organizationId !== senderOrganizationId,
            message: row.message,
          },
          idempotencyKey: `interest_received:${row.id}:${recipient.id}`,
        });
      }
      for (const listener of this.sentListeners) await listener(tx, { interest: row, listing });
      return this.detail(tx, actor, row);
    });
  }

  async list(actor: Actor, query: z.infer<typeof ZInterestListQuery>) {
    const { limit, offset, ...filter } = query;
    const organizationIds = await this.deps.users.organizationsActedFor(actor);
    const { items, total } = await repo.listInterests(this.db, scopeOf(actor, organizationIds), filter, { userId: actor.id, organizationIds }, limit, offset);
    const listings = new Map(
      (await this.deps.listings.findManyWithOrganization([...new Set(items.map((row) => row.listingId))])).map((entry) => [entry.listing.id, entry]),
    );
    const organizations = await this.organizationsById(this.db, items.map((row) => row.senderOrganizationId));
    const introductions = new Map((await this.deps.introductions.idsOfInterests(items.map((row) => row.id))).map((entry) => [entry.interestId, entry.id]));
    const senders = await this.deps.users.findManyById(items.map((row) => row.senderUserId));
    return {
      items: items.map((row) => {
        const { listing, organization } = listings.get(row.listingId)!;
        return this.view(actor, sidesOf(actor, organizationIds, row), row, {
          listing,
          owner: organization,
          sender: organizations.get(row.senderOrganizationId)!,
          senderUser: senders.get(row.senderUserId) ?? null,
          introductionId: introductions.get(row.id) ?? null,
        });
      }),
      total,
    };
  }

  /** EOIs received per listing, for the listings the actor acts for (others are left out). */
  async receivedCounts(actor: Actor, listingIds: string[]): Promise<Map<string, number>> {
    const organizationIds = await this.deps.users.organizationsActedFor(actor);
    const own = (await this.deps.listings.findFactsMany(listingIds)).filter((listing) => isStaff(actor) || organizationIds.includes(listing.organizationId));
    const counts = await repo.countByListing(this.db, own.map((listing) => listing.id));
    return new Map(counts.map((row) => [row.listingId, row.n]));
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findInterest(this.db, id);
    if (!row) throw new NotFound('Expression of interest');
    return this.detail(this.db, actor, row);
  }

  async accept(actor: Actor, id: string) {
    return this.db.transaction(async (tx) => {
      const current = await this.loadForOwnerAnswer(tx, actor, id);
      const now = this.deps.clock.now();
      const row = await repo.updateInterest(tx, id, { status: 'accepted', respondedById: actor.id, respondedAt: now, updatedAt: now });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'interest', entityId: id, action: 'accept', fromStatus: current.status, toStatus: 'accepted' });
      const introduction = await this.deps.introductions.createInTx(tx, actor.id, row);
      const listing = (await this.deps.listings.find(row.listingId, tx))!;
      const organizations = await this.organizationsById(tx, [row.ownerOrganizationId, row.senderOrganizationId]);
      const writer = await this.deps.users.findById(row.senderUserId, tx);
      const ownerContact = partyContact(organizations.get(row.ownerOrganizationId)!, actor);
      const senderContact = partyContact(organizations.get(row.senderOrganizationId)!, writer!);
      const mails: [Side, Recipient[], typeof ownerContact][] = [
        ['sender', await this.senderSide(tx, row), ownerContact],
        ['owner', await this.ownerSide(tx, listing), senderContact],
      ];
      for (const [side, recipients, counterpart] of mails) {
        for (const recipient of recipients) {
          await this.deps.mail.enqueue(tx, {
            to: { email: recipient.email, name: recipient.name, userId: recipient.id, actingForOrganizationId: recipient.actingForOrganizationId },
            template: 'interest_accepted',
            data: { ...listingRef(listing), interestId: id, introductionId: introduction.id, side, counterpart },
            idempotencyKey: `interest_accepted:${id}:${side}:${recipient.id}`,
          });
        }
      }
      return this.detail(tx, actor, row);
    });
  }

  async decline(actor: Actor, id: string, body: z.infer<typeof ZDeclineBody>) {
    return this.db.transaction(async (tx) => {
      const current = await this.loadForOwnerAnswer(tx, actor, id);
      const now = this.deps.clock.now();
      const note = body.note || null;
      const row = await repo.updateInterest(tx, id, {
        status: 'declined',
        declineReason: body.reason,
        declineNote: note,
        respondedById: actor.id,
        respondedAt: now,
        updatedAt: now,
      });
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'interest',
        entityId: id,
        action: 'decline',
        fromStatus: current.status,
        toStatus: 'declined',
        note,
        data: { reason: body.reason },
      });
      const listing = (await this.deps.listings.find(row.listingId, tx))!;
      for (const recipient of await this.senderSide(tx, row)) {
        await this.deps.mail.enqueue(tx, {
          to: { email: recipient.email, name: recipient.name, userId: recipient.id, actingForOrganizationId: recipient.actingForOrganizationId },
          template: 'interest_declined',
          // Nothing here names the owner: a declined sender of an anonymous listing never learns who it was.
          data: { ...listingRef(listing), interestId: id, reasonLabel: labelOf(DECLINE_REASONS, body.reason), note },
          idempotencyKey: `interest_declined:${id}:${recipient.id}`,
        });
      }
      return this.detail(tx, actor, row);
    });
  }

  async withdraw(actor: Actor, id: string) {
    return this.db.transaction(async (tx) => {
      const current = await repo.findInterest(tx, id, { forUpdate: true });
      const sides = current ? await this.visibleSides(tx, actor, current) : null;
      if (!current || !sides) throw new NotFound('Expression of interest');
      if (!sides.includes('sender')) throw new Forbidden('Only its sender withdraws an expression of interest');
      if (current.status !== 'pending') throw new Conflict(`Cannot withdraw an expression of interest that is ${current.status}`, 'invalid_transition');
      const now = this.deps.clock.now();
      const row = await repo.updateInterest(tx, id, { status: 'withdrawn', withdrawnAt: now, updatedAt: now });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'interest', entityId: id, action: 'withdraw', fromStatus: 'pending', toStatus: 'withdrawn' });
      const listing = (await this.deps.listings.find(row.listingId, tx))!;
      const sender = (await this.deps.organizations.find(row.senderOrganizationId, tx))!;
      for (const recipient of await this.ownerSide(tx, listing, actor.id)) {
        await this.deps.mail.enqueue(tx, {
          to: { email: recipient.email, name: recipient.name, userId: recipient.id, actingForOrganizationId: recipient.actingForOrganizationId },
          template: 'interest_withdrawn',
          data: { ...listingRef(listing), interestId: id, senderOrganizationName: sender.name },
          idempotencyKey: `interest_withdrawn:${id}:${recipient.id}`,
        });
      }
      return this.detail(tx, actor, row);
    });
  }

  /** The pending EOI the owner side answers, locked; 404 to those who may not see it, 403 to staff and the sender. */
  private async loadForOwnerAnswer(tx: Executor, actor: Actor, id: string) {
    const current = await repo.findInterest(tx, id, { forUpdate: true });
    const sides = current ? await this.visibleSides(tx, actor, current) : null;
    if (!current || !sides) throw new NotFound('Expression of interest');
    if (!sides.includes('owner')) throw new Forbidden("Only the listing's owner answers an expression of interest");
    if (current.status !== 'pending') throw new Conflict(`Cannot answer an expression of interest that is ${current.status}`, 'invalid_transition');
    return current as InterestRow & { status: InterestStatus };
  }

  /** The actor's sides of the EOI, or null when it may not see it at all. */
  private async visibleSides(db: Executor, actor: Actor, row: InterestRow): Promise<Side[] | null> {
    const sides = sidesOf(actor, await this.deps.users.organizationsActedFor(actor, db), row);
    return sides.length > 0 || isStaff(actor) ? sides : null;
  }

  private async detail(db: Executor, actor: Actor, row: InterestRow) {
    const sides = await this.visibleSides(db, actor, row);
    if (!sides) throw new NotFound('Expression of interest');
    const [entry] = await this.deps.listings.findManyWithOrganization([row.listingId], db);
    const organizations = await this.organizationsById(db, [row.ownerOrganizationId, row.senderOrganizationId]);
    const view = this.view(actor, sides, row, {
      listing: entry!.listing,
      owner: entry!.organization,
      sender: organizations.get(row.senderOrganizationId)!,
      senderUser: await this.deps.users.findById(row.senderUserId, db),
      introductionId: await this.deps.introductions.idOfInterest(row.id, db),
    });
    return { ...view, contacts: await exchangedContacts(this.deps.users, db, row, organizations) };
  }

  private view(
    actor: Actor,
    sides: Side[],
    row: InterestRow,
    related: {
      listing: ListingRow;
      owner: OrganizationRow;
      sender: OrganizationRow;
      senderUser: { id: string; name: string; organizationId: string | null } | null;
      introductionId: string | null;
    },
  ) {
    const revealOwner = row.status === 'accepted' || sides.includes('owner') || isStaff(actor);
    return {
      id: row.id,
      status: row.status as InterestStatus,
      message: row.message,
      listing: listingForParties(related.listing, related.owner, revealOwner),
      senderOrganization: toPublicOrganization(related.sender),
      sender: { id: row.senderUserId, name: related.senderUser?.name ?? '' },
      sentByIntermediary: related.senderUser?.organizationId !== row.senderOrganizationId,
      declineReason: row.declineReason as DeclineReason | null,
      declineNote: row.declineNote,
      respondedAt: row.respondedAt,
      withdrawnAt: row.withdrawnAt,
      introductionId: related.introductionId,
      viewerSides: sides,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  /**
   * Who hears about an EOI on the owner side: the organisation's users and the intermediary who
   * posted the listing while it still represents the organisation.
   */
  private async ownerSide(tx: Executor, listing: ListingRow, exceptUserId?: string): Promise<Recipient[]> {
    return uniqueRecipients(await this.deps.listings.ownerSide(listing, tx), listing.organizationId).filter((person) => person.id !== exceptUserId);
  }

  /** Who hears about it on the sender side: the user who wrote, while acting for the sender organisation, and its users. */
  private async senderSide(tx: Executor, row: InterestRow): Promise<Recipient[]> {
    const people: Person[] = [];
    if (await this.deps.users.activelyActsFor(row.senderUserId, row.senderOrganizationId, tx)) {
      people.push((await this.deps.users.findById(row.senderUserId, tx))!);
    }
    people.push(...(await this.deps.users.usersOfOrganization(row.senderOrganizationId, tx)));
    return uniqueRecipients(people, row.senderOrganizationId);
  }

  private async organizationsById(db: Executor, ids: string[]) {
    const rows = await this.deps.organizations.findMany([...new Set(ids)], db);
    return new Map(rows.map((row) => [row.id, row]));
  }
}

function listingRef(listing: ListingRow) {
  return { listingId: listing.id, reference: listing.reference, listingTitle: listing.title };
}

type Person = { id: string; email: string; name: string };

function uniqueRecipients(people: Person[], actingForOrganizationId: string): Recipient[] {
  const seen = new Set<string>();
  return people
    .filter((person) => !seen.has(person.id) && seen.add(person.id))
    .map((person) => ({ id: person.id, email: person.email, name: person.name, actingForOrganizationId }));
}
