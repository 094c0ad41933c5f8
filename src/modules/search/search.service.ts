import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, Conflict, invalidField } from '../../lib/errors.js';
import { safeErrorMessage } from '../../lib/log-safety.js';
import { isUniqueViolation } from '../../db/sql-helpers.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { WorkGate } from '../../lib/work-gate.js';
import type { Job, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { isLive } from '../listings/listings.rules.js';
import { toPublicListing, type ListingEvent, type ListingRow, type ListingService } from '../listings/listings.service.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import type { IprStatus, ListingKind, PartnershipType, Sector, Stage } from '../vocabularies/enums.js';
import { FACET_FIELDS, type SearchDocument, type SearchEngine } from './search.port.js';
import type { SearchApiQuery } from './search.schemas.js';
import { ZListingQuery } from '../listings/listings.schemas.js';
import * as runs from './reindex-runs.repository.js';

export const SEARCH_QUEUE = 'search';
/** Whole-index rebuilds asked for by admins, one job per run. */
export const SEARCH_REINDEX_QUEUE = 'search-reindex';
const REINDEX_PAGE_SIZE = 500;
const ZSearchJobPayload = z.object({ listingId: z.uuid() });
const ZReindexJobPayload = z.object({ runId: z.uuid() });

export type ReindexRun = runs.ReindexRunRow;

/** What admins see of a rebuild. */
export function toReindexRunView(row: ReindexRun) {
  return {
    id: row.id,
    status: row.status as 'queued' | 'running' | 'done' | 'failed',
    total: row.total,
    indexed: row.indexed,
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export class SearchUnavailable extends AppError {
  constructor() {
    super('search_unavailable', 503, 'Search is unavailable for a moment; try again shortly');
  }
}

/** The index's copy of a listing: public fields only; an anonymous owner's name never enters it. */
export function toSearchDocument(listing: ListingRow, organization: OrganizationRow): SearchDocument {
  return {
    id: listing.id,
    reference: listing.reference,
    kind: listing.kind as ListingKind,
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    details: listing.advantages ?? listing.specificationSought ?? '',
    keywords: listing.keywords,
    sectors: listing.sectors as Sector[],
    country: organization.country,
    targetCountries: listing.targetCountries,
    stage: listing.stage as Stage,
    trl: listing.trl,
    iprStatus: listing.iprStatus as IprStatus,
    partnershipTypes: listing.partnershipTypes as PartnershipType[],
    sdgs: listing.sdgs,
    organizationName: listing.anonymous ? null : organization.name,
    organizationId: listing.organizationId,
    publishedAt: listing.publishedAt!,
    expiresAt: listing.expiresAt!,
  };
}

/** A change the search index must follow: the listing is, or was until now, published. */
function changesSearch(event: ListingEvent) {
  return event.fromStatus === 'published' || event.listing.status === 'published' || event.action === 'archive';
}

export interface SearchServiceDeps {
  db: Database;
  engine: SearchEngine;
  listings: ListingService;
  jobs: JobQueue;
  clock: Clock;
  log: FastifyBaseLogger;
  audit: AuditService;
  /** Bounds how many searches run at once (503 past its queue); none: unbounded (CLIs). */
  gate?: WorkGate;
}

/** How many possible duplicates an editor's review shows. */
const DUPLICATE_CANDIDATES = 5;

/**
 * The search API over the engine port, and the index's sync: listing and organisation changes
 * enqueue a job per listing in their own transaction; the job re-reads the listing's current state,
 * so jobs may run late, twice or out of order and the index still ends up right.
 */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  get engineName() {
    return this.deps.engine.name;
  }

  /** Registers the listeners that enqueue index jobs, and the queue that runs them. */
  /**
   * ListingService listener (events come in batches: an import publishes many listings at once): a
   * change to a listing that is, or was until now, published reaches the index.
   */
  async onListingEvents(tx: Executor, events: readonly ListingEvent[]) {
    const ids = [...new Set(events.filter(changesSearch).map((event) => event.listing.id))];
    if (ids.length === 1) await this.enqueue(tx, ids[0]!);
    else if (ids.length > 1) await this.deps.jobs.enqueueMany(tx, SEARCH_QUEUE, ids.map((listingId) => ({ payload: { listingId }, dedupeKey: `listing:${listingId}` })));
  }

  /** OrganizationService listener: the owner's name and country are in each of its published listings' documents. */
  async onOrganizationChange(tx: Executor, organizationId: string) {
    for (const { id } of await this.deps.listings.publishedIdsOfOrganization(organizationId, tx)) await this.enqueue(tx, id);
  }

  enqueue(tx: Executor, listingId: string) {
    return this.deps.jobs.enqueue(tx, SEARCH_QUEUE, { listingId }, { dedupeKey: `listing:${listingId}` });
  }

  queueDefinition(): QueueDefinition {
    return {
      batchSize: 100,
      handler: async (jobs: Job[]) => {
        const failed: { id: number; error: string }[] = [];
        const ids = new Set<string>();
        for (const job of jobs) {
          const payload = ZSearchJobPayload.safeParse(job.payload);
          if (payload.success) ids.add(payload.data.listingId);
          else failed.push({ id: job.id, error: 'payload is not { listingId: uuid }' });
        }
        // An engine failure throws: the whole batch is retried with backoff.
        await this.sync([...ids]);
        return { failed };
      },
    };
  }

  /** Brings the index in line with the listings' current state in the database. */
  async sync(listingIds: string[]) {
    if (listingIds.length === 0) return;
    const { engine, listings, clock } = this.deps;
    const now = clock.now();
    const found = await listings.findManyWithOrganization(listingIds);
    const documents = found.filter(({ listing }) => isLive(listing, now)).map(({ listing, organization }) => toSearchDocument(listing, organization));
    const indexed = new Set(documents.map((document) => document.id));
    await engine.ensureReady();
    await engine.upsert(documents);
    await engine.remove(listingIds.filter((id) => !indexed.has(id)));
  }

  async search(query: SearchApiQuery) {
    if (query.trlMin !== undefined && query.trlMax !== undefined && query.trlMin > query.trlMax) {
      throw invalidField('querystring.trlMin', 'must not be above trlMax');
    }
    return this.deps.gate ? this.deps.gate.run(() => this.searchNow(query)) : this.searchNow(query);
  }

  private async searchNow(query: SearchApiQuery) {
    const { engine, listings, clock } = this.deps;
    const now = clock.now();
    let result;
    try {
      result = await engine.search({
        text: query.q,
        mode: 'all',
        sort: query.sort,
        limit: query.limit,
        offset: query.offset,
        facets: FACET_FIELDS,
        highlight: true,
        filters: {
          validAt: now,
          kind: query.kind,
          sectors: query.sector,
          countries: query.country,
          targetCountries: query.targetCountry,
          stages: query.stage,
          trlMin: query.trlMin,
          trlMax: query.trlMax,
          iprStatuses: query.iprStatus,
          partnershipTypes: query.partnershipType,
          sdgs: query.sdg,
          publishedAfter: query.publishedAfter,
        },
      });
    } catch (error) {
      this.deps.log.error({ err: error, engine: engine.name }, 'search engine failed');
      throw new SearchUnavailable();
    }
    // The listing itself is read from the database: the index may lag a change by a moment, and
    // what is shown must be the listing's current public view.
    const rows = new Map((await listings.findManyWithOrganization(result.hits.map((hit) => hit.id))).map((row) => [row.listing.id, row]));
    const items = result.hits.flatMap((hit) => {
      const row = rows.get(hit.id);
      if (!row || !isLive(row.listing, now)) return [];
      return [{ ...toPublicListing(row.listing, row.organization), score: hit.score, highlights: hit.highlights }];
    });
    const facets = Object.fromEntries(FACET_FIELDS.map((field) => [field, result.facets[field] ?? {}])) as Record<(typeof FACET_FIELDS)[number], Record<string, number>>;
    return { items, total: result.total, limit: query.limit, offset: query.offset, facets, approximate: result.approximate ?? false };
  }

  /**
   * The published listings nearest to a text (any word may match, ranked), without the given ones:
   * the editors' possible duplicates. Internal: the caller decides what of each listing it shows.
   */
  async nearest(text: string, excludeIds: string[], limit: number) {
    const { engine, listings, clock } = this.deps;
    const now = clock.now();
    let result;
    try {
      result = await engine.search({ text, mode: 'any', filters: { validAt: now, excludeIds }, sort: 'relevance', limit, offset: 0 });
    } catch (error) {
      this.deps.log.error({ err: error, engine: engine.name }, 'search engine failed');
      throw new SearchUnavailable();
    }
    const rows = new Map((await listings.findManyWithOrganization(result.hits.map((hit) => hit.id))).map((row) => [row.listing.id, row]));
    return result.hits.flatMap((hit) => {
      const row = rows.get(hit.id);
      return row && isLive(row.listing, now) ? [{ ...row, score: hit.score }] : [];
    });
  }

  /**
   * Possible duplicates: the published listings nearest to this one by text (title, summary and
   * keywords), found by the search service, without the listing itself.
   */
  async possibleDuplicates(listing: Pick<ListingRow, 'id' | 'title' | 'summary' | 'keywords'>) {
    const text = [listing.title, listing.summary, listing.keywords.join(' ')].join(' ');
    const nearest = await this.nearest(text, [listing.id], DUPLICATE_CANDIDATES);
    return nearest.map(({ listing: found, organization, score }) => ({
      id: found.id,
      reference: found.reference,
      title: found.title,
      kind: found.kind,
      status: found.status,
      organizationName: organization.name,
      score,
    }));
  }

  async status() {
    const { engine, jobs, clock } = this.deps;
    const stats = await jobs.stats(SEARCH_QUEUE);
    let documents: number | null = null;
    let error: string | null = null;
    try {
      documents = await engine.count();
    } catch (cause) {
      error = safeErrorMessage(cause);
    }
    const lagMs = stats.oldestPendingAt ? Math.max(0, clock.now().getTime() - stats.oldestPendingAt.getTime()) : 0;
    return {
      engine: engine.name,
      available: error === null,
      error,
      documents,
      pendingJobs: stats.pending,
      failedJobs: stats.failed,
      oldestPendingAt: stats.oldestPendingAt,
      lastSyncAt: stats.lastDoneAt,
      lagSeconds: lagMs / 1000,
    };
  }

  /**
   * What admins see (the API's status and the admin page): the status, the published listings the
   * index should hold, and the rebuild under way if there is one (an older run may run again after
   * a retry), else the latest. Kept apart from `status`, which /health calls often.
   */
  async adminStatus() {
    const [status, published, run] = await Promise.all([
      this.status(),
      this.deps.listings.list(null, ZListingQuery.parse({ limit: 1 })),
      runs.currentRun(this.deps.db),
    ]);
    return { ...status, publishedListings: published.total, reindex: run ? toReindexRunView(run) : null };
  }

  /**
   * Admins: asks the worker to rebuild the whole index (a job, so it survives a restart and runs in
   * whichever process works the queue). One rebuild at a time.
   */
  async requestReindex(actor: Actor) {
    const { db, jobs, clock, audit } = this.deps;
    const busy = () => new Conflict('A rebuild of the search index is already under way', 'reindex_under_way');
    try {
      return await db.transaction(async (tx) => {
        if (await runs.findOpenRun(tx)) throw busy();
        const now = clock.now();
        const run = await runs.insertRun(tx, { status: 'queued', requestedById: actor.id, createdAt: now, updatedAt: now });
        await jobs.enqueue(tx, SEARCH_REINDEX_QUEUE, { runId: run.id }, { maxAttempts: 3 });
        await audit.record(tx, { actorId: actor.id, entityType: 'search_reindex', entityId: run.id, action: 'request' });
        return toReindexRunView(run);
      });
    } catch (error) {
      // Two admins at once: the one-open-run index lets only one through.
      if (isUniqueViolation(error)) throw busy();
      throw error;
    }
  }

  /** The rebuild queue: runs one rebuild, writing its progress on its run. */
  reindexQueueDefinition(): QueueDefinition {
    return {
      batchSize: 1,
      handler: async ([job]) => {
        const payload = ZReindexJobPayload.safeParse(job!.payload);
        if (!payload.success) return { failed: [{ id: job!.id, error: 'payload is not { runId: uuid }', permanent: true }] };
        const error = await this.runReindex(payload.data.runId);
        return { failed: error ? [{ id: job!.id, error, permanent: true }] : [] };
      },
      // An admin retrying the failed job runs the same rebuild again, unless another one is under way.
      onRetry: async (tx, job) => {
        const payload = ZReindexJobPayload.safeParse(job.payload);
        if (!payload.success || (await runs.findOpenRun(tx))) return;
        await runs.updateRun(tx, payload.data.runId, { status: 'queued', error: null, finishedAt: null, updatedAt: this.deps.clock.now() });
      },
    };
  }

  /** Runs a rebuild and records how it went; returns its error, or null when it succeeded. */
  private async runReindex(runId: string): Promise<string | null> {
    const { db, clock, log } = this.deps;
    const run = await runs.findRun(db, runId);
    // A run another worker finished, or one left failed because a newer rebuild was under way.
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return null;
    const started = clock.now();
    await runs.updateRun(db, runId, { status: 'running', indexed: 0, error: null, startedAt: started, updatedAt: started });
    // Progress is written in order, one write at a time, behind the rebuild (its callback is synchronous).
    let writes = Promise.resolve();
    const progress = (indexed: number, total: number) => {
      writes = writes.then(async () => {
        await runs.updateRun(db, runId, { indexed, total, updatedAt: clock.now() });
      });
    };
    try {
      const result = await this.reindex(progress);
      await writes;
      await runs.updateRun(db, runId, { status: 'done', indexed: result.indexed, finishedAt: clock.now(), updatedAt: clock.now() });
      return null;
    } catch (cause) {
      await writes.catch(() => undefined);
      const message = safeErrorMessage(cause);
      log.error({ err: cause, runId }, 'search index rebuild failed');
      await runs.updateRun(db, runId, { status: 'failed', error: message, finishedAt: clock.now(), updatedAt: clock.now() });
      return message;
    }
  }

  /**
   * Rebuilds the whole index from the database while search keeps answering. Changes made while it
   * runs may be overwritten by the copy it read earlier, so their index jobs are enqueued once more
   * at the end: each re-reads the listing's current state.
   */
  async reindex(onProgress?: (indexed: number, total: number) => void) {
    const { engine, listings, jobs, clock } = this.deps;
    const startedAt = clock.now();
    const now = startedAt;
    const { total } = await listings.list(null, ZListingQuery.parse({ limit: 1 }));
    async function* pages() {
      let afterId: string | null = null;
      for (;;) {
        const page = await listings.publishedWithOrganizationAfter(afterId, REINDEX_PAGE_SIZE);
        if (page.length === 0) return;
        afterId = page.at(-1)!.listing.id;
        yield page.filter(({ listing }) => isLive(listing, now)).map(({ listing, organization }) => toSearchDocument(listing, organization));
      }
    }
    onProgress?.(0, total);
    await engine.ensureReady();
    await engine.rebuild(pages(), (indexed) => onProgress?.(indexed, total));
    const replayed = (await jobs.payloadsSince(SEARCH_QUEUE, startedAt)).flatMap((payload) => {
      const parsed = ZSearchJobPayload.safeParse(payload);
      return parsed.success ? [parsed.data.listingId] : [];
    });
    for (const id of new Set(replayed)) await this.enqueue(this.deps.db, id);
    return { indexed: await engine.count(), replayed: replayed.length };
  }
}
