import type { Database, Executor } from '../../db/client.js';
import { isUniqueViolation } from '../../db/sql-helpers.js';
import type { Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ListingService } from '../listings/listings.service.js';
import { toPublicListing } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import { isStaff } from '../users/users.rules.js';
import type { UserService } from '../users/users.service.js';
import type { ListingStatus } from '../vocabularies/enums.js';
import * as repo from './techmonitor.repository.js';
import { issueDocument, type IssueDocument } from './techmonitor.export.js';
import type { CreateIssueBody, EntryListing, ExportFormat, IssueStatus, UpdateIssueBody } from './techmonitor.schemas.js';
import { ZEntryListing } from './techmonitor.schemas.js';
import { rankSuggestions, type SuggestionCandidate } from './techmonitor.suggestions.js';
import { listingConcepts, themeConcepts, type ThemeSearch } from './techmonitor.theme-search.js';

/** Listings carried by this many latest published issues are not suggested again. */
export const RECENT_ISSUES_EXCLUDED = 4;
const CANDIDATE_POOL = 200;

type ListingRow = Parameters<typeof toPublicListing>[0];
type EntryView = { id: string; position: number; note: string | null; listing: EntryListing; currentStatus: ListingStatus | null };


/** The public part of a listing an issue prints, field by field, so private data cannot slip in. */
export function toEntryListing(listing: ListingRow, organization: OrganizationRow): EntryListing {
  const view = toPublicListing(listing, organization);
  return {
    id: view.id,
    reference: view.reference,
    kind: view.kind,
    title: view.title,
    summary: view.summary,
    description: view.description,
    advantages: view.advantages,
    specificationSought: view.specificationSought,
    sectors: view.sectors,
    keywords: view.keywords,
    stage: view.stage,
    trl: view.trl,
    iprStatus: view.iprStatus,
    iprNotes: view.iprNotes,
    partnershipTypes: view.partnershipTypes,
    targetCountries: view.targetCountries,
    sdgs: view.sdgs,
    anonymous: view.anonymous,
    country: view.country,
    organization: view.organization,
    publishedAt: view.publishedAt,
    expiresAt: view.expiresAt,
  };
}

/**
 * A frozen entry as it is served from now on. The snapshot is the record of what was printed and
 * stays as it is; but an owner who has since turned anonymous is hidden in everything served
 * after that (web edition, exports, later newsletter batches): mail already sent cannot be
 * recalled, anything served now can respect the owner's wish.
 */
function asServedNow(entry: EntryListing, ownerAnonymousNow: boolean): EntryListing {
  if (!ownerAnonymousNow || entry.anonymous) return entry;
  return { ...entry, anonymous: true, organization: null, iprNotes: null };
}

/** A stored snapshot back as a view: JSON keeps dates as strings. */
function fromSnapshot(snapshot: unknown): EntryListing {
  const value = { ...(snapshot as Record<string, unknown>) };
  for (const key of ['publishedAt', 'expiresAt'] as const) {
    if (typeof value[key] === 'string') value[key] = new Date(value[key] as string);
  }
  return ZEntryListing.parse(value);
}

export function toIssueView(issue: repo.IssueRow, counts: { offers: number; requests: number } | undefined) {
  return {
    id: issue.id,
    volume: issue.volume,
    number: issue.number,
    title: issue.title,
    theme: { text: issue.themeText, sectors: issue.themeSectors },
    periodStart: issue.periodStart,
    periodEnd: issue.periodEnd,
    targets: { offers: issue.targetOffers, requests: issue.targetRequests },
    selected: counts ?? { offers: 0, requests: 0 },
    status: issue.status as IssueStatus,
    version: issue.version,
    publishedAt: issue.publishedAt,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
  };
}
export type IssueView = ReturnType<typeof toIssueView>;
export type IssueDetail = IssueView & { entries: EntryView[] };

export interface TechMonitorServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  listings: ListingService;
  users: UserService;
  mail: MailOutbox;
  themeSearch: ThemeSearch;
  publicUrl: string;
}

/**
 * The Tech Monitor's editorial side: issues, their selection (guarded by the issue's version so
 * two editors never overwrite each other), suggestions, and publication, which freezes every entry.
 */
export class TechMonitorService {
  constructor(private readonly deps: TechMonitorServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  async create(actor: Actor, body: CreateIssueBody) {
    checkPeriod(body.periodStart, body.periodEnd);
    return this.db.transaction(async (tx) => {
      const now = this.deps.clock.now();
      const issue = await repo.insertIssue(tx, {
        volume: body.volume,
        number: body.number,
        title: body.title,
        themeText: body.theme.text,
        themeSectors: body.theme.sectors,
        periodStart: body.periodStart,
        periodEnd: body.periodEnd,
        targetOffers: body.targetOffers,
        targetRequests: body.targetRequests,
        status: 'draft',
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw duplicateNumber(body.volume, body.number);
        throw error;
      });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'tm_issue', entityId: issue.id, action: 'create', toStatus: 'draft' });
      return this.detailInTx(tx, issue);
    });
  }

  async update(actor: Actor, id: string, body: UpdateIssueBody) {
    return this.change(id, body.version, ['draft'], async (tx, issue) => {
      const periodStart = body.periodStart ?? issue.periodStart;
      const periodEnd = body.periodEnd ?? issue.periodEnd;
      checkPeriod(periodStart, periodEnd);
      const volume = body.volume ?? issue.volume;
      const number = body.number ?? issue.number;
      if (volume !== issue.volume || number !== issue.number) {
        if (await repo.findIssueByVolumeNumber(tx, volume, number)) throw duplicateNumber(volume, number);
      }
      await repo.updateIssue(tx, issue.id, {
        volume,
        number,
        title: body.title ?? issue.title,
        themeText: body.theme?.text ?? issue.themeText,
        themeSectors: body.theme?.sectors ?? issue.themeSectors,
        periodStart,
        periodEnd,
        targetOffers: body.targetOffers ?? issue.targetOffers,
        targetRequests: body.targetRequests ?? issue.targetRequests,
        updatedAt: this.deps.clock.now(),
      });
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'tm_issue',
        entityId: issue.id,
        action: 'update',
        data: { fields: Object.keys(body).filter((key) => key !== 'version') },
      });
    });
  }

  async get(actor: Actor | null, id: string): Promise<IssueDetail> {
    const issue = await repo.findIssue(this.db, id);
    if (!issue || (issue.status !== 'published' && !isStaff(actor))) throw new NotFound('Issue');
    return this.detailInTx(this.db, issue);
  }

  /** An issue as print-ready HTML, Markdown or JSON: published ones for everyone, drafts for editors' previews. */
  async document(actor: Actor | null, id: string, format: ExportFormat): Promise<IssueDocument> {
    return issueDocument(await this.get(actor, id), format);
  }

  /** A published issue, as exports print it. */
  async getPublished(id: string): Promise<IssueDetail> {
    const issue = await repo.findIssue(this.db, id);
    if (!issue || issue.status !== 'published') throw new NotFound('Issue');
    return this.detailInTx(this.db, issue);
  }

  async list(actor: Actor | null, query: { status?: IssueStatus; limit: number; offset: number }) {
    let statuses: IssueStatus[] = ['published'];
    if (query.status && query.status !== 'published') {
      if (!isStaff(actor)) throw new Forbidden('Only editors and admins see issues that are not published');
      statuses = [query.status];
    } else if (!query.status && isStaff(actor)) statuses = ['draft', 'locked', 'published'];
    const { items, total } = await repo.listIssues(this.db, statuses, query.limit, query.offset);
    const counts = await repo.entryCounts(this.db, items.map((issue) => issue.id));
    return { items: items.map((issue) => toIssueView(issue, counts.get(issue.id))), total };
  }

  // ── selection ─────────────────────────────────────────────────────────────────────────────────

  async addEntry(actor: Actor, id: string, body: { listingId: string; note?: string | null; position?: number; version: number }) {
    return this.change(id, body.version, ['draft'], async (tx, issue) => {
      const [found] = await this.deps.listings.findManyWithOrganization([body.listingId], tx);
      if (!found) throw invalidField('listingId', 'names no listing');
      if (found.listing.status !== 'published') {
        throw new Conflict(`Only published listings can be selected (this one is ${found.listing.status})`, 'listing_not_published');
      }
      const entries = await repo.listEntries(tx, issue.id);
      const inserted = await repo.insertEntry(tx, {
        issueId: issue.id,
        listingId: body.listingId,
        kind: found.listing.kind,
        position: entries.length + 1,
        note: body.note ?? null,
        addedById: actor.id,
        createdAt: this.deps.clock.now(),
      });
      if (!inserted) throw new Conflict('This listing is already in the issue', 'already_selected');
      await this.renumber(tx, [...entries, inserted], inserted.id, body.position);
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'tm_issue',
        entityId: issue.id,
        action: 'add_entry',
        data: { listingId: body.listingId, entryId: inserted.id },
      });
    });
  }

  async updateEntry(actor: Actor, id: string, entryId: string, body: { note?: string | null; position?: number; version: number }) {
    return this.change(id, body.version, ['draft'], async (tx, issue) => {
      const entries = await repo.listEntries(tx, issue.id);
      const entry = entries.find((e) => e.id === entryId);
      if (!entry) throw new NotFound('Entry');
      if (body.note !== undefined) await repo.updateEntry(tx, entry.id, { note: body.note });
      if (body.position !== undefined) await this.renumber(tx, entries, entry.id, body.position);
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'tm_issue',
        entityId: issue.id,
        action: 'update_entry',
        data: { entryId, fields: Object.keys(body).filter((key) => key !== 'version') },
      });
    });
  }

  async removeEntry(actor: Actor, id: string, entryId: string, version: number) {
    return this.change(id, version, ['draft'], async (tx, issue) => {
      if (!(await repo.deleteEntry(tx, issue.id, entryId))) throw new NotFound('Entry');
      await this.renumber(tx, await repo.listEntries(tx, issue.id));
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'tm_issue', entityId: issue.id, action: 'remove_entry', data: { entryId } });
    });
  }

  async reorder(actor: Actor, id: string, entryIds: string[], version: number) {
    return this.change(id, version, ['draft'], async (tx, issue) => {
      const entries = await repo.listEntries(tx, issue.id);
      const known = new Set(entries.map((e) => e.id));
      if (entryIds.length !== entries.length || entryIds.some((entryId) => !known.has(entryId))) {
        throw invalidField('entryIds', 'must list every entry of the issue exactly once');
      }
      for (const [index, entryId] of entryIds.entries()) {
        const entry = entries.find((e) => e.id === entryId)!;
        if (entry.position !== index + 1) await repo.updateEntry(tx, entryId, { position: index + 1 });
      }
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'tm_issue', entityId: issue.id, action: 'reorder' });
    });
  }

  // ── states ────────────────────────────────────────────────────────────────────────────────────

  async lock(actor: Actor, id: string, version: number) {
    return this.change(id, version, ['draft'], async (tx, issue) => {
      if ((await repo.listEntries(tx, issue.id)).length === 0) throw new Conflict('An issue without entries cannot be locked', 'empty_issue');
      await this.setStatus(tx, actor, issue, 'locked', 'lock');
    });
  }

  async unlock(actor: Actor, id: string, version: number) {
    return this.change(id, version, ['locked'], (tx, issue) => this.setStatus(tx, actor, issue, 'draft', 'unlock'));
  }

  /**
   * Freezes the issue: every entry stores the listing's public view as it is now, and the owners
   * of featured listings are mailed, all in one transaction.
   */
  async publish(actor: Actor, id: string, version: number) {
    return this.change(id, version, ['locked'], async (tx, issue) => {
      const entries = await repo.listEntries(tx, issue.id);
      const found = new Map(
        (await this.deps.listings.findManyWithOrganization(entries.map((e) => e.listingId), tx)).map((row) => [row.listing.id, row]),
      );
      const gone = entries.filter((entry) => found.get(entry.listingId)?.listing.status !== 'published');
      if (gone.length > 0) {
        const references = gone.map((entry) => found.get(entry.listingId)?.listing.reference ?? entry.listingId);
        throw new Conflict(
          `These listings are no longer published; unlock the issue and remove them: ${references.join(', ')}`,
          'listing_not_published',
        );
      }
      const now = this.deps.clock.now();
      for (const entry of entries) {
        const { listing, organization } = found.get(entry.listingId)!;
        await repo.updateEntry(tx, entry.id, { snapshot: toEntryListing(listing, organization) });
      }
      await this.setStatus(tx, actor, issue, 'published', 'publish', { publishedAt: now, publishedById: actor.id });
      for (const entry of entries) await this.mailFeaturedOwners(tx, issue, found.get(entry.listingId)!.listing);
    });
  }

  // ── suggestions ───────────────────────────────────────────────────────────────────────────────

  async suggestions(actor: Actor, id: string, query: { limit?: number; offset: number }) {
    const issue = await repo.findIssue(this.db, id);
    if (!issue) throw new NotFound('Issue');
    if (issue.status === 'published') throw new Conflict('A published issue takes no more entries', 'invalid_state');
    const entries = await repo.listEntries(this.db, issue.id);
    const selectedCount = { offers: entries.filter((e) => e.kind === 'offer').length, requests: entries.filter((e) => e.kind === 'request').length };
    const openSlots = {
      offers: Math.max(0, issue.targetOffers - selectedCount.offers),
      requests: Math.max(0, issue.targetRequests - selectedCount.requests),
    };
    const limit = query.limit ?? Math.max(2 * (openSlots.offers + openSlots.requests), 10);
    const excluded = new Set([
      ...entries.map((e) => e.listingId),
      ...(await repo.recentlyFeaturedListingIds(this.db, RECENT_ISSUES_EXCLUDED, issue.id)),
    ]);
    // Listed in the issue, a listing must still be valid when the issue's period ends.
    const validUntil = new Date(`${issue.periodEnd}T23:59:59.999Z`);
    const hits = await this.deps.themeSearch.candidates({
      text: issue.themeText,
      sectors: issue.themeSectors,
      validAt: validUntil,
      excludeIds: [...excluded],
      limit: CANDIDATE_POOL,
    });
    const rows = new Map((await this.deps.listings.findManyWithOrganization(hits.map((hit) => hit.id))).map((row) => [row.listing.id, row]));
    const concepts = themeConcepts(issue.themeText);
    const conceptCache = new Map<string, Set<string>>();
    const conceptsOf = (listing: EntryListing) => {
      let found = conceptCache.get(listing.id);
      if (!found) conceptCache.set(listing.id, (found = listingConcepts(listing)));
      return found;
    };
    const candidates: SuggestionCandidate[] = [];
    for (const hit of hits) {
      const row = rows.get(hit.id);
      // The index may lag behind a withdrawal or an expiry: the database has the last word.
      if (!row || row.listing.status !== 'published' || excluded.has(hit.id)) continue;
      if (!row.listing.expiresAt || row.listing.expiresAt < validUntil) continue;
      const listing = toEntryListing(row.listing, row.organization);
      const matchedConcepts = [...conceptsOf(listing)].filter((id) => concepts.has(id)).map((id) => concepts.get(id)!);
      candidates.push({ listing, relevance: hit.relevance, matchedConcepts });
    }
    const selected = await this.deps.listings.findManyWithOrganization(entries.map((e) => e.listingId));
    const ranked = rankSuggestions({
      candidates,
      themeSectors: issue.themeSectors,
      alreadySelected: selected.map((row) => toEntryListing(row.listing, row.organization)),
      conceptsOf,
      targets: openSlots,
      now: this.deps.clock.now(),
      limit: query.offset + limit,
    });
    return { items: ranked.slice(query.offset), total: candidates.length, limit, offset: query.offset, openSlots };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────

  /**
   * One change to an issue: locks the row, checks the state and the version the editor saw, runs
   * the change, bumps the version and answers the issue as it is now.
   */
  private change(
    id: string,
    version: number,
    allowed: IssueStatus[],
    apply: (tx: Executor, issue: repo.IssueRow) => Promise<void>,
  ): Promise<IssueDetail> {
    return this.db.transaction(async (tx) => {
      const issue = await repo.findIssue(tx, id, { forUpdate: true });
      if (!issue) throw new NotFound('Issue');
      if (!allowed.includes(issue.status as IssueStatus)) {
        throw new Conflict(`Not allowed while the issue is ${issue.status} (needs ${allowed.join(' or ')})`, 'invalid_state');
      }
      if (issue.version !== version) {
        throw new Conflict(`The issue changed since version ${version} (now ${issue.version}); reload and apply your change again`, 'version_conflict');
      }
      await apply(tx, issue);
      const changed = await repo.findIssue(tx, id);
      // Changes that did not touch the issue row itself (entries) still make a new version.
      const current = changed!.version === issue.version ? await repo.updateIssue(tx, id, { updatedAt: this.deps.clock.now() }) : changed!;
      return this.detailInTx(tx, current);
    });
  }

  private async setStatus(
    tx: Executor,
    actor: Actor,
    issue: repo.IssueRow,
    to: IssueStatus,
    action: string,
    extra: Partial<repo.NewIssue> = {},
  ) {
    await repo.updateIssue(tx, issue.id, { status: to, updatedAt: this.deps.clock.now(), ...extra });
    await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'tm_issue', entityId: issue.id, action, fromStatus: issue.status, toStatus: to });
  }

  /** Puts `movedId` at `position` (1-based, clamped) and numbers every entry 1..n. */
  private async renumber(tx: Executor, entries: repo.EntryRow[], movedId?: string, position?: number) {
    const ordered = [...entries].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
    if (movedId && position !== undefined) {
      const from = ordered.findIndex((e) => e.id === movedId);
      const [moved] = ordered.splice(from, 1);
      ordered.splice(Math.min(position, ordered.length + 1) - 1, 0, moved!);
    }
    for (const [index, entry] of ordered.entries()) {
      if (entry.position !== index + 1) await repo.updateEntry(tx, entry.id, { position: index + 1 });
    }
  }

  private async mailFeaturedOwners(tx: Executor, issue: repo.IssueRow, listing: ListingRow) {
    for (const user of await this.deps.listings.ownerSide(listing, tx)) {
      await this.deps.mail.enqueue(tx, {
        to: { email: user.email, name: user.name, userId: user.id, actingForOrganizationId: listing.organizationId },
        template: 'techmonitor_featured',
        data: {
          issueTitle: issue.title,
          volume: issue.volume,
          number: issue.number,
          listingTitle: listing.title,
          reference: listing.reference,
          issueUrl: `${this.deps.publicUrl}/api/v1/techmonitor/issues/${issue.id}/export?format=html`,
        },
        idempotencyKey: `tm_featured:${issue.id}:${listing.id}:${user.id}`,
      });
    }
  }

  private async detailInTx(db: Executor, issue: repo.IssueRow): Promise<IssueDetail> {
    const entries = await repo.listEntries(db, issue.id);
    const counts = (await repo.entryCounts(db, [issue.id])).get(issue.id);
    if (issue.status === 'published') {
      const anonymousNow = new Set(
        (await this.deps.listings.findManyWithOrganization(entries.map((e) => e.listingId), db))
          .filter((row) => row.listing.anonymous)
          .map((row) => row.listing.id),
      );
      return {
        ...toIssueView(issue, counts),
        entries: entries.map((entry) => ({
          id: entry.id,
          position: entry.position,
          note: entry.note,
          listing: asServedNow(fromSnapshot(entry.snapshot), anonymousNow.has(entry.listingId)),
          currentStatus: null,
        })),
      };
    }
    const live = new Map(
      (await this.deps.listings.findManyWithOrganization(entries.map((e) => e.listingId), db)).map((row) => [row.listing.id, row]),
    );
    return {
      ...toIssueView(issue, counts),
      entries: entries.map((entry) => {
        const { listing, organization } = live.get(entry.listingId)!;
        return {
          id: entry.id,
          position: entry.position,
          note: entry.note,
          listing: toEntryListing(listing, organization),
          currentStatus: listing.status as ListingStatus,
        };
      }),
    };
  }
}

function checkPeriod(start: string, end: string) {
  if (end < start) throw invalidField('periodEnd', 'must not be before periodStart');
}

function duplicateNumber(volume: number, number: number) {
  return new Conflict(`Volume ${volume} already has an issue number ${number}`, 'duplicate_issue_number');
}
