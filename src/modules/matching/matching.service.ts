import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { NotFound } from '../../lib/errors.js';
import type { WorkGate } from '../../lib/work-gate.js';
import type { Actor } from '../../plugins/auth.js';
import { z } from 'zod';
import type { Job, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { isLive } from '../listings/listings.rules.js';
import { toPublicListing, type ListingEvent, type ListingRow, type ListingService } from '../listings/listings.service.js';
import type { OrganizationRow } from '../organizations/organizations.service.js';
import type { SearchEngine } from '../search/search.port.js';
import type { ListingKind } from '../vocabularies/enums.js';
import { summarizeMatches } from './calibration.js';
import { candidateQueryText, candidateTermTexts } from './candidate-query.js';
import { toSearchFilters, type MatchFilters, type MatchQuery } from './matching.schemas.js';
import * as repo from './matching.repository.js';
import {
  analyzeListing,
  fromStoredFeatures,
  fullText,
  toStoredFeatures,
  type AnalyzedListing,
  type MatchProfile,
  type StoredFeatures,
} from './listing-analysis.js';
import { compareMatches, scoreMatch, type ScoredMatch } from './scoring.js';
import { lexicalRelevance } from './text-relevance.js';

/**
 * How many engine candidates are rescored. The engine's any-word ranking puts the answers a person
 * would pick well inside the first 60: on the labelled set, 100 score recall@10 0.956, MRR 0.868,
 * nDCG@10 0.830; 60 score 0.965 / 0.869 / 0.831; 40 score 0.941 / 0.871 / 0.828. With the query
 * budget scaled as for 100,000 listings 60 score 0.673 / 0.748 / 0.615. 60 cost 60 % of reading
 * and rescoring 100.
 */
export const CANDIDATE_LIMIT = 60;

/** Text analyses of listings written in bulk (imports), done after their transaction. */
export const MATCHING_ANALYSIS_QUEUE = 'matching-analysis';
const ZAnalysisJobPayload = z.object({ listingIds: z.array(z.uuid()).min(1) });
/** Listings per analysis job. */
const ANALYSIS_JOB_SIZE = 250;

export interface MatchingServiceDeps {
  db: Database;
  clock: Clock;
  listings: ListingService;
  /** The search engine in use: candidates come from it. */
  engine: SearchEngine;
  jobs: JobQueue;
  /** Bounds how many match requests run at once (503 past its queue); none: unbounded (CLIs). */
  gate?: WorkGate;
}

type ListingWithCountry = { listing: ListingRow; organization: Pick<OrganizationRow, 'country'> };
type ListingFacts = Awaited<ReturnType<ListingService['findFactsMany']>>[number];
type StoredRow = Awaited<ReturnType<typeof repo.findFeatures>>[number];

/** A listing's text as matching reads it (title, keywords, summary, description, details), for saved-search checks. */
export function listingText(listing: ListingRow, organization: Pick<OrganizationRow, 'country'>): string {
  return fullText(toMatchProfile(listing, organization));
}

export function toMatchProfile(listing: ListingRow, organization: Pick<OrganizationRow, 'country'>): MatchProfile {
  return {
    id: listing.id,
    kind: listing.kind as ListingKind,
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    details: (listing.kind === 'offer' ? listing.advantages : listing.specificationSought) ?? '',
    keywords: listing.keywords,
    sectors: listing.sectors,
    stage: listing.stage,
    trl: listing.trl,
    partnershipTypes: listing.partnershipTypes,
    targetCountries: listing.targetCountries,
    country: organization.country,
    publishedAt: listing.publishedAt,
  };
}

/** The profile of a candidate whose text is already analysed: scoring reads none of its text. */
function profileOfFacts(facts: ListingFacts): MatchProfile {
  return {
    id: facts.id,
    kind: facts.kind as ListingKind,
    title: '',
    summary: '',
    description: '',
    details: '',
    keywords: [],
    sectors: facts.sectors,
    stage: facts.stage,
    trl: facts.trl,
    partnershipTypes: facts.partnershipTypes,
    targetCountries: facts.targetCountries,
    country: facts.country,
    publishedAt: facts.publishedAt,
  };
}

/** Offers for a request, requests for an offer: ranked and explained. */
export class MatchingService {
  constructor(private readonly deps: MatchingServiceDeps) {}

  /** How many listings a candidate query may reach: the engine's budget (null: no limit). */
  get hitBudget(): number | null {
    return this.deps.engine.anyWordHitBudget;
  }

  /**
   * Matches of one listing. Anyone sees those of a published listing; its owner side sees them in
   * any status (a draft's owner checks the market before publishing), editors once it is submitted.
   */
  async matchesFor(actor: Actor | null, listingId: string, query: MatchQuery) {
    return this.deps.gate ? this.deps.gate.run(() => this.matchesNow(actor, listingId, query)) : this.matchesNow(actor, listingId, query);
  }

  private async matchesNow(actor: Actor | null, listingId: string, query: MatchQuery) {
    // The listing and its stored analysis at once: one round trip fewer before the candidates.
    const [[found], stored] = await Promise.all([
      this.deps.listings.findManyWithOrganization([listingId]),
      repo.findFeatures(this.deps.db, [listingId]),
    ]);
    const parties = found ? await this.deps.listings.partiesOf(actor, found.listing) : new Set<string>();
    if (!found || !(await this.deps.listings.isVisible(actor, found.listing))) throw new NotFound('Listing');
    const { limit, offset, ...filters } = query;
    // Leaving out the listing's own organisation tells whoever sees the answer who that
    // organisation is: only the owner side, who knows it, gets its colleagues' listings left out.
    const excludeOwnOrganization = parties.has('owner');
    const ranked = await this.rank(found.listing, found.organization, filters, this.hitBudget, stored, excludeOwnOrganization);
    const page = ranked.slice(offset, offset + limit);
    const rows = new Map((await this.deps.listings.findManyWithOrganization(page.map((match) => match.id))).map((row) => [row.listing.id, row]));
    const now = this.deps.clock.now();
    return {
      items: page.flatMap((match) => {
        const row = rows.get(match.id);
        // Withdrawn in the moment since it was ranked: not shown.
        if (!row || !isLive(row.listing, now)) return [];
        return [{ score: match.score, label: match.label, explanation: match.explanation, listing: toPublicListing(row.listing, row.organization) }];
      }),
      total: ranked.length,
      summary: summarizeMatches(
        ranked.map((match) => match.label),
        found.listing.kind === 'offer' ? 'request' : 'offer',
      ),
    };
  }

  /**
   * Ranks the live listings of the opposite kind as answers to `listing`: candidates from the search
   * engine (the listing's salient words and concepts, any word may match), then rescored locally.
   * The listing itself and anything not live are never returned, even when the index lags behind
   * the database; nor, with `excludeOwnOrganization` (for its owner side only), the listings of its
   * own organisation.
   */
  async rank(
    listing: ListingRow,
    organization: OrganizationRow,
    filters: MatchFilters = {},
    /** How many listings the candidate query may reach (the evaluation tries a smaller one). */
    budget = this.hitBudget,
    /** The listing's stored analysis, when the caller has read it already. */
    sourceStored?: StoredRow[],
    excludeOwnOrganization = true,
  ): Promise<ScoredMatch[]> {
    const now = this.deps.clock.now();
    const source = (await this.analyzed([{ listing, organization }], sourceStored)).byId.get(listing.id)!;
    const result = await this.candidates(listing, await this.queryFor(source, budget), filters, true, excludeOwnOrganization);
    if (result.hits.length === 0) return [];
    const engineScores = new Map(result.hits.map((hit) => [hit.id, hit.score]));
    const ids = [...engineScores.keys()];
    // Candidates are weighed on their structured fields and stored analyses; the long texts are
    // read only for the page shown (matchesFor), or to analyse one that has no current analysis.
    const [facts, stored] = await Promise.all([
      this.deps.listings.findFactsMany(ids),
      // Of a candidate's stems, scoring reads only those among the source's salient terms.
      repo.findFeatures(this.deps.db, ids, source.terms.map((term) => term.stem)),
    ]);
    const storedById = new Map(stored.map((row) => [row.listingId, row]));
    const candidates = new Map<string, AnalyzedListing>();
    const unanalysed: string[] = [];
    for (const fact of facts) {
      if (!isLive(fact, now) || fact.id === listing.id || fact.kind === listing.kind) continue;
      if (excludeOwnOrganization && fact.organizationId === listing.organizationId) continue;
      const restored = restore(profileOfFacts(fact), fact.version, storedById.get(fact.id));
      if (restored) candidates.set(fact.id, restored);
      else unanalysed.push(fact.id);
    }
    if (unanalysed.length) {
      const analysed = await this.analyzed(await this.deps.listings.findManyWithOrganization(unanalysed));
      for (const [id, candidate] of analysed.byId) candidates.set(id, candidate);
    }
    // Lexical relevance is relative to the other candidates (their share of each word): one pass over all.
    const lexical = lexicalRelevance(source, [...candidates.values()]);
    return [...candidates.values()]
      .map((candidate) => scoreMatch(source, candidate, now, engineScores.get(candidate.profile.id), lexical.get(candidate.profile.id)))
      .sort(compareMatches);
  }

  /** The text the engine is asked for candidates with (see candidateQueryText). */
  async candidateQuery(listing: ListingRow, organization: Pick<OrganizationRow, 'country'>, budget = this.hitBudget) {
    return this.queryFor((await this.analyzed([{ listing, organization }])).byId.get(listing.id)!, budget);
  }

  /** Weighed by how many listings of the kind sought each term reaches: those the engine will search. */
  private async queryFor(source: AnalyzedListing, budget: number | null) {
    const sought = source.profile.kind === 'offer' ? 'request' : 'offer';
    return candidateQueryText(source, await repo.termReach(this.deps.db, sought, candidateTermTexts(source)), budget);
  }

  /**
   * What the engine proposes for `listing` with this query text, in its order: live listings of the
   * opposite kind, not of the listing's own organisation unless `excludeOwnOrganization` is false
   * (also the evaluation's baselines, whose text is not a candidate query: `exactWords` false).
   */
  candidates(listing: ListingRow, text: string, filters: MatchFilters = {}, exactWords = true, excludeOwnOrganization = true) {
    return this.deps.engine.search({
      text,
      mode: 'any',
      // A candidate query's words are the listing's own, each held by a listing of the kind sought
      // (candidateQueryText): the engine need not look for typos in them.
      exactWords,
      filters: {
        ...toSearchFilters(filters),
        kind: listing.kind === 'offer' ? 'request' : 'offer',
        validAt: this.deps.clock.now(),
        excludeIds: [listing.id],
        ...(excludeOwnOrganization ? { excludeOrganizationIds: [listing.organizationId] } : {}),
      },
      sort: 'relevance',
      limit: CANDIDATE_LIMIT,
      offset: 0,
    });
  }

  /**
   * Analyses every published listing whose stored analysis is missing or stale (after a bulk load
   * or a vocabulary change), so the first requests do not pay for it. Returns how many it analysed.
   */
  async precomputeFeatures(pageSize = 500) {
    let afterId: string | null = null;
    let analyzed = 0;
    for (;;) {
      const page = await this.deps.listings.publishedWithOrganizationAfter(afterId, pageSize);
      if (page.length === 0) return analyzed;
      afterId = page[page.length - 1]!.listing.id;
      const versions = await repo.findFeatureVersions(this.deps.db, page.map((row) => row.listing.id));
      const current = new Map(versions.map((row) => [row.listingId, row.listingVersion]));
      const stale = page.filter((row) => current.get(row.listing.id) !== row.listing.version);
      if (stale.length) analyzed += (await this.analyzed(stale)).computed;
    }
  }

  /**
   * Many events of one transaction (an import). The texts created or edited are analysed by a job
   * after the transaction ('matching-analysis', like the search index's sync), so a bulk write pays
   * neither the analysis (milliseconds of CPU a listing) nor its writes; until the job has run, a
   * listing's matches analyse it on the spot (`analyzed`). The others only mark their stored
   * analysis current.
   */
  async onListingEvents(tx: Executor, events: ListingEvent[]) {
    if (events.length === 1) return this.onListingEvent(tx, events[0]!);
    const latest = new Map<string, ListingEvent>();
    const textChanged = new Set<string>();
    for (const event of events) {
      latest.set(event.listing.id, event);
      if (event.action === 'create' || event.action === 'update') textChanged.add(event.listing.id);
    }
    for (const [id, event] of latest) if (!textChanged.has(id)) await repo.markFeaturesCurrent(tx, id, event.listing.version);
    const ids = [...textChanged];
    const jobs = [];
    for (let start = 0; start < ids.length; start += ANALYSIS_JOB_SIZE) jobs.push({ payload: { listingIds: ids.slice(start, start + ANALYSIS_JOB_SIZE) } });
    await this.deps.jobs.enqueueMany(tx, MATCHING_ANALYSIS_QUEUE, jobs);
  }

  /** Analyses the listings each job names, those whose stored analysis is not of their current version. */
  queueDefinition(): QueueDefinition {
    return {
      batchSize: 2,
      handler: async (jobs: Job[]) => {
        const failed: { id: number; error: string }[] = [];
        const ids = new Set<string>();
        for (const job of jobs) {
          const payload = ZAnalysisJobPayload.safeParse(job.payload);
          if (payload.success) for (const id of payload.data.listingIds) ids.add(id);
          else failed.push({ id: job.id, error: 'payload is not { listingIds: uuid[] }' });
        }
        if (ids.size) await this.analyzed(await this.deps.listings.findManyWithOrganization([...ids]));
        return { failed };
      },
    };
  }

  /**
   * Keeps a listing's stored text analysis in step with it, in the change's transaction: analysed
   * again when its text may have changed, else only marked as of its new version (a status change).
   */
  async onListingEvent(tx: Executor, event: ListingEvent) {
    if (event.action !== 'create' && event.action !== 'update') {
      await repo.markFeaturesCurrent(tx, event.listing.id, event.listing.version);
      return;
    }
    // The stored analysis is of the text alone; the owner's country does not enter it.
    const analyzed = analyzeListing(toMatchProfile(event.listing, { country: '' }));
    await repo.saveFeatures(tx, [this.featuresRow(event.listing, analyzed)]);
  }

  /**
   * The listings' text analyses: stored ones when they are of the current content and vocabulary,
   * else analysed now and stored for next time (listings loaded in bulk, a changed vocabulary).
   */
  private async analyzed(rows: ListingWithCountry[], preloaded?: StoredRow[]) {
    const stored = new Map((preloaded ?? (await repo.findFeatures(this.deps.db, rows.map((row) => row.listing.id)))).map((row) => [row.listingId, row]));
    const result = new Map<string, AnalyzedListing>();
    const fresh: Parameters<typeof repo.saveFeatures>[1] = [];
    for (const { listing, organization } of rows) {
      const profile = toMatchProfile(listing, organization);
      const row = stored.get(listing.id);
      let analyzed = restore(profile, listing.version, row);
      if (!analyzed) {
        analyzed = analyzeListing(profile);
        fresh.push(this.featuresRow(listing, analyzed));
      }
      result.set(listing.id, analyzed);
    }
    if (fresh.length) await this.deps.db.transaction((tx) => repo.saveFeatures(tx, fresh));
    return { byId: result, computed: fresh.length };
  }

  private featuresRow(listing: ListingRow, analyzed: AnalyzedListing) {
    return {
      listingId: listing.id,
      listingVersion: listing.version,
      ...toStoredFeatures(analyzed),
      text: fullText(analyzed.profile),
      kind: listing.kind,
      computedAt: this.deps.clock.now(),
    };
  }

  /**
   * Scores listings as answers, each to its own `sources`, without the engine (alerts for
   * listings): the same rules as `rank`, with the local term overlap standing in for the engine's
   * score. The analyses of all the listings are read (or made) at once. One map of scores by
   * source id per pair, in order.
   */
  async scoreAsAnswers(pairs: readonly { candidate: ListingWithCountry; sources: readonly ListingWithCountry[] }[]) {
    const rows = new Map<string, ListingWithCountry>();
    for (const { candidate, sources } of pairs) for (const row of [candidate, ...sources]) rows.set(row.listing.id, row);
    const analyzed = (await this.analyzed([...rows.values()])).byId;
    const now = this.deps.clock.now();
    return pairs.map(({ candidate, sources }) => {
      const answer = analyzed.get(candidate.listing.id)!;
      return new Map(sources.map((source) => [source.listing.id, scoreMatch(analyzed.get(source.listing.id)!, answer, now)]));
    });
  }
}

/** A stored analysis, when it is of this version of the listing and of the current vocabulary. */
function restore(profile: MatchProfile, version: number, row: StoredRow | undefined): AnalyzedListing | null {
  if (!row || row.listingVersion !== version || !row.hasStems) return null;
  return fromStoredFeatures(profile, row.features as StoredFeatures, row.stems ?? []);
}
