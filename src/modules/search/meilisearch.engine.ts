import { Meilisearch, MeilisearchApiError, type EnqueuedTaskPromise, type Hit, type Index, type SearchParams, type Task } from 'meilisearch';
import { buildMeiliFilter } from './meilisearch.filters.js';
import { meiliSettings, settingsChanges } from './meilisearch.settings.js';
import { parseQueryText, type ParsedQuery, type QueryTerm } from '../language/query-text.js';
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from './search.port.js';
import { escapeHtml } from '../../lib/html.js';

// The production engine. Every write waits for its task and checks how it ended: Meilisearch
// answers 202 at once and may fail the task later (a bad document, a full disk), and a job that
// returned then would be marked done while the index never changed.

const MARK_START = '\u0001';
const MARK_END = '\u0002';
const HIGHLIGHT_FIELDS = ['title', 'keywords', 'summary', 'description', 'details'] as const;
type HighlightField = (typeof HIGHLIGHT_FIELDS)[number];
const DOCUMENT_TASK_TIMEOUT_MS = 60_000;
const REBUILD_TASK_TIMEOUT_MS = 30 * 60_000;
const REBUILD_TASKS_IN_FLIGHT = 4;

/** What the index stores: dates as epoch milliseconds, so they filter and sort as numbers. */
interface MeiliDocument extends Omit<SearchDocument, 'publishedAt' | 'expiresAt'> {
  publishedAt: number;
  expiresAt: number;
}

export class MeilisearchTaskFailed extends Error {
  constructor(task: Task) {
    super(`Meilisearch task ${task.uid} (${task.type}) ${task.status}: ${task.error?.message ?? 'no reason given'}`);
    this.name = 'MeilisearchTaskFailed';
  }
}

export interface MeilisearchEngineOptions {
  host: string;
  apiKey?: string;
  index: string;
  /** Synonyms of the domain vocabulary (term → related terms). */
  synonyms?: Record<string, string[]>;
}

const stripMarkers = (text: string) => text.replaceAll(MARK_START, '').replaceAll(MARK_END, '');

function toMeiliDocument(document: SearchDocument): MeiliDocument {
  return {
    ...document,
    title: stripMarkers(document.title),
    summary: stripMarkers(document.summary),
    description: stripMarkers(document.description),
    details: stripMarkers(document.details),
    keywords: document.keywords.map(stripMarkers),
    publishedAt: document.publishedAt.getTime(),
    expiresAt: document.expiresAt.getTime(),
  };
}

/**
 * The query in Meilisearch's syntax, rebuilt from the parsed words (letters and digits only), so
 * nothing the user typed reaches Meilisearch as syntax. Meilisearch has no `or`: a query holding
 * one is sent with every word and the 'frequency' strategy (hits hold at least one word).
 */
export function toMeiliQuery(parsed: ParsedQuery): { text: string; hasAlternatives: boolean } {
  const render = (term: QueryTerm) => (term.kind === 'word' ? term.word : `"${term.words.join(' ')}"`);
  const positive = parsed.clauses.flat().map(render);
  const negative = parsed.excluded.map((term) => `-${render(term)}`);
  return { text: [...positive, ...negative].join(' '), hasAlternatives: parsed.clauses.some((clause) => clause.length > 1) };
}

export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch' as const;
  /** Meilisearch ranks every hit of a query, however many: no budget. */
  readonly anyWordHitBudget = null;
  private readonly client: Meilisearch;
  private ready: Promise<void> | null = null;

  constructor(private readonly options: MeilisearchEngineOptions) {
    this.client = new Meilisearch({
      host: options.host,
      apiKey: options.apiKey,
      timeout: 10_000,
      defaultWaitOptions: { timeout: DOCUMENT_TASK_TIMEOUT_MS, interval: 50 },
    });
  }

  private get index(): Index<MeiliDocument> {
    return this.client.index<MeiliDocument>(this.options.index);
  }

  private get settings() {
    return meiliSettings(this.options.synonyms ?? {});
  }

  /** Creates the index if missing and applies the settings that changed; once per process unless it fails. */
  ensureReady() {
    this.ready ??= this.prepare(this.options.index).catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private async prepare(uid: string) {
    if (!(await this.indexExists(uid))) await this.succeeded(this.client.createIndex(uid, { primaryKey: 'id' }));
    const index = this.client.index(uid);
    const changes = settingsChanges(this.settings, await index.getSettings());
    if (Object.keys(changes).length > 0) await this.succeeded(index.updateSettings(changes), REBUILD_TASK_TIMEOUT_MS);
  }

  private async indexExists(uid: string) {
    try {
      await this.client.getRawIndex(uid);
      return true;
    } catch (error) {
      if (error instanceof MeilisearchApiError && error.cause?.code === 'index_not_found') return false;
      throw error;
    }
  }

  /** Waits for the task and throws unless it succeeded. */
  private async succeeded(enqueued: EnqueuedTaskPromise, timeout = DOCUMENT_TASK_TIMEOUT_MS) {
    const task = await enqueued.waitTask({ timeout });
    if (task.status !== 'succeeded') throw new MeilisearchTaskFailed(task);
    return task;
  }

  async upsert(documents: SearchDocument[]) {
    if (documents.length === 0) return;
    await this.ensureReady();
    await this.succeeded(this.index.addDocuments(documents.map(toMeiliDocument), { primaryKey: 'id' }));
  }

  async remove(ids: string[]) {
    if (ids.length === 0) return;
    await this.ensureReady();
    await this.succeeded(this.index.deleteDocuments(ids));
  }

  async count() {
    await this.ensureReady();
    const stats = await this.index.getStats();
    return stats.numberOfDocuments;
  }

  /** Fills a new index, swaps it with the live one, then deletes the old: search never sees a gap. */
  async rebuild(batches: AsyncIterable<SearchDocument[]>, onProgress?: (indexed: number) => void) {
    await this.ensureReady();
    const live = this.options.index;
    const next = `${live}_tmp_${Date.now()}`;
    try {
      await this.succeeded(this.client.createIndex(next, { primaryKey: 'id' }));
      await this.succeeded(this.client.index(next).updateSettings(this.settings), REBUILD_TASK_TIMEOUT_MS);
      const inFlight: { task: EnqueuedTaskPromise; size: number }[] = [];
      let indexed = 0;
      const settleOldest = async () => {
        const oldest = inFlight.shift()!;
        await this.succeeded(oldest.task, REBUILD_TASK_TIMEOUT_MS);
        indexed += oldest.size;
        onProgress?.(indexed);
      };
      for await (const batch of batches) {
        if (batch.length === 0) continue;
        inFlight.push({ task: this.client.index<MeiliDocument>(next).addDocuments(batch.map(toMeiliDocument), { primaryKey: 'id' }), size: batch.length });
        if (inFlight.length >= REBUILD_TASKS_IN_FLIGHT) await settleOldest();
      }
      while (inFlight.length > 0) await settleOldest();
      await this.succeeded(this.client.swapIndexes([{ indexes: [live, next], rename: false }]));
    } finally {
      // After the swap `next` holds the old documents; after a failure, a half-filled copy.
      await this.client.deleteIndexIfExists(next);
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    await this.ensureReady();
    const parsed = parseQueryText(query.text);
    const { text, hasAlternatives } = toMeiliQuery(parsed);
    const hasText = parsed.clauses.length > 0;
    const params: SearchParams = {
      filter: buildMeiliFilter(query.filters),
      limit: query.limit,
      offset: query.offset,
      facets: query.facets ? [...query.facets] : undefined,
      matchingStrategy: query.mode === 'all' && !hasAlternatives ? 'all' : 'frequency',
      showRankingScore: true,
      sort: query.sort === 'newest' || !hasText ? ['publishedAt:desc'] : undefined,
      attributesToRetrieve: ['id'],
      ...(query.highlight && hasText
        ? {
            attributesToRetrieve: ['id', ...HIGHLIGHT_FIELDS],
            attributesToHighlight: [...HIGHLIGHT_FIELDS],
            attributesToCrop: ['description', 'details'],
            cropLength: 25,
            cropMarker: ' … ',
            highlightPreTag: MARK_START,
            highlightPostTag: MARK_END,
            showMatchesPosition: true,
          }
        : {}),
    };
    const response = await this.index.search(text, params);
    let top = response.hits[0]?._rankingScore ?? 0;
    if (query.offset > 0 && hasText && response.hits.length > 0) {
      const best = await this.index.search(text, { ...params, offset: 0, limit: 1, facets: undefined, attributesToHighlight: undefined, attributesToCrop: undefined, showMatchesPosition: false, attributesToRetrieve: ['id'] });
      top = best.hits[0]?._rankingScore ?? top;
    }
    const hits: SearchHit[] = response.hits.map((hit) => ({
      id: String(hit.id),
      score: hasText && top > 0 ? Math.min(1, (hit._rankingScore ?? 0) / top) : 0,
      highlights: query.highlight && hasText ? highlightsOf(hit) : {},
    }));
    const facets: SearchResult['facets'] = {};
    for (const field of query.facets ?? []) facets[field] = { ...(response.facetDistribution?.[field] ?? {}) };
    return { hits, total: response.estimatedTotalHits ?? hits.length, facets };
  }
}

function highlightsOf(hit: Hit<MeiliDocument>): SearchHit['highlights'] {
  const highlights: SearchHit['highlights'] = {};
  const matched = new Set(Object.keys(hit._matchesPosition ?? {}).map((path) => path.split('.')[0]));
  for (const field of HIGHLIGHT_FIELDS) {
    if (!matched.has(field)) continue;
    const value = hit._formatted?.[field as HighlightField];
    const text = Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '';
    if (text.includes(MARK_START)) {
      highlights[field] = escapeHtml(text.trim()).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>');
    }
  }
  return highlights;
}
