import type { LinkSigner } from '../../lib/signed-links.js';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { safeErrorMessage } from '../../lib/log-safety.js';
import type { Job, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { filtersFromParams, matchesListingFilters } from '../listings/listings.filters.js';
import { isLive } from '../listings/listings.rules.js';
import type { ListingEvent, ListingRow, ListingService } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import { listingText, type MatchingService } from '../matching/matching.service.js';
import { MatchableText, matchesQuery, parseSavedQuery } from '../language/query-match.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import { alertListing, forListingsOf, unsubscribeUrl } from './alert-mail.js';
import * as repo from './alerts.repository.js';
import { ZSavedSearchFilters } from './alerts.schemas.js';
import { CLOSED_STATUSES } from './alerts.service.js';

export const ALERTS_QUEUE = 'alerts';
const becamePublic = (event: ListingEvent) => (event.action === 'publish' || event.action === 'renew') && event.listing.status === 'published';
const ZAlertJobPayload = z.object({ listingId: z.uuid() });

/**
 * Score from which a new listing is worth a mail to the owner of a listing alert. Set where, on
 * hand-made pairs, a listing about the same need with at least a workable deal lands (the ranked
 * matches page shows weaker ones too; a mail costs the reader's attention, so it asks for more).
 */
export const LISTING_ALERT_MIN_SCORE = 40;
/** Saved searches read per page while checking a new listing: bounds memory, not the number checked. */
const SAVED_SEARCH_PAGE = 500;
/** Matches written (with their mails) per transaction. */
const WRITE_CHUNK = 100;
const MAX_REASONS = 4;
/** Listings checked per job batch: the saved searches are read once for all of them. */
const JOB_BATCH = 50;

type SavedSearchRow = repo.SavedSearchRow;

export interface NewListingAlertsDeps {
  db: Database;
  clock: Clock;
  jobs: JobQueue;
  mail: MailOutbox;
  listings: ListingService;
  users: UserService;
  matching: MatchingService;
  publicUrl: string;
  /** Keys the unsubscribe links. */
  linkSigner: LinkSigner;
}

interface PendingMatch {
  savedSearch: SavedSearchRow;
  score: number | null;
  reasons: string[];
}

/**
 * Checks each listing that becomes public against the saved searches. A publish or renewal enqueues
 * an 'alerts' job in its own transaction; the job checks the listing against every active saved
 * search and records each match once (unique per saved search and listing). Instant alerts enqueue
 * their mail in the transaction that records the match; daily ones wait for the digest
 * (alert-digest.ts). So a crash at any point leaves either nothing done (the job runs again) or the
 * match and its mail both recorded (a rerun finds the match and mails nothing).
 */
export class NewListingAlerts {
  constructor(private readonly deps: NewListingAlertsDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * ListingService listener: a listing that became public (again) is checked against saved searches.
   * Many events of one transaction (an import) enqueue their jobs in one statement.
   */
  async onListingEvents(tx: Executor, events: readonly ListingEvent[]) {
    const ids = [...new Set(events.filter(becamePublic).map((event) => event.listing.id))];
    await this.deps.jobs.enqueueMany(tx, ALERTS_QUEUE, ids.map((listingId) => ({ payload: { listingId }, dedupeKey: listingId })));
  }

  queueDefinition(): QueueDefinition {
    return { handler: (jobs) => this.handleJobs(jobs), batchSize: JOB_BATCH };
  }

  private async handleJobs(jobs: Job[]) {
    const failed: { id: number; error: string }[] = [];
    const jobsOf = new Map<string, number[]>();
    for (const job of jobs) {
      const payload = ZAlertJobPayload.safeParse(job.payload);
      // A payload no run could use is a failure to see (GET /admin/jobs), not work done.
      if (!payload.success) {
        failed.push({ id: job.id, error: 'payload is not { listingId: uuid }' });
        continue;
      }
      jobsOf.set(payload.data.listingId, [...(jobsOf.get(payload.data.listingId) ?? []), job.id]);
    }
    const failures = await this.alertForListings([...jobsOf.keys()]);
    for (const [listingId, error] of failures) for (const id of jobsOf.get(listingId) ?? []) failed.push({ id, error });
    return { failed };
  }

  /**
   * Checks listings against every active saved search and records what matches. The saved searches
   * are read once for all of them (an import publishes thousands at once). Safe to run any number
   * of times: a pair already recorded is neither recorded nor mailed again. Answers the listings
   * whose matches could not be recorded, with the reason.
   */
  async alertForListings(listingIds: string[]) {
    const now = this.deps.clock.now();
    const live = (await this.deps.listings.findManyWithOrganization(listingIds)).filter((found) => isLive(found.listing, now));
    const pending = new Map<string, PendingMatch[]>(live.map((found) => [found.listing.id, []]));
    if (live.length === 0) return new Map<string, string>();
    const checked = live.map((found) => ({
      found,
      text: new MatchableText(listingText(found.listing, found.organization)),
      filterable: { ...found.listing, publishedAt: found.listing.publishedAt!, country: found.organization.country },
    }));

    for await (const page of this.activePages('query')) {
      const owners = await this.ownersOf(page);
      for (const savedSearch of page) {
        const owner = owners.get(savedSearch.userId);
        const filters = ZSavedSearchFilters.safeParse(savedSearch.filters);
        if (!owner || !filters.success) continue;
        const listingFilters = filtersFromParams(filters.data);
        const query = parseSavedQuery(savedSearch.query);
        for (const { found, text, filterable } of checked) {
          if (owner.organizationId === found.listing.organizationId) continue;
          if (!matchesListingFilters(listingFilters, filterable) || !matchesQuery(query, text)) continue;
          pending.get(found.listing.id)!.push({ savedSearch, score: null, reasons: [] });
        }
      }
    }

    for await (const page of this.activePages('listing')) {
      const sources = await this.deps.listings.findManyWithOrganization(page.map((row) => row.listingId!));
      const owners = await this.ownersOf(page);
      // One read of the analyses of the page's listings and the batch's for all the pairs.
      const scoresOf = await this.deps.matching.scoreAsAnswers(
        checked.map(({ found }) => ({ candidate: found, sources: sources.filter((source) => this.listingAlertApplies(source.listing, found.listing)) })),
      );
      for (const [i, { found }] of checked.entries()) {
        const scores = scoresOf[i]!;
        for (const savedSearch of page) {
          if (!owners.has(savedSearch.userId)) continue;
          const scored = scores.get(savedSearch.listingId!);
          if (!scored || scored.score < LISTING_ALERT_MIN_SCORE) continue;
          pending.get(found.listing.id)!.push({ savedSearch, score: scored.score, reasons: scored.explanation.fits.slice(0, MAX_REASONS) });
        }
      }
    }

    const failures = new Map<string, string>();
    for (const { found } of checked) {
      const matches = pending.get(found.listing.id)!;
      try {
        for (let i = 0; i < matches.length; i += WRITE_CHUNK) await this.recordMatches(matches.slice(i, i + WRITE_CHUNK), found.listing, found.organization);
      } catch (error) {
        // Kept on the job and logged by the queue: drizzle's message would carry the statement's parameters.
        failures.set(found.listing.id, safeErrorMessage(error));
      }
    }
    return failures;
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

  /** The owners of a page of saved searches who may still get alerts (one read for the page). */
  private async ownersOf(savedSearches: SavedSearchRow[]) {
    const owners = new Map<string, { organizationId: string | null }>();
    for (const [userId, user] of await this.deps.users.findManyById(savedSearches.map((row) => row.userId))) {
      if (!user.disabledAt) owners.set(userId, { organizationId: user.organizationId });
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
      const forListings = await forListingsOf(this.deps.listings, tx, chunk.map((entry) => entry.savedSearch));
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
            unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, this.deps.linkSigner, { kind: 's', savedSearchId: entry.savedSearch.id }),
          },
          idempotencyKey: `alert_instant:${match.savedSearchId}:${listing.id}`,
        });
        mailed++;
      }
      return { matched: created.length, mailed };
    });
  }
}
