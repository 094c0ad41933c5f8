import type { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import { addDays, type Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { toPublicOrganization, type OrganizationRow, type OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import type { ListingStatus } from '../vocabularies/enums.js';
import {
  ARCHIVE_AFTER_EXPIRY_DAYS,
  EDITABLE_STATUSES,
  LISTING_TRANSITIONS,
  MAX_RENEWALS,
  REMINDER_DAYS_BEFORE_EXPIRY,
  VALIDITY_MONTHS,
  addMonths,
  type ActionParty,
  type ListingAction,
} from './listing-lifecycle.js';
import * as repo from './listings.repository.js';
import { viewOf, type ListingView } from './listings.rules.js';
import type { ListingQuery, ZCreateListingBody, ZUpdateListingBody } from './listings.schemas.js';

export type ListingRow = repo.ListingRow;

export interface ListingEvent {
  action: 'create' | 'update' | ListingAction;
  listing: ListingRow;
  fromStatus: ListingStatus | null;
  actorId: string | null;
}
/** Runs in the transaction of every listing change: search and alerts enqueue their jobs here. */
export type ListingListener = (tx: Executor, event: ListingEvent) => Promise<void>;

type Contact = { name: string; email: string; phone: string | null };

/** The public face of a listing. Built field by field so nothing private can slip through. */
export function toPublicListing(listing: ListingRow, organization: OrganizationRow) {
  return {
    id: listing.id,
    reference: listing.reference,
    kind: listing.kind as 'offer' | 'request',
    status: listing.status as ListingStatus,
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    advantages: listing.advantages,
    specificationSought: listing.specificationSought,
    sectors: listing.sectors,
    keywords: listing.keywords,
    stage: listing.stage,
    trl: listing.trl,
    iprStatus: listing.iprStatus,
    // Patent numbers identify the owner, so an anonymous listing keeps its IPR notes private.
    iprNotes: listing.anonymous ? null : listing.iprNotes,
    partnershipTypes: listing.partnershipTypes,
    targetCountries: listing.targetCountries,
    sdgs: listing.sdgs,
    anonymous: listing.anonymous,
    country: organization.country,
    organization: listing.anonymous ? null : toPublicOrganization(organization),
    publishedAt: listing.publishedAt,
    expiresAt: listing.expiresAt,
    updatedAt: listing.updatedAt,
  };
}

export function toListing(listing: ListingRow, organization: OrganizationRow, contact: Contact | null) {
  return {
    ...toPublicListing(listing, organization),
    iprNotes: listing.iprNotes,
    organization: toPublicOrganization(organization),
    organizationId: listing.organizationId,
    createdById: listing.createdById,
    postedById: listing.postedById,
    editorNote: listing.editorNote,
    renewalCount: listing.renewalCount,
    submittedAt: listing.submittedAt,
    createdAt: listing.createdAt,
    version: listing.version,
    contact,
  };
}

export interface ListingServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  organizations: OrganizationService;
  mail: MailOutbox;
}

export class ListingService {
  private readonly listeners: ListingListener[] = [];

  constructor(private readonly deps: ListingServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  onEvent(listener: ListingListener) {
    this.listeners.push(listener);
  }

  private async emit(tx: Executor, event: ListingEvent) {
    for (const listener of this.listeners) await listener(tx, event);
  }

  /** The parties the actor belongs to for this listing. */
  async partiesOf(actor: Actor | null, listing: Pick<ListingRow, 'organizationId'>, db: Executor = this.db): Promise<Set<ActionParty>> {
    const parties = new Set<ActionParty>();
    if (!actor) return parties;
    if (actor.role === 'editor' || actor.role === 'admin') parties.add('editor');
    if (actor.role === 'admin' || (await this.deps.users.actsFor(actor, listing.organizationId, db))) parties.add('owner');
    return parties;
  }

  /** The view of the listing the actor gets (listings.rules.ts), or null: the listing is not there for them. */
  async viewFor(actor: Actor | null, listing: ListingRow, db: Executor = this.db): Promise<ListingView | null> {
    return viewOf(await this.partiesOf(actor, listing, db), listing.status);
  }

  /** Whether the actor sees everything about the listing (contacts, history, non-public statuses). */
  private async seesPrivate(actor: Actor | null, listing: ListingRow, db: Executor = this.db) {
    return (await this.viewFor(actor, listing, db)) === 'private';
  }

  /** Visible at all (some view of it). Invisible listings answer 404, never 403. */
  async isVisible(actor: Actor | null, listing: ListingRow, db: Executor = this.db) {
    // Every view includes the public one: a published listing needs no look-up of the actor's parties.
    return listing.status === 'published' || (await this.viewFor(actor, listing, db)) !== null;
  }

  async create(actor: Actor, body: z.infer<typeof ZCreateListingBody>) {
    const organizationId = body.organizationId ?? actor.organizationId;
    if (!organizationId) throw invalidField('organizationId', 'is required: your account belongs to no organisation');
    checkKindFields(body.kind, body);
    return this.db.transaction(async (tx) => {
      const organization = await this.deps.organizations.find(organizationId, tx);
      if (!organization) throw invalidField('organizationId', 'names no organisation');
      const mayCreate =
        actor.role === 'admin' || actor.role === 'editor' || (await this.deps.users.actsFor(actor, organizationId, tx));
      if (!mayCreate) throw new Forbidden('You may post only for your organisation or a client you represent');
      const now = this.deps.clock.now();
      const prefix = `${body.kind === 'offer' ? 'TO' : 'TR'}-${organization.country}-${now.getUTCFullYear()}`;
      const number = await repo.nextReferenceNumber(tx, prefix);
      const listing = await repo.insertListing(tx, {
        ...(contentValues(body) as Omit<repo.NewListing, 'reference' | 'kind' | 'organizationId' | 'createdById'>),
        reference: `${prefix}-${String(number).padStart(5, '0')}`,
        kind: body.kind,
        status: 'draft',
        organizationId,
        createdById: actor.id,
        postedById: actor.organizationId === organizationId ? null : actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'listing', entityId: listing.id, action: 'create', toStatus: 'draft' });
      await this.emit(tx, { action: 'create', listing, fromStatus: null, actorId: actor.id });
      return toListing(listing, organization, null);
    });
  }

  async update(actor: Actor, id: string, body: z.infer<typeof ZUpdateListingBody>) {
    return this.db.transaction(async (tx) => {
      const current = await repo.findListing(tx, id, { forUpdate: true });
      if (!current || !(await this.isVisible(actor, current, tx))) throw new NotFound('Listing');
      const parties = await this.partiesOf(actor, current, tx);
      if (!parties.has('owner') && !parties.has('editor')) throw new Forbidden('Only the owner and editors edit a listing');
      if (!EDITABLE_STATUSES.includes(current.status as ListingStatus)) {
        throw new Conflict(`A ${current.status} listing cannot be edited`, 'invalid_state');
      }
      if (body.version !== undefined && body.version !== current.version) {
        throw new Conflict(`The listing changed since version ${body.version} (now ${current.version}); reload and edit again`, 'version_conflict');
      }
      checkKindFields(current.kind as 'offer' | 'request', body);
      const { version: _version, ...content } = body;
      const updated = await repo.updateListing(tx, id, { ...contentValues(content), updatedAt: this.deps.clock.now() });
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'listing',
        entityId: id,
        action: 'update',
        data: { fields: Object.keys(content) },
      });
      await this.emit(tx, { action: 'update', listing: updated, fromStatus: current.status as ListingStatus, actorId: actor.id });
      return this.viewInTx(tx, updated, true);
    });
  }

  async transition(actor: Actor, id: string, action: Exclude<ListingAction, 'expire'>, note?: string) {
    const rule = LISTING_TRANSITIONS[action];
    return this.db.transaction(async (tx) => {
      const current = await repo.findListing(tx, id, { forUpdate: true });
      if (!current || !(await this.isVisible(actor, current, tx))) throw new NotFound('Listing');
      const parties = await this.partiesOf(actor, current, tx);
      if (!rule.by.some((party) => parties.has(party))) {
        throw new Forbidden(rule.by.includes('editor') && !rule.by.includes('owner') ? 'Only editors may do this' : 'Only the owner may do this');
      }
      if (action === 'submit' && !actor.emailVerified) throw new Forbidden('Verify your e-mail address before submitting', 'email_not_verified');
      if (rule.noteRequired && !note) throw invalidField('note', 'is required');
      const updated = await this.applyTransition(tx, current, action, actor.id, note ?? null);
      return this.viewInTx(tx, updated, true);
    });
  }

  private async applyTransition(tx: Executor, current: ListingRow, action: ListingAction, actorId: string | null, note: string | null) {
    const rule = LISTING_TRANSITIONS[action];
    const from = current.status as ListingStatus;
    if (!rule.from.includes(from)) {
      throw new Conflict(`Cannot ${action} a listing that is ${from}`, 'invalid_transition');
    }
    const now = this.deps.clock.now();
    const changes: Partial<repo.NewListing> = { status: rule.to, updatedAt: now };
    switch (action) {
      case 'submit':
        changes.submittedAt = now;
        break;
      case 'publish':
        // Back from hold, the listing keeps its original validity period.
        if (!current.publishedAt || from === 'submitted') {
          changes.publishedAt = now;
          changes.expiresAt = addMonths(now, VALIDITY_MONTHS);
          changes.reminderSentAt = null;
        }
        changes.editorNote = note;
        break;
      case 'return':
      case 'reject':
      case 'hold':
        changes.editorNote = note;
        break;
      case 'renew': {
        if (current.renewalCount >= MAX_RENEWALS) throw new Conflict('This listing was already renewed once', 'renewal_limit');
        const base = from === 'published' && current.expiresAt && current.expiresAt > now ? current.expiresAt : now;
        changes.expiresAt = addMonths(base, VALIDITY_MONTHS);
        changes.renewalCount = current.renewalCount + 1;
        changes.reminderSentAt = null;
        break;
      }
      default:
        break;
    }
    const updated = await repo.updateListing(tx, current.id, changes);
    await this.deps.audit.record(tx, { actorId, entityType: 'listing', entityId: current.id, action, fromStatus: from, toStatus: rule.to, note });
    await this.emit(tx, { action, listing: updated, fromStatus: from, actorId });
    return updated;
  }

  async get(actor: Actor | null, id: string) {
    const found = await repo.findListingWithOrganization(this.db, id);
    if (!found) throw new NotFound('Listing');
    const { listing, organization } = found;
    if (await this.seesPrivate(actor, listing)) return toListing(listing, organization, await this.contactOf(this.db, listing, organization));
    if (listing.status !== 'published') throw new NotFound('Listing');
    return toPublicListing(listing, organization);
  }

  async history(actor: Actor, id: string) {
    const listing = await repo.findListing(this.db, id);
    if (!listing || !(await this.seesPrivate(actor, listing))) throw new NotFound('Listing');
    return this.deps.audit.history('listing', id);
  }

  async list(actor: Actor | null, query: ListingQuery) {
    const ownOrganizations = await this.deps.users.organizationsActedFor(actor);
    const privileged = actor?.role === 'admin' || actor?.role === 'editor';
    const wantsPrivate = Boolean(query.mine) || (query.status?.some((status) => status !== 'published') ?? false);
    let scope: repo.VisibilityScope;
    if (query.mine) scope = { kind: 'organizations', organizationIds: ownOrganizations };
    else if (actor?.role === 'admin' && wantsPrivate) scope = { kind: 'all' };
    else if (privileged && wantsPrivate) scope = { kind: 'all_but_drafts' };
    else if (wantsPrivate) {
      if (!actor) throw new Forbidden('Log in to see listings that are not published');
      scope = { kind: 'organizations', organizationIds: ownOrganizations };
    } else scope = { kind: 'public' };
    const { items, total } = await repo.listListings(this.db, query, scope, ownOrganizations);
    const full = privileged || scope.kind === 'organizations';
    return {
      items: items.map(({ listing, organization }) =>
        full || ownOrganizations.includes(listing.organizationId) ? toListing(listing, organization, null) : toPublicListing(listing, organization),
      ),
      total,
    };
  }

  /**
   * The people who answer for a listing, each once: its organisation's active users and the
   * intermediary who posted it (who may be the only one, for a client without accounts of its own).
   */
  async ownerSide(listing: Pick<ListingRow, 'organizationId' | 'postedById'>, db: Executor = this.db) {
    const people = new Map((await this.deps.users.usersOfOrganization(listing.organizationId, db)).map((user) => [user.id, user]));
    if (listing.postedById && !people.has(listing.postedById)) {
      const intermediary = await this.deps.users.findById(listing.postedById, db);
      if (intermediary && !intermediary.disabledAt) people.set(intermediary.id, intermediary);
    }
    return [...people.values()];
  }

  /** For services that index or match: the listings with their organisations. */
  findManyWithOrganization(ids: string[], db: Executor = this.db) {
    return repo.findListingsWithOrganization(db, ids);
  }

  /** For matching, which weighs many candidates before it shows a few: no long texts. */
  findFactsMany(ids: string[], db: Executor = this.db) {
    return repo.findListingFacts(db, ids);
  }

  find(id: string, db: Executor = this.db) {
    return repo.findListing(db, id);
  }

  publishedWithOrganizationAfter(afterId: string | null, limit: number, db: Executor = this.db) {
    return repo.publishedWithOrganizationAfter(db, afterId, limit);
  }

  publishedIdsOfOrganization(organizationId: string, db: Executor = this.db) {
    return repo.publishedIdsOfOrganization(db, organizationId);
  }

  /**
   * The scheduled sweep: reminds owners two weeks before expiry, expires listings past their date,
   * archives expired ones that can no longer be renewed. Each listing changes in its own
   * transaction, so one failure does not hold back the rest.
   */
  async runExpirySweep(batchSize = 200) {
    const now = this.deps.clock.now();
    const result = { reminded: 0, expired: 0, archived: 0 };
    for (const listing of await repo.dueForReminder(this.db, now, addDays(now, REMINDER_DAYS_BEFORE_EXPIRY), batchSize)) {
      await this.db.transaction(async (tx) => {
        const current = await repo.findListing(tx, listing.id, { forUpdate: true });
        if (!current || current.status !== 'published' || current.reminderSentAt) return;
        await repo.updateListing(tx, current.id, { reminderSentAt: now });
        const organization = await this.deps.organizations.find(current.organizationId, tx);
        for (const user of await this.ownerSide(current, tx)) {
          await this.deps.mail.enqueue(tx, {
            to: { email: user.email, name: user.name, userId: user.id },
            template: 'listing_renewal_reminder',
            data: {
              listingId: current.id,
              reference: current.reference,
              title: current.title,
              organizationName: organization?.name ?? '',
              expiresAt: current.expiresAt?.toISOString() ?? null,
              canRenew: current.renewalCount < MAX_RENEWALS,
            },
            idempotencyKey: `renewal_reminder:${current.id}:${current.expiresAt?.toISOString()}:${user.id}`,
          });
        }
        await this.deps.audit.record(tx, { actorId: null, entityType: 'listing', entityId: current.id, action: 'renewal_reminder' });
        result.reminded++;
      });
    }
    for (const listing of await repo.dueForExpiry(this.db, now, batchSize)) {
      await this.sweepOne(listing.id, 'expire', (row) => row.status === 'published' && row.expiresAt !== null && row.expiresAt <= now);
      result.expired++;
    }
    for (const listing of await repo.dueForArchive(this.db, addDays(now, -ARCHIVE_AFTER_EXPIRY_DAYS), batchSize)) {
      await this.sweepOne(listing.id, 'archive', (row) => row.status === 'expired');
      result.archived++;
    }
    return result;
  }

  private async sweepOne(id: string, action: ListingAction, stillDue: (row: ListingRow) => boolean) {
    await this.db.transaction(async (tx) => {
      const current = await repo.findListing(tx, id, { forUpdate: true });
      if (current && stillDue(current)) await this.applyTransition(tx, current, action, null, null);
    });
  }


  private async viewInTx(tx: Executor, listing: ListingRow, withContact: boolean) {
    const organization = (await this.deps.organizations.find(listing.organizationId, tx))!;
    return toListing(listing, organization, withContact ? await this.contactOf(tx, listing, organization) : null);
  }

  private async contactOf(db: Executor, listing: ListingRow, organization: OrganizationRow): Promise<Contact | null> {
    const creator = await this.deps.users.findById(listing.createdById, db);
    if (!creator) return null;
    return { name: creator.name, email: creator.email, phone: organization.contactPhone };
  }
}

/** Offers state advantages; requests state the specification sought. Each field belongs to one kind. */
function checkKindFields(kind: 'offer' | 'request', body: { advantages?: string | null; specificationSought?: string | null }) {
  if (kind === 'offer' && body.specificationSought) throw invalidField('specificationSought', 'belongs to requests; offers state advantages');
  if (kind === 'request' && body.advantages) throw invalidField('advantages', 'belongs to offers; requests state specificationSought');
}

function contentValues(body: Partial<z.infer<typeof ZCreateListingBody>>): Partial<repo.NewListing> {
  const { kind: _kind, organizationId: _organizationId, ...content } = body;
  return content as Partial<repo.NewListing>;
}
