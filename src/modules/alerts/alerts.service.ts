import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { BadRequest, Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { LinkSigner } from '../../lib/signed-links.js';
import type { Actor } from '../../plugins/auth.js';
import type { Job, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import type { ListingEvent, ListingRow, ListingService } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { isLive, toMatchProfile, type MatchingService } from '../matching/matching.service.js';
import { MatchableText, matchesQuery, parseSavedQuery } from '../language/query-match.js';
import { fullText } from '../matching/listing-analysis.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import * as repo from './alerts.repository.js';
import {
  ZSavedSearchFilters,
  type CreateSavedSearchBody,
  type SavedSearchFilters,
  type UpdateSavedSearchBody,
} from './alerts.schemas.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe-token.js';

export const ALERTS_QUEUE = 'alerts';

/**
 * Score from which a new listing is worth a mail to the owner of a listing alert. Set where, on
 * hand-made pairs, a listing about the same need with at least a workable deal lands (the ranked
 * matches page shows weaker ones too; a mail costs the reader's attention, so it asks for more).
 */
export const LISTING_ALERT_MIN_SCORE = 40;
/** A digest at most this often per user; a little under a day so a daily run never slips a day. */
const DIGEST_MIN_INTERVAL_MS = 20 * 3_600_000;
const MAX_SAVED_SEARCHES_PER_USER = 50;
/** Saved searches read per page while checking a new listing: bounds memory, not the number checked. */
const SAVED_SEARCH_PAGE = 500;
/** Matches written (with their mails) per transaction. */
const WRITE_CHUNK = 100;
const DIGEST_USERS_PER_RUN = 500;
/** Listings a digest shows per saved search; the rest are counted in the mail, not listed. */
const MAX_MATCHES_PER_DIGEST = 50;
const MAX_REASONS = 4;

/** Listing statuses after which a listing alert has nothing left to look for. */
const CLOSED_STATUSES: readonly string[] = ['withdrawn', 'rejected', 'archived'];

export type SavedSearchRow = repo.SavedSearchRow;

export function toSavedSearchView(row: SavedSearchRow) {
  return {
    id: row.id,
    kind: row.kind as 'query' | 'listing',
    name: row.name,
    query: row.query,
    filters: row.filters as SavedSearchFilters,
    listingId: row.listingId,
    frequency: row.frequency as 'instant' | 'daily',
    active: row.active,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface AlertServiceDeps {
  db: Database;
  clock: Clock;
  jobs: JobQueue;
  mail: MailOutbox;
  listings: ListingService;
  users: UserService;
  matching: MatchingService;
  publicUrl: string;
  /** Signs the unsubscribe links. */
  linkSigner: LinkSigner;
}

interface PendingMatch {
  savedSearch: SavedSearchRow;
  score: number | null;
  reasons: string[];
}

/**
 * Saved searches and their alerts. A publish or renewal enqueues an 'alerts' job in its own
 * transaction; the job checks the listing against every active saved search and records each match
 * once (unique per saved search and listing). Instant alerts enqueue their mail in the transaction
 * that records the match; daily ones wait for the digest, which enqueues its mail in the transaction
 * that marks them delivered. So a crash at any point leaves either nothing done (the job runs again)
 * or the match and its mail both recorded (a rerun finds the match and mails nothing).
 */
export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  // ---- Saved searches ------------------------------------------------------------------------

  async create(actor: Actor, body: CreateSavedSearchBody) {
    if (!actor.emailVerified) throw new Forbidden('Verify your e-mail address before saving alerts', 'email_not_verified');
    return this.db.transaction(async (tx) => {
      await this.checkContent(tx, actor, body.kind, body);
      if ((await repo.countSavedSearches(tx, actor.id)) >= MAX_SAVED_SEARCHES_PER_USER) {
        throw new Conflict(`You have ${MAX_SAVED_SEARCHES_PER_USER} saved searches already; delete one first`, 'saved_search_limit');
      }
      const now = this.deps.clock.now();
      const row = await repo.insertSavedSearch(tx, {
        userId: actor.id,
        kind: body.kind,
        name: body.name,
        query: body.kind === 'query' ? body.query : '',
        filters: body.kind === 'query' ? body.filters : {},
        listingId: body.kind === 'listing' ? body.listingId! : null,
        frequency: body.frequency,
        active: body.active,
        createdAt: now,
        updatedAt: now,
      });
      return toSavedSearchView(row);
    });
  }

  async list(actor: Actor, limit: number, offset: number) {
    const { items, total } = await repo.listSavedSearches(this.db, actor.id, limit, offset);
    return { items: items.map(toSavedSearchView), total };
  }

  async get(actor: Actor, id: string) {
    return toSavedSearchView(await this.ownSavedSearch(this.db, actor, id));
  }

  async update(actor: Actor, id: string, body: UpdateSavedSearchBody) {
    return this.db.transaction(async (tx) => {
      const current = await this.ownSavedSearch(tx, actor, id);
      const kind = current.kind as 'query' | 'listing';
      const merged = {
        query: body.query ?? current.query,
        filters: body.filters ?? (current.filters as SavedSearchFilters),
        listingId: current.listingId ?? undefined,
      };
      if (body.query !== undefined || body.filters !== undefined) await this.checkContent(tx, actor, kind, merged);
      const updated = await repo.updateSavedSearch(tx, id, { ...body, updatedAt: this.deps.clock.now() });
      return toSavedSearchView(updated!);
    });
  }

  async remove(actor: Actor, id: string) {
    await this.db.transaction(async (tx) => {
      await this.ownSavedSearch(tx, actor, id);
      await repo.deleteSavedSearch(tx, id);
    });
  }

  /** One-click unsubscribe from a mailed link: no login, the signed token is the permission. */
  async unsubscribe(token: string) {
    const scope = verifyUnsubscribeToken(this.deps.linkSigner, token);
    if (!scope) throw new BadRequest('This unsubscribe link is not valid', [{ path: 'query.token', message: 'is not a valid unsubscribe token' }], 'invalid_token');
    const now = this.deps.clock.now();
    if (scope.kind === 's') {
      const savedSearch = await repo.findSavedSearch(this.db, scope.savedSearchId);
      if (!savedSearch) return [];
      return repo.deactivateSavedSearches(this.db, savedSearch.userId, [savedSearch.id], now);
    }
    const daily = (await repo.listSavedSearches(this.db, scope.userId, MAX_SAVED_SEARCHES_PER_USER, 0)).items.filter((row) => row.frequency === 'daily');
    if (daily.length === 0) return [];
    return repo.deactivateSavedSearches(this.db, scope.userId, daily.map((row) => row.id), now);
  }

  private unsubscribeUrl(scope: Parameters<typeof signUnsubscribeToken>[1]) {
    return `${this.deps.publicUrl}/api/v1/saved-searches/unsubscribe?token=${encodeURIComponent(signUnsubscribeToken(this.deps.linkSigner, scope))}`;
  }

  private async ownSavedSearch(db: Executor, actor: Actor, id: string) {
    const row = await repo.findSavedSearch(db, id);
    // Someone else's saved search is as good as absent: its existence is nobody else's business.
    if (!row || row.userId !== actor.id) throw new NotFound('Saved search');
    return row;
  }

  /** The rules zod cannot check alone: they depend on the kind, on each other and on the listing. */
  private async checkContent(
    tx: Executor,
    actor: Actor,
    kind: 'query' | 'listing',
    body: { query: string; filters: SavedSearchFilters; listingId?: string | undefined },
  ) {
    if (kind === 'query') {
      if (body.listingId) throw invalidField('body.listingId', "belongs to alerts of kind 'listing'");
      const hasFilter = Object.values(body.filters).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
      if (!body.query && !hasFilter) throw invalidField('body.query', 'is required unless at least one filter is set');
      return;
    }
    if (body.query) throw invalidField('body.query', "belongs to alerts of kind 'query'; a listing alert matches the listing itself");
    if (Object.keys(body.filters).length) throw invalidField('body.filters', "belong to alerts of kind 'query'");
    if (!body.listingId) throw invalidField('body.listingId', "is required for alerts of kind 'listing'");
    const listing = await this.deps.listings.find(body.listingId, tx);
    // Alerts are for the side that owns the listing (its members and intermediaries), not for
    // editors or admins watching other people's listings.
    if (!listing || !(await this.deps.users.actsFor(actor, listing.organizationId, tx))) {
      throw invalidField('body.listingId', 'must be one of your listings');
    }
    if (CLOSED_STATUSES.includes(listing.status)) throw invalidField('body.listingId', `names a ${listing.status} listing`);
  }

  // ---- Matching new listings ------------------------------------------------------------------

  /** ListingService listener: a listing that became public (again) is checked against saved searches. */
  async onListingEvent(tx: Executor, event: ListingEvent) {
    if ((event.action !== 'publish' && event.action !== 'renew') || event.listing.status !== 'published') return;
    await this.deps.jobs.enqueue(tx, ALERTS_QUEUE, { listingId: event.listing.id }, { dedupeKey: event.listing.id });
  }

  queueDefinition(): QueueDefinition {
    return { handler: (jobs) => this.handleJobs(jobs), batchSize: 10 };
  }

  private async handleJobs(jobs: Job[]) {
    const failed: { id: number; error: string }[] = [];
    for (const job of jobs) {
      const listingId = (job.payload as { listingId?: unknown }).listingId;
      if (typeof listingId !== 'string') continue;
      try {
        await this.alertForListing(listingId);
      } catch (error) {
        failed.push({ id: job.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { failed };
  }

  /**
   * Checks one listing against every active saved search and records what matches. Safe to run
   * any number of times: a pair already recorded is neither recorded nor mailed again.
   */
  async alertForListing(listingId: string) {
    const [found] = await this.deps.listings.findManyWithOrganization([listingId]);
    const now = this.deps.clock.now();
    if (!found || !isLive(found.listing, now)) return { matched: 0, mailed: 0 };
    const { listing, organization } = found;
    const text = new MatchableText(fullText(toMatchProfile(listing, organization)));
    const pending: PendingMatch[] = [];

    for await (const page of this.activePages('query')) {
      const owners = await this.ownersOf(page);
      for (const savedSearch of page) {
        const owner = owners.get(savedSearch.userId);
        if (!owner || owner.organizationId === listing.organizationId) continue;
        const filters = ZSavedSearchFilters.safeParse(savedSearch.filters);
        if (!filters.success || !matchesFilters(filters.data, listing, organization)) continue;
        if (!matchesQuery(parseSavedQuery(savedSearch.query), text)) continue;
        pending.push({ savedSearch, score: null, reasons: [] });
      }
    }

    for await (const page of this.activePages('listing')) {
      const sources = (await this.deps.listings.findManyWithOrganization(page.map((row) => row.listingId!))).filter((source) =>
        this.listingAlertApplies(source.listing, listing),
      );
      const scores = await this.deps.matching.scoreAsAnswer(found, sources);
      const owners = await this.ownersOf(page);
      for (const savedSearch of page) {
        if (!owners.has(savedSearch.userId)) continue;
        const scored = scores.get(savedSearch.listingId!);
        if (!scored || scored.score < LISTING_ALERT_MIN_SCORE) continue;
        pending.push({ savedSearch, score: scored.score, reasons: scored.explanation.fits.slice(0, MAX_REASONS) });
      }
    }

    let mailed = 0;
    let matched = 0;
    for (let i = 0; i < pending.length; i += WRITE_CHUNK) {
      const chunk = pending.slice(i, i + WRITE_CHUNK);
      const result = await this.recordMatches(chunk, listing, organization);
      matched += result.matched;
      mailed += result.mailed;
    }
    return { matched, mailed };
  }

  private listingAlertApplies(source: ListingRow, candidate: ListingRow) {
    return (
      source.kind !== candidate.kind &&
      source.organizationId !== candidate.organizationId &&
      !CLOSED_STATUSES.includes(source.status)
    );
  }

  private async *activePages(kind: 'query' | 'listing') {
    let afterId: string | null = null;
    for (;;) {
      const page = await repo.activeSavedSearchesPage(this.db, kind, afterId, SAVED_SEARCH_PAGE);
      if (page.length === 0) return;
      yield page;
      afterId = page[page.length - 1]!.id;
      if (page.length < SAVED_SEARCH_PAGE) return;
    }
  }

  private async ownersOf(savedSearches: SavedSearchRow[]) {
    const owners = new Map<string, { organizationId: string | null }>();
    for (const userId of new Set(savedSearches.map((row) => row.userId))) {
      const user = await this.deps.users.findById(userId);
      if (user && !user.disabledAt) owners.set(userId, { organizationId: user.organizationId });
    }
    return owners;
  }

  /** Writes one chunk of matches and the instant mails of those that are new, in one transaction. */
  private async recordMatches(chunk: PendingMatch[], listing: ListingRow, organization: OrganizationRow) {
    const now = this.deps.clock.now();
    return this.db.transaction(async (tx) => {
      const created = await repo.insertMatches(
        tx,
        chunk.map(({ savedSearch, score }) => ({
          savedSearchId: savedSearch.id,
          listingId: listing.id,
          score,
          deliveredAt: savedSearch.frequency === 'instant' ? now : null,
          deliveredVia: savedSearch.frequency === 'instant' ? 'instant' : null,
        })),
        now,
      );
      const bySavedSearch = new Map(chunk.map((entry) => [entry.savedSearch.id, entry]));
      const forListings = await this.forListingsOf(tx, chunk.map((entry) => entry.savedSearch));
      let mailed = 0;
      for (const match of created) {
        const entry = bySavedSearch.get(match.savedSearchId)!;
        if (entry.savedSearch.frequency !== 'instant') continue;
        const user = await this.deps.users.findById(entry.savedSearch.userId, tx);
        if (!user) continue;
        await this.deps.mail.enqueue(tx, {
          to: { email: user.email, name: user.name, userId: user.id },
          template: 'alert_instant',
          data: {
            savedSearchName: entry.savedSearch.name,
            forListing: forListings.get(entry.savedSearch.id) ?? null,
            listing: alertListing(listing, organization),
            score: entry.score,
            reasons: entry.reasons,
            unsubscribeUrl: this.unsubscribeUrl({ kind: 's', savedSearchId: entry.savedSearch.id }),
          },
          idempotencyKey: `alert_instant:${match.savedSearchId}:${listing.id}`,
        });
        mailed++;
      }
      return { matched: created.length, mailed };
    });
  }

  /** Reference and title of the user's own listing behind each listing alert. */
  private async forListingsOf(db: Executor, savedSearches: SavedSearchRow[]) {
    const ids = savedSearches.filter((row) => row.listingId).map((row) => row.listingId!);
    const result = new Map<string, { reference: string; title: string }>();
    if (ids.length === 0) return result;
    const rows = new Map((await this.deps.listings.findManyWithOrganization(ids, db)).map((row) => [row.listing.id, row.listing]));
    for (const savedSearch of savedSearches) {
      const source = savedSearch.listingId ? rows.get(savedSearch.listingId) : undefined;
      if (source) result.set(savedSearch.id, { reference: source.reference, title: source.title });
    }
    return result;
  }

  // ---- Daily digest --------------------------------------------------------------------------

  /**
   * Mails each user with undelivered matches one digest, unless they had one in the last 20 hours.
   * Safe from several processes at once: each user's matches are locked while their digest is
   * written, and marked delivered in the transaction that enqueues the mail.
   */
  async runDigest() {
    const now = this.deps.clock.now();
    const result = { users: 0, matches: 0, dropped: 0 };
    const due = await repo.usersDueForDigest(this.db, new Date(now.getTime() - DIGEST_MIN_INTERVAL_MS), DIGEST_USERS_PER_RUN);
    for (const userId of due) {
      const sent = await this.digestFor(userId, now);
      if (sent.matches > 0) result.users++;
      result.matches += sent.matches;
      result.dropped += sent.dropped;
    }
    return result;
  }

  private async digestFor(userId: string, now: Date) {
    return this.db.transaction(async (tx) => {
      const rows = await repo.lockUndeliveredMatches(tx, userId);
      if (rows.length === 0) return { matches: 0, dropped: 0 };
      const user = await this.deps.users.findById(userId, tx);
      const listings = new Map(
        (await this.deps.listings.findManyWithOrganization([...new Set(rows.map((row) => row.match.listingId))], tx)).map((row) => [row.listing.id, row]),
      );
      const live = rows.filter((row) => {
        const found = listings.get(row.match.listingId);
        return found && isLive(found.listing, now) && user && !user.disabledAt;
      });
      const dropped = rows.filter((row) => !live.includes(row));
      await repo.markDelivered(tx, dropped.map((row) => row.match.id), 'dropped', now);
      if (live.length === 0 || !user) return { matches: 0, dropped: dropped.length };

      const forListings = await this.forListingsOf(tx, live.map((row) => row.savedSearch));
      const groups = new Map<string, { savedSearch: SavedSearchRow; matches: typeof live }>();
      for (const row of live) {
        const group = groups.get(row.savedSearch.id) ?? { savedSearch: row.savedSearch, matches: [] };
        group.matches.push(row);
        groups.set(row.savedSearch.id, group);
      }
      const ids = live.map((row) => row.match.id);
      await this.deps.mail.enqueue(tx, {
        to: { email: user.email, name: user.name, userId: user.id },
        template: 'alert_digest',
        data: {
          groups: [...groups.values()].map(({ savedSearch, matches }) => ({
            savedSearchName: savedSearch.name,
            forListing: forListings.get(savedSearch.id) ?? null,
            unsubscribeUrl: this.unsubscribeUrl({ kind: 's', savedSearchId: savedSearch.id }),
            matches: matches
              .sort((a, b) => (b.match.score ?? 0) - (a.match.score ?? 0) || a.match.id - b.match.id)
              .slice(0, MAX_MATCHES_PER_DIGEST)
              .map((row) => {
                const found = listings.get(row.match.listingId)!;
                return { listing: alertListing(found.listing, found.organization), score: row.match.score, reasons: [] };
              }),
          })),
          unsubscribeUrl: this.unsubscribeUrl({ kind: 'd', userId }),
        },
        // Names exactly this set of matches: a rerun after a crash collapses into the same message.
        idempotencyKey: `alert_digest:${userId}:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32)}`,
      });
      await repo.markDelivered(tx, ids, 'digest', now);
      return { matches: live.length, dropped: dropped.length };
    });
  }
}

/** What an alert mail shows of a listing: its public face only (no owner for an anonymous one). */
function alertListing(listing: ListingRow, organization: OrganizationRow) {
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

/** The saved search's filters against a listing, with the same meaning as the search filters. */
export function matchesFilters(filters: SavedSearchFilters, listing: ListingRow, organization: Pick<OrganizationRow, 'country'>) {
  const overlaps = <T>(wanted: readonly T[] | undefined, values: readonly T[]) => !wanted?.length || wanted.some((value) => values.includes(value));
  const within = <T>(wanted: readonly T[] | undefined, value: T) => !wanted?.length || wanted.includes(value);
  return (
    (!filters.kind || filters.kind === listing.kind) &&
    overlaps(filters.sector, listing.sectors) &&
    within(filters.country, organization.country) &&
    overlaps(filters.targetCountry, listing.targetCountries) &&
    within(filters.stage, listing.stage) &&
    (filters.trlMin === undefined || listing.trl >= filters.trlMin) &&
    (filters.trlMax === undefined || listing.trl <= filters.trlMax) &&
    within(filters.iprStatus, listing.iprStatus) &&
    overlaps(filters.partnershipType, listing.partnershipTypes) &&
    overlaps(filters.sdg, listing.sdgs)
  );
}
