import type { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import { addDays, type Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { toPublicOrganization, type OrganizationRow, type OrganizationService } from '../organizations/organizations.service.js';
import { isStaff } from '../users/users.rules.js';
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
import * as revisionsRepo from './listing-revisions.repository.js';
import { splitEdit, toRevisionView, type ProposedChanges } from './listing-revisions.js';
import { viewOf, type ListingView } from './listings.rules.js';
import type { ListingQuery, ZCreateListingBody, ZUpdateListingBody } from './listings.schemas.js';
import { safeErrorMessage } from '../../lib/log-safety.js';

export type { ListingCounts } from './listing-counters.js';
export type { FieldChange, FieldValue } from './listing-revisions.js';

export type ListingRow = repo.ListingRow;

export interface ListingEvent {
  action: 'create' | 'update' | ListingAction;
  listing: ListingRow;
  fromStatus: ListingStatus | null;
  actorId: string | null;
}
/** Runs in the transaction of every listing change: search and alerts enqueue their jobs here. */
export type ListingListener = (tx: Executor, event: ListingEvent) => Promise<void>;
/** The same, for many events of one transaction at once, in order. */
export type ListingBatchListener = (tx: Executor, events: ListingEvent[]) => Promise<void>;

/** An imported item the batch could not write (its index in the batch, and why). */
export class ImportItemError extends Error {
  constructor(
    readonly index: number,
    cause: unknown,
  ) {
    super(safeErrorMessage(cause), { cause });
  }
}

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
    externalRef: listing.externalRef,
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
  private readonly batchListeners: ListingBatchListener[] = [];

  constructor(private readonly deps: ListingServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  onEvent(listener: ListingListener) {
    this.listeners.push(listener);
  }

  /** A listener that takes many events at once (bulk writes such as imports hand them over together). */
  onEvents(listener: ListingBatchListener) {
    this.batchListeners.push(listener);
  }

  private async emit(tx: Executor, event: ListingEvent) {
    for (const listener of this.listeners) await listener(tx, event);
    for (const listener of this.batchListeners) await listener(tx, [event]);
  }

  private async emitMany(tx: Executor, events: ListingEvent[]) {
    for (const event of events) for (const listener of this.listeners) await listener(tx, event);
    for (const listener of this.batchListeners) await listener(tx, events);
  }

  /** The parties the actor belongs to for this listing. */
  async partiesOf(actor: Actor | null, listing: Pick<ListingRow, 'organizationId'>, db: Executor = this.db): Promise<Set<ActionParty>> {
    const parties = new Set<ActionParty>();
    if (!actor) return parties;
    if (isStaff(actor)) parties.add('editor');
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
        isStaff(actor) || (await this.deps.users.actsFor(actor, organizationId, tx));
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
      // What the public sees of a published listing changes only once an editor accepted it
      // (listing-revisions.ts); editors' own edits are the review.
      if (current.status === 'published' && !parties.has('editor')) return this.proposeInTx(tx, actor, current, content as ProposedChanges);
      const updated = await repo.updateListing(tx, id, { ...contentValues(content), updatedAt: this.deps.clock.now() });
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'listing',
        entityId: id,
        action: 'update',
        data: { fields: Object.keys(content) },
      });
      await this.emit(tx, { action: 'update', listing: updated, fromStatus: current.status as ListingStatus, actorId: actor.id });
      return { outcome: 'updated' as const, listing: await this.viewInTx(tx, updated, true) };
    });
  }

  /**
   * An owner's edit of a published listing: turning anonymous applies at once, the rest joins the
   * listing's pending revision for an editor; the published version stays as it is meanwhile.
   */
  private async proposeInTx(tx: Executor, actor: Actor, current: ListingRow, edit: ProposedChanges) {
    const now = this.deps.clock.now();
    const pending = await revisionsRepo.findPending(tx, current.id, { forUpdate: true });
    const { immediate, proposal } = splitEdit(current, edit, (pending?.changes ?? {}) as ProposedChanges);
    let listing = current;
    if (Object.keys(immediate).length > 0) {
      listing = await this.applyChangesInTx(tx, current, immediate, actor.id, { action: 'update', data: { fields: Object.keys(immediate) } });
    }
    const fields = Object.keys(proposal);
    if (fields.length === 0) {
      // Everything asked for is what is published: a pending proposal has nothing left to review.
      if (pending) {
        await revisionsRepo.updateRevision(tx, pending.id, { status: 'withdrawn', changes: {}, updatedAt: now, decidedAt: now, decidedById: actor.id });
        await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'listing', entityId: current.id, action: 'revision_withdraw', data: { revisionId: pending.id } });
      }
      return { outcome: 'updated' as const, listing: await this.viewInTx(tx, listing, true) };
    }
    const values = { changes: proposal, baseVersion: listing.version, submittedById: actor.id, updatedAt: now };
    const revision = pending
      ? await revisionsRepo.updateRevision(tx, pending.id, values)
      : await revisionsRepo.insertRevision(tx, { ...values, listingId: current.id, status: 'pending', submittedAt: now });
    await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'listing', entityId: current.id, action: 'revision_submit', data: { revisionId: revision.id, fields } });
    return { outcome: 'revision' as const, revision: toRevisionView(revision, listing) };
  }

  /**
   * Writes reviewed (or privacy-only) changes to a listing: a new version, its audit entry and its
   * event, in the caller's transaction — search and matching follow from the event's jobs.
   */
  async applyChangesInTx(
    tx: Executor,
    current: ListingRow,
    changes: ProposedChanges,
    actorId: string,
    audit: { action: string; data: Record<string, unknown> },
  ) {
    const updated = await repo.updateListing(tx, current.id, { ...(changes as Partial<repo.NewListing>), updatedAt: this.deps.clock.now() });
    await this.deps.audit.record(tx, { actorId, entityType: 'listing', entityId: current.id, action: audit.action, data: audit.data });
    await this.emit(tx, { action: 'update', listing: updated, fromStatus: current.status as ListingStatus, actorId });
    return updated;
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

  /** The listing by its reference code (the web pages' URLs), seen as `get` shows it. */
  async getByReference(actor: Actor | null, reference: string) {
    const id = await repo.findIdByReference(this.db, reference);
    if (!id) throw new NotFound('Listing');
    return this.get(actor, id);
  }

  async history(actor: Actor, id: string) {
    const listing = await repo.findListing(this.db, id);
    if (!listing || !(await this.seesPrivate(actor, listing))) throw new NotFound('Listing');
    return this.deps.audit.history('listing', id);
  }

  async list(actor: Actor | null, query: ListingQuery) {
    const ownOrganizations = await this.deps.users.organizationsActedFor(actor);
    const privileged = isStaff(actor);
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
   * intermediary who posted it while it still acts for the organisation (rights are what they are
   * now: a removed client link ends the intermediary's share of the listing's mail).
   */
  async ownerSide(listing: Pick<ListingRow, 'organizationId' | 'postedById'>, db: Executor = this.db) {
    const people = new Map((await this.deps.users.usersOfOrganization(listing.organizationId, db)).map((user) => [user.id, user]));
    if (listing.postedById && !people.has(listing.postedById) && (await this.deps.users.activelyActsFor(listing.postedById, listing.organizationId, db))) {
      const intermediary = await this.deps.users.findById(listing.postedById, db);
      if (intermediary) people.set(intermediary.id, intermediary);
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

  findForUpdate(id: string, tx: Executor) {
    return repo.findListing(tx, id, { forUpdate: true });
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
            to: { email: user.email, name: user.name, userId: user.id, actingForOrganizationId: current.organizationId },
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


  /**
   * Writes a batch of imported listings in the caller's transaction: creates each in the asked
   * status, or updates the listing its organisation already holds under the same external
   * reference (re-running an import updates rather than duplicates). New listings are written with
   * a few statements for the whole batch and their events go to the listeners together, so
   * thousands of rows take seconds. A row's problem throws ImportItemError naming the item; the
   * caller's batch then rolls back as a whole.
   */
  async importBatch(tx: Executor, actor: Actor, items: ImportedListing[]) {
    const outcome = { created: 0, updated: 0, unchanged: 0 };
    const privileged = actor.role === 'admin' || actor.role === 'editor';
    const mayActFor = new Map<string, boolean>();
    const existing = new Map(
      (await repo.findByExternalRefs(tx, items.map((item) => ({ organizationId: item.organizationId, externalRef: item.externalRef })))).map((row) => [
        `${row.organizationId}\u0000${row.externalRef}`,
        row,
      ]),
    );
    const now = this.deps.clock.now();
    const creations: { index: number; item: ImportedListing }[] = [];
    for (const [index, item] of items.entries()) {
      try {
        if (!privileged) {
          if (!mayActFor.has(item.organizationId)) mayActFor.set(item.organizationId, await this.deps.users.actsFor(actor, item.organizationId, tx));
          if (!mayActFor.get(item.organizationId)) throw new Forbidden('You may import only for your organisation or clients you represent');
        }
        if (item.status === 'published' && !privileged) throw new Forbidden('Only editors import listings as published');
        checkKindFields(item.content.kind, item.content);
        const current = existing.get(`${item.organizationId}\u0000${item.externalRef}`);
        if (!current) {
          creations.push({ index, item });
          continue;
        }
        if (current.kind !== item.content.kind) throw invalidField('kind', `is ${current.kind} for ${current.reference}; a listing cannot change kind`);
        const content = contentValues(item.content);
        if (sameContent(current, content)) {
          outcome.unchanged++;
          continue;
        }
        if (!EDITABLE_STATUSES.includes(current.status as ListingStatus)) {
          throw new Conflict(`${current.reference} is ${current.status} and cannot be edited`, 'invalid_state');
        }
        const updated = await repo.updateListing(tx, current.id, { ...content, externalSource: item.externalSource, updatedAt: now });
        await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'listing', entityId: current.id, action: 'import_update', data: { source: item.externalSource } });
        await this.emit(tx, { action: 'update', listing: updated, fromStatus: current.status as ListingStatus, actorId: actor.id });
        outcome.updated++;
      } catch (error) {
        throw new ImportItemError(index, error);
      }
    }
    if (creations.length === 0) return outcome;

    const organizations = new Map(
      (await this.deps.organizations.findMany([...new Set(creations.map(({ item }) => item.organizationId))], tx)).map((row) => [row.id, row]),
    );
    const prefixOf = ({ item }: { item: ImportedListing }) =>
      `${item.content.kind === 'offer' ? 'TO' : 'TR'}-${organizations.get(item.organizationId)?.country}-${now.getUTCFullYear()}`;
    const perPrefix = new Map<string, number>();
    for (const [position, creation] of creations.entries()) {
      if (!organizations.has(creation.item.organizationId)) throw new ImportItemError(creation.index, invalidField('organization', 'names no organisation'));
      perPrefix.set(prefixOf(creations[position]!), (perPrefix.get(prefixOf(creations[position]!)) ?? 0) + 1);
    }
    const nextNumber = new Map<string, number>();
    for (const [prefix, last] of await repo.reserveReferenceNumbers(tx, perPrefix)) nextNumber.set(prefix, last - perPrefix.get(prefix)! + 1);
    const values = creations.map((creation) => {
      const { item } = creation;
      const prefix = prefixOf(creation);
      const number = nextNumber.get(prefix)!;
      nextNumber.set(prefix, number + 1);
      const published = item.status === 'published';
      return {
        ...(contentValues(item.content) as Omit<repo.NewListing, 'reference' | 'kind' | 'organizationId' | 'createdById'>),
        reference: `${prefix}-${String(number).padStart(5, '0')}`,
        kind: item.content.kind,
        status: item.status,
        organizationId: item.organizationId,
        createdById: actor.id,
        postedById: actor.organizationId === item.organizationId ? null : actor.id,
        externalRef: item.externalRef,
        externalSource: item.externalSource,
        submittedAt: item.status === 'draft' ? null : now,
        publishedAt: published ? now : null,
        expiresAt: published ? addMonths(now, VALIDITY_MONTHS) : null,
        createdAt: now,
        updatedAt: now,
      };
    });
    const inserted = await repo.insertListings(tx, values);
    await this.deps.audit.recordMany(
      tx,
      inserted.map((listing) => ({
        actorId: actor.id,
        entityType: 'listing',
        entityId: listing.id,
        action: 'import',
        toStatus: listing.status,
        data: { source: listing.externalSource, externalRef: listing.externalRef },
      })),
    );
    // Created in their final status: listeners see the creation, and the publication of those
    // imported as published (alerts and webhooks react to it), as if each had been walked through.
    const events: ListingEvent[] = inserted.flatMap((listing) => [
      { action: 'create' as const, listing, fromStatus: null, actorId: actor.id },
      ...(listing.status === 'published' ? [{ action: 'publish' as const, listing, fromStatus: 'submitted' as const, actorId: actor.id }] : []),
    ]);
    await this.emitMany(tx, events);
    outcome.created += inserted.length;
    return outcome;
  }

  /** Which of these external references the organisations already hold (an import reports those rows as updates). */
  existingExternalRefs(organizationIds: string[], externalRefs: string[], db: Executor = this.db) {
    return repo.externalRefsOf(db, organizationIds, externalRefs);
  }

  /** Existing listings whose titles look like the given ones (an import reports them as likely duplicates). */
  similarTitles(titles: string[], threshold = 0.6, db: Executor = this.db) {
    return repo.mostSimilarTitles(db, titles, threshold);
  }

  /**
   * Every listing the actor may export under the list filters, in pages (exports stream them):
   * editors and admins get every status they may list; everyone else live listings only.
   */
  async *exportRows(actor: Actor | null, query: Omit<ListingQuery, 'limit' | 'offset'>, pageSize = 500) {
    const privileged = actor?.role === 'admin' || actor?.role === 'editor';
    if (!privileged && query.status?.some((status) => status !== 'published')) {
      throw new Forbidden('Exports of listings that are not published are for editors');
    }
    for (let offset = 0; ; offset += pageSize) {
      const page = privileged
        ? await this.list(actor, { ...query, limit: pageSize, offset })
        : await this.list(actor, { ...query, status: undefined, mine: undefined, limit: pageSize, offset });
      const rows = page.items;
      yield* rows.map((item) => ({ item, full: privileged }));
      if (rows.length < pageSize) return;
    }
  }

  /**
   * The change feed for syncing clients: listings changed since a moment, oldest first. Live ones
   * the client may read come whole; one that left its view (withdrawn, expired, on hold, archived)
   * comes as a tombstone with its id, reference, status and time only, which reveals nothing of an
   * anonymous owner.
   */
  async changes(actor: Actor | null, since: Date, cursor: { updatedAt: Date; id: string } | null, limit: number) {
    const privileged = actor?.role === 'admin' || actor?.role === 'editor';
    const ownOrganizations = await this.deps.users.organizationsActedFor(actor);
    const rows = await repo.changedSince(this.db, {
      since: cursor?.updatedAt ?? since,
      afterId: cursor?.id ?? null,
      organizationIds: null,
      everPublished: !privileged,
      limit,
    });
    const items = rows.map(({ listing, organization }) => {
      const own = ownOrganizations.includes(listing.organizationId);
      if (listing.status === 'published' || (privileged && listing.status !== 'draft') || own) {
        return {
          id: listing.id,
          reference: listing.reference,
          status: listing.status as ListingStatus,
          updatedAt: listing.updatedAt,
          listing: privileged || own ? toListing(listing, organization, null) : toPublicListing(listing, organization),
        };
      }
      return { id: listing.id, reference: listing.reference, status: listing.status as ListingStatus, updatedAt: listing.updatedAt, listing: null };
    });
    const last = rows.at(-1)?.listing;
    return { items, next: rows.length === limit && last ? { updatedAt: last.updatedAt, id: last.id } : null };
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

export interface ImportedListing {
  organizationId: string;
  externalRef: string;
  externalSource: string;
  status: 'draft' | 'submitted' | 'published';
  content: Omit<z.infer<typeof ZCreateListingBody>, 'organizationId'>;
}

const CONTENT_FIELDS = [
  'title', 'summary', 'description', 'advantages', 'specificationSought', 'sectors', 'keywords', 'stage', 'trl',
  'iprStatus', 'iprNotes', 'partnershipTypes', 'targetCountries', 'sdgs', 'anonymous',
] as const;

/** Whether a listing already holds this content (an unchanged row of a re-run import writes nothing). */
function sameContent(row: ListingRow, content: Partial<repo.NewListing>) {
  return CONTENT_FIELDS.every((field) => JSON.stringify(row[field] ?? null) === JSON.stringify(content[field] ?? null));
}

function contentValues(body: Partial<z.infer<typeof ZCreateListingBody>>): Partial<repo.NewListing> {
  const { kind: _kind, organizationId: _organizationId, ...content } = body;
  return content as Partial<repo.NewListing>;
}
