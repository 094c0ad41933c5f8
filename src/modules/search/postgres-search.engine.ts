import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { searchable, TEXT_CONFIG } from '../../db/text-search.js';
import { queryRows, transactionalIndexReader, type Database, type Executor, type IndexReader, type RowReader } from '../../db/client.js';
import { listingFilterConditions, type FilterField } from '../listings/listings.filters.js';
import { FACET_FIELDS, type FacetField, type SearchDocument, type SearchEngine, type SearchFilters, type SearchHit, type SearchQuery, type SearchResult } from './search.port.js';
import { editDistance, parseQueryText, typoBudget, wordsOfQuery, type ParsedQuery, type QueryTerm } from '../language/query-text.js';
import type { ConceptVocabulary } from './query-expansion.js';
import { HIGHLIGHT_FIELDS, highlight, lexemesOf, type HighlightTexts } from './highlight.js';

// The built-in engine: a derived table (drizzle/search.ts) with a weighted tsvector, ranked by
// ts_rank_cd, with typo tolerance from a trigram-indexed vocabulary. Every user value reaches SQL as
// a bound parameter; the only SQL built from strings here are column names from constant tables.

// ts_rank_cd weights, in the order D, C, B, A: title A, keywords B, summary C, the rest D.
const RANK_WEIGHTS = sql.raw(`'{0.1, 0.25, 0.5, 1.0}'::float4[]`);
/** How much more a hit holding the query's words as one phrase counts. */
const PHRASE_FACTOR = 1.5;
const CORRECTIONS_PER_WORD = 3;
/**
 * Up to this many hits every hit is ranked and counted. The search box ('all') stops at 1,000: a
 * person reads the first pages, and above that the tier-and-date page of a broad query costs far
 * less. Candidate queries ('any', matching) are budgeted by their callers to fewer hits than
 * EXACT_LIMIT_ANY (anyWordHitBudget), because there the order of every candidate matters. A larger
 * limit gives better candidates at 100,000 listings and slower queries: see candidateQueryText.
 */
const EXACT_LIMIT = 1000;
const EXACT_LIMIT_ANY = 3000;
/**
 * The share of EXACT_LIMIT_ANY callers may budget an any-word query to, counting each term's hits
 * (anyWordHitBudget). The margin covers the sampled estimate that decides between exact and broad
 * (±10 % at 2,250 hits), typo corrections and the organisation names the index also holds.
 */
const ANY_WORD_BUDGET_SHARE = 0.75;
/** Hits ranked by cover density after a first ranking of every hit by term frequency (search box). */
const RESCORE_WINDOW = 200;
// 1/32 of 256 keys: sample_key < 8, the predicate of the sample's text index (drizzle/search.ts).
const SAMPLE_SHARE = 1 / 32;
/** sample_key is a byte of the listing id: 0..255. */
const SAMPLE_KEYS = 256;
const TYPO_CANDIDATES = 24;
const CORPUS_TTL_MS = 60_000;
const WORD_CACHE_SIZE = 5_000;
const WORD_CACHE_TTL_MS = 60_000;
/** Up to this many hits, facets are counted on every hit; beyond, on a uniform share of at least this many. */
const FACET_ROWS = 600;

/**
 * The facet fields whose values are lists, in facet_codes (drizzle/search.ts) written comma-joined.
 * The fields themselves come in the order of FACET_FIELDS.
 */
const LIST_FACETS: ReadonlySet<FacetField> = new Set(['sectors', 'targetCountries', 'partnershipTypes', 'sdgs']);

interface AnalysedWord {
  word: string;
  /** The word without accents, in lower case, as the vocabulary holds it. */
  normalized: string;
  /** False for stopwords, which the text search ignores. */
  meaningful: boolean;
  corrections: string[];
}

/** The tsqueries of one search, as SQL expressions. */
interface TextQuery {
  /** What a hit must match: literal words or their corrections and related terms. */
  match: SQL;
  /** The literal words only; hits matching it rank above those found through expansions. */
  literal: SQL;
  /** The words with their typo corrections, without related terms: what cover density ranks by. */
  rank: SQL;
  /** The clause words as one phrase, when there are several. */
  phrase: SQL | null;
  /** Every positive term and related term, for highlighting (its lexemes are marked in the hits). */
  highlight: SQL;
  /** Whether the query excludes words (-word). */
  excludes: boolean;
}


/** A bounded map whose entries expire; the least recently used entry goes first when it is full. */
class ExpiringCache<T> {
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (performance.now() - entry.at > this.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: T) {
    this.entries.delete(key);
    this.entries.set(key, { value, at: performance.now() });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  clear() {
    this.entries.clear();
  }
}

export interface PostgresSearchEngineOptions {
  /** How searches read the index (default: a transaction on `db` with sequential scans off). */
  reader?: IndexReader;
  /**
   * The domain vocabulary: documents are tagged with the concepts their text names, and a query
   * naming a concept also finds the documents tagged with it (below those holding its words).
   */
  vocabulary?: ConceptVocabulary;
  /** Up to this many hits, totals and facet counts are exact and every hit is ranked. */
  exactLimit?: number;
  /** Up to this many hits facets are counted on every hit; beyond, on a uniform share of at least this many. */
  facetRows?: number;
  /** How many of the hits ranked first by term frequency are ranked again by cover density. */
  rescoreWindow?: number;
  /** Share of the documents whose counts, scaled up, estimate totals and facets beyond exactLimit. */
  sampleShare?: number;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres' as const;
  readonly anyWordHitBudget: number;
  private corpus: { size: number; at: number } | null = null;
  /**
   * Query words as analysed against the vocabulary (normal form, stopword, corrections). A write
   * through this engine changes the vocabulary and clears it; entries also expire after a minute,
   * for writes by another process (a separate worker).
   */
  private readonly words = new ExpiringCache<AnalysedWord>(WORD_CACHE_SIZE, WORD_CACHE_TTL_MS);

  private readonly reader: IndexReader;

  constructor(
    private readonly db: Database,
    private readonly options: PostgresSearchEngineOptions = {},
  ) {
    this.reader = options.reader ?? transactionalIndexReader(db);
    this.anyWordHitBudget = Math.floor(ANY_WORD_BUDGET_SHARE * (options.exactLimit ?? EXACT_LIMIT_ANY));
  }

  async ensureReady() {
    // The tables come with the migrations; nothing to create or configure.
  }

  async upsert(documents: SearchDocument[]) {
    if (documents.length === 0) return;
    await this.db.transaction(async (tx) => {
      const ids = [...new Set(documents.map((d) => d.id))].sort();
      const old = await queryRows<{ words: string[] }>(
        tx,
        sql`select words from search_documents where listing_id in ${ids} order by listing_id for update`,
      );
      const written = await upsertRows(tx, documents, this.options.vocabulary);
      await adjustVocabulary(tx, written.map((row) => row.words), old.map((row) => row.words));
    });
    this.words.clear();
  }

  async remove(ids: string[]) {
    if (ids.length === 0) return;
    await this.db.transaction(async (tx) => {
      const removed = await queryRows<{ words: string[] }>(
        tx,
        sql`delete from search_documents where listing_id in ${[...new Set(ids)].sort()} returning words`,
      );
      await adjustVocabulary(tx, [], removed.map((row) => row.words));
    });
    this.words.clear();
  }

  async count() {
    const [row] = await queryRows<{ n: number | string }>(this.db, sql`select count(*)::int as n from search_documents`);
    return Number(row?.n ?? 0);
  }

  /**
   * Rewrites every document in place and then drops those the batches no longer hold, so search
   * keeps answering throughout and no lock is held for long. (A single transaction would also keep
   * search whole, but on PGlite, one connection, the batches could not be read meanwhile.)
   */
  async rebuild(batches: AsyncIterable<SearchDocument[]>, onProgress?: (indexed: number) => void) {
    const [start] = await queryRows<{ at: string }>(this.db, sql`select clock_timestamp()::text as at`);
    let indexed = 0;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      await upsertRows(this.db, batch, this.options.vocabulary);
      indexed += batch.length;
      onProgress?.(indexed);
    }
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`delete from search_documents where indexed_at < ${start!.at}::timestamptz`);
      await tx.execute(sql`delete from search_words`);
      await tx.execute(sql`
        insert into search_words (word, signature, documents)
        select w, ${signatureOf(sql`w`)}, count(*) from search_documents, unnest(words) as w group by w`);
    });
    this.words.clear();
    // Every row was rewritten: reclaim the old versions and mark pages all-visible, which lets
    // facet samples come from the covering index alone; refresh the planner's statistics.
    await this.db.execute(sql`vacuum (analyze) search_documents, search_words`);
  }

  /**
   * Three short statements rather than one clever one: the sample (size, density and, for broad
   * queries, the estimated counts), then either the exact path (every hit ranked and counted) or
   * the broad path (one page read in date order or through an index, whichever the sample says is
   * cheaper). Each statement gets a plan of its own instead of carrying the other path's.
   */
  search(query: SearchQuery): Promise<SearchResult> {
    // Every statement here has an index path; the reader plans with sequential scans off (see
    // IndexReader) so that the planner takes it.
    return this.reader.read((read) => this.searchIn(read, query));
  }

  private async searchIn(read: RowReader, query: SearchQuery): Promise<SearchResult> {
    const parsed = parseQueryText(query.text);
    const textQuery = await this.textQuery(read, parsed, query.mode, query.exactWords ?? false);
    const facets = query.facets ?? [];
    const exactLimit = this.options.exactLimit ?? (query.mode === 'any' ? EXACT_LIMIT_ANY : EXACT_LIMIT);
    const sampleShare = this.options.sampleShare ?? SAMPLE_SHARE;
    const facetRows = this.options.facetRows ?? FACET_ROWS;
    const sampleCut = Math.max(1, Math.round(sampleShare * SAMPLE_KEYS));
    // A literal, not a parameter: the planner matches it against the sample's partial text index
    // (sample_key < 8, the default share) only when it sees the number. Never from user input.
    const sampleBelow = sql.raw(String(sampleCut));
    const scale = SAMPLE_KEYS / sampleCut;
    const window = query.offset + query.limit;
    // The match conditions repeat the tsquery expression rather than read it from a CTE: a
    // condition on a constant expression is one the planner answers from the GIN index.
    const filters = filterConditions(query.filters, true);
    const inTsv = textQuery ? sql`d.tsv @@ ${textQuery.match}` : null;
    // Very broad queries rank by tier and date: hits holding the words in title, keywords or
    // summary first, newest first, so no query ever ranks tens of thousands of rows.
    const tiered = query.sort === 'relevance' && textQuery !== null;

    // The sample: how many of its documents match, and how many in title, keywords or summary.
    // Counts alone, from its own partial text indexes: no row is read where the visibility map
    // allows, and documents expired since the last sweep (at most an hour's) count, as estimates may.
    // With words, the sample's text index finds its few hits and the filters are tested on them:
    // the planner would otherwise intersect that index with a filter's, reading tens of thousands of
    // a filter's entries to spare a few hundred row fetches (BENCHMARKS.md, "Measurements behind the code").
    const sampleConditions = sql.join([...attributeFilters(query.filters, textQuery === null), ...(inTsv ? [inTsv] : []), sql`d.sample_key < ${sampleBelow}`], sql` and `);
    const highlighted = query.highlight && textQuery !== null;
    const [sample] = await read<{ match: string | null; highlight: string | null; hits: number | string; in_head: number | string }>(
      sql`
        select ${textQuery ? sql`(${textQuery.match})::text` : sql`null`} as match,
               ${highlighted ? sql`(${textQuery.highlight})::text` : sql`null`} as highlight,
               (select count(*) from search_documents d where ${sampleConditions}) as hits,
               ${textQuery ? sql`(select count(*) from search_documents d where ${sampleConditions} and d.head @@ ${textQuery.match})` : sql`0`} as in_head`,
    );
    const estimate = Number(sample?.hits ?? 0) * scale;
    const lexemes = highlighted ? lexemesOf(sample?.highlight ?? '') : null;
    // From here on the tsquery is a constant: a condition testing rows one by one would otherwise
    // evaluate its expression (a dozen function calls with related terms) again for every row.
    const match = sql`${sample?.match ?? ''}::tsquery`;
    const inTsvNow = textQuery ? sql`d.tsv @@ ${match}` : null;
    const conditionsNow = sql.join([...filters, ...(inTsvNow ? [inTsvNow] : [])], sql` and `);
    if (estimate <= exactLimit) {
      // Counting facets costs a few µs per hit and value, most of a 2,000-hit query: beyond
      // FACET_ROWS hits they are counted on a uniform share of them (at least FACET_ROWS) and scaled.
      const facetCut = Math.min(SAMPLE_KEYS, Math.max(1, Math.ceil((SAMPLE_KEYS * facetRows) / Math.max(estimate, 1))));
      return this.searchExactly(read, query, textQuery, conditionsNow, facets, facetCut, lexemes);
    }

    // Facets are counted on the sample's hits with the lowest keys, about facetRows of them:
    // counting costs a few µs per hit and value, and a larger share adds little precision. They do
    // not depend on the page: on a server they are counted on another connection meanwhile.
    const facetCut = Math.min(sampleCut, Math.max(1, Math.ceil((sampleCut * facetRows) / Math.max(Number(sample?.hits ?? 0), 1))));
    const counting =
      facets.length > 0
        ? read<{ facets: FacetCodes }>(
            sql`select ${facetCodes(
              facets,
              sql`search_documents d`,
              // As in the sample: with words, the sample's text index finds the rows and the filters
              // are tested on them (intersecting the two indexes costs more, as above).
              sql.join(
                [
                  ...filterConditions(query.filters, textQuery === null),
                  ...(inTsvNow ? [inTsvNow] : []),
                  sql`d.sample_key < ${sampleBelow} and d.sample_key < ${sql.raw(String(facetCut))}`,
                ],
                sql` and `,
              ),
            )} as facets`,
          )
        : Promise.resolve([]);
    // Awaited below; until then a failure must not count as unhandled.
    counting.catch(() => {});

    // Rows read in date order per hit of the page: corpus / hits; through the index: all hits.
    // The date order wins above sqrt(window × corpus), weighted by what testing a row costs there.
    const corpus = await this.corpusSize(read, query.filters, sampleBelow, scale);
    const excludes = textQuery?.excludes ?? false;
    const firstTier = tiered ? Number(sample?.in_head ?? 0) * scale : estimate;
    const testCost = !textQuery ? 0 : tiered && !excludes ? 1 : 5;
    const page = await this.broadPage(read, {
      query,
      filters,
      textTests: textQuery ? { match, excludes, tiered } : null,
      window,
      dense: firstTier >= Math.sqrt(testCost * window * corpus),
      // Enough of the newest rows to hold a page of hits at the sampled density, with room to spare.
      recentRows: Math.min(Math.ceil(corpus), Math.ceil((1.5 * window * corpus) / Math.max(firstTier, 1)) + 50),
    });
    const hits: SearchHit[] = page.map((hit) => ({ id: hit.listing_id, score: textQuery ? (hit.tier === 1 ? 1 : 0.5) : 0, highlights: {} }));
    if (lexemes && hits.length > 0) await this.addHighlights(read, hits, lexemes);
    const codes = (await counting)[0]?.facets ?? null;
    return { hits, total: Math.round(estimate), facets: facetMap(facets, codes, SAMPLE_KEYS / facetCut), approximate: true };
  }

  /**
   * How many documents the index holds, estimated from the sample's covering index and kept for a
   * minute: it only weighs reading by date against reading through the text index.
   */
  private async corpusSize(read: RowReader, filters: SearchFilters, sampleBelow: SQL, scale: number) {
    const now = performance.now();
    if (this.corpus && now - this.corpus.at < CORPUS_TTL_MS) return this.corpus.size;
    const [row] = await read<{ n: number | string }>(
      sql`select count(*) as n from search_documents d where d.sample_key < ${sampleBelow} and ${validAt(filters)}`,
    );
    this.corpus = { size: Number(row?.n ?? 0) * scale, at: now };
    return this.corpus.size;
  }

  /**
   * One page of a broad query's hits, newest first (tiered: title, keywords or summary hits first).
   * Dense hits: the newest rows are read through the date index and tested (head is inline and
   * cheap to test, tsv out of line and not: a head hit is a tsv hit, head being the start of tsv,
   * so tsv is tested only where head fails, or when the query excludes words). Sparse hits, or too
   * few among the newest rows: found through a GIN index and sorted.
   */
  private async broadPage(read: RowReader, options: {
    query: SearchQuery;
    filters: SQL[];
    textTests: { match: SQL; excludes: boolean; tiered: boolean } | null;
    window: number;
    dense: boolean;
    recentRows: number;
  }): Promise<{ listing_id: string; tier: number }[]> {
    const { query, filters, textTests, window } = options;
    const where = (conditions: SQL[]) => sql.join(conditions, sql` and `);
    if (!textTests) {
      return read(
        sql`select d.listing_id, 1 as tier from search_documents d where ${where(filters)}
            order by d.published_at desc nulls last, d.listing_id limit ${query.limit} offset ${query.offset}`,
      );
    }
    const { match, excludes, tiered } = textTests;
    const inHead = sql`d.head @@ ${match}`;
    const inTsv = sql`d.tsv @@ ${match}`;
    let first: { listing_id: string; published_at: string }[] = [];
    if (options.dense && !(tiered && !excludes)) {
      // Testing the out-of-line tsv row by row means decompressing it for each row. Instead: the
      // date of the recentRows-th newest document (from the date index alone), then the hits at or
      // after it from the text index, combined with a range of the date index, sorted.
      const [cutoff] = await read<{ published_at: string }>(
        sql`select d.published_at::text from search_documents d where ${validAt(query.filters)}
            order by d.published_at desc nulls last, d.listing_id offset ${options.recentRows - 1} limit 1`,
      );
      if (cutoff) {
        first = await read(
          sql`select d.listing_id, d.published_at from search_documents d
              where ${where([...filters, tiered ? sql`${inHead} and ${inTsv}` : inTsv, sql`d.published_at >= ${cutoff.published_at}::timestamptz`])}
              order by (d.published_at + interval '0 seconds') desc, d.listing_id limit ${window}`,
        );
      }
    } else if (options.dense) {
      first = await read(
        // The filters apply to the rows read, not inside: inside, the planner could fetch every
        // row the filters allow and sort them rather than walk the date index for a few thousand.
        sql`select d.listing_id, d.published_at from (
              select d.* from search_documents d where ${validAt(query.filters)}
              order by d.published_at desc nulls last, d.listing_id limit ${options.recentRows}
            ) as d
            where ${where([...filters, inHead])}
            order by d.published_at desc, d.listing_id limit ${window}`,
      );
    }
    if (first.length < window) {
      // `+ interval` (the same order) keeps the planner off the date index and its row-by-row tests.
      first = await read(
        sql`select d.listing_id, d.published_at from search_documents d
            where ${where([...filters, ...(tiered ? (excludes ? [inHead, inTsv] : [inHead]) : [inTsv])])}
            order by (d.published_at + interval '0 seconds') desc, d.listing_id limit ${window}`,
      );
    }
    let rest: { listing_id: string }[] = [];
    if (tiered && first.length < window) {
      rest = await read(
        sql`select d.listing_id from search_documents d
            where ${where([...filters, inTsv, sql`not (${inHead})`])}
            order by (d.published_at + interval '0 seconds') desc, d.listing_id limit ${window - first.length}`,
      );
    }
    return [...first.map((row) => ({ listing_id: row.listing_id, tier: 1 })), ...rest.map((row) => ({ listing_id: row.listing_id, tier: 0 }))].slice(
      query.offset,
      window,
    );
  }

  private async searchExactly(
    read: RowReader,
    query: SearchQuery,
    textQuery: TextQuery | null,
    conditions: SQL,
    facets: readonly FacetField[],
    /** Facets count the hits with sample_key below this (SAMPLE_KEYS: all of them). */
    facetCut: number,
    /** The query's lexemes to highlight, or null for no highlights. */
    lexemes: ReadonlySet<string> | null,
  ): Promise<SearchResult> {
    // Hits holding the words typed (in title, keywords or summary) come first; those found only
    // through a correction or a related term follow. Within a tier, cover density over title,
    // keywords and summary decides (boosted for the exact phrase); cd / (1 + cd) stays below 1 so
    // tiers never mix. A hit only in the description ranks by date within the lower tier.
    // Cover density costs several times what ts_rank (by term frequency) costs a hit (BENCHMARKS.md,
    // "Measurements behind the code"): every hit is ranked by ts_rank first, and the best RESCORE_WINDOW of them (at least down to the page asked for)
    // by cover density, as search engines rescore a window of their first results.
    const relevance = query.sort === 'relevance' && textQuery !== null;
    const phrase = textQuery?.phrase ? sql`(d.head @@ q.phrase)` : sql`false`;
    const frequency = textQuery
      ? sql`ts_rank(${RANK_WEIGHTS}, d.head, q.rank, 1) * (case when ${phrase} then ${sql.raw(String(PHRASE_FACTOR))} else 1 end)`
      : sql`0`;
    const tier = textQuery ? sql`(case when d.head @@ q.literal then 1 else 0 end)` : sql`0`;
    // Candidate queries ('any') are ranked again by their callers (matching weighs its 60 on concepts
    // and structure), so cover density orders only the hits they ask for: on the labelled set,
    // choosing matching's 60 by term frequency scored as well as by cover density over 200
    // (recall@10 0.965 / MRR 0.869 against 0.952 / 0.875), and it spares 140 re-read rows.
    const rescoreWindow = Math.max(this.options.rescoreWindow ?? (query.mode === 'any' ? 0 : RESCORE_WINDOW), query.offset + query.limit);
    const byRank = sql`rank desc, published_at desc, listing_id`;
    const byDate = sql`published_at desc, listing_id`;
    // The texts to highlight come with the page: one statement fewer. The hits are kept narrow
    // (ids, dates, ranks, facet codes): head, ~700 bytes, is read again for the rescored window
    // only, where copying it with every hit into the materialized list cost more than the lookups.
    const [row] = await read<{ total: number | string; max_rank: number | null; hits: ({ id: string; rank: number } & HighlightTexts)[]; facets: FacetCodes }>(
      sql`
        with q as materialized (
          select ${textQuery?.literal ?? sql`null::tsquery`} as literal,
                 ${textQuery?.rank ?? sql`null::tsquery`} as rank,
                 ${textQuery?.phrase ?? sql`null::tsquery`} as phrase
        ),
        m as materialized (
          select d.listing_id, d.published_at, d.sample_key, r.tier, r.tier + r.f / (1 + r.f) as rank,
                 ${relevance ? sql`${phrase} as in_phrase,` : sql``} ${facets.length > 0 ? sql`d.facet_codes` : sql`null as facet_codes`}
          from search_documents d, q, lateral (select ${tier} as tier, ${frequency} as f offset 0) as r
          where ${conditions}
        ),
        ${
          relevance
            ? sql`ranked as materialized (
                select t.listing_id, t.published_at, t.tier + r.cd / (1 + r.cd) as rank
                from (select * from m order by ${byRank} limit ${rescoreWindow}) as t
                     join search_documents d on d.listing_id = t.listing_id, q,
                     lateral (select ts_rank_cd(${RANK_WEIGHTS}, d.head, q.rank, 1)
                                     * (case when t.in_phrase then ${sql.raw(String(PHRASE_FACTOR))} else 1 end) as cd offset 0) as r
              )`
            : sql`ranked as (select listing_id, published_at, rank from m)`
        }
        select
          (select count(*) from m) as total,
          (select max(rank) from ranked) as max_rank,
          (select coalesce(json_agg(to_json(h) order by h.position), '[]'::json) from (
             select p.listing_id as id, p.rank, p.position${lexemes ? sql`, ${HIGHLIGHT_TEXTS}` : sql``}
             from (select listing_id, rank, row_number() over (order by ${relevance ? byRank : byDate}) as position
                   from ranked order by ${relevance ? byRank : byDate} limit ${query.limit} offset ${query.offset}) as p
             ${lexemes ? sql`join search_documents d on d.listing_id = p.listing_id` : sql``}
          ) as h) as hits,
          ${facetCodes(facets, sql`m`, facetCut < SAMPLE_KEYS ? sql`m.sample_key < ${facetCut}` : undefined)} as facets`,
    );
    const maxRank = Number(row?.max_rank ?? 0);
    const hits: SearchHit[] = (row?.hits ?? []).map((hit) => ({
      id: hit.id,
      score: textQuery && maxRank > 0 ? Math.min(1, hit.rank / maxRank) : 0,
      highlights: lexemes ? highlight(hit, lexemes) : {},
    }));
    const sampled = facetCut < SAMPLE_KEYS && facets.length > 0;
    return {
      hits,
      total: Number(row?.total ?? 0),
      facets: facetMap(facets, row?.facets ?? null, SAMPLE_KEYS / facetCut),
      ...(sampled ? { approximate: true } : {}),
    };
  }

  /** analyseWords, with the words analysed since the vocabulary last changed taken from memory. */
  private async analyse(read: RowReader, words: string[], correctable: Set<string>) {
    const keyOf = (word: string) => `${correctable.has(word) ? 'c' : 'n'}:${word}`;
    const result = new Map<string, AnalysedWord>();
    const missing: string[] = [];
    for (const word of words) {
      const cached = this.words.get(keyOf(word));
      if (cached) result.set(word, cached);
      else missing.push(word);
    }
    if (missing.length === 0) return result;
    for (const [word, analysed] of await analyseWords(read, missing, correctable)) {
      this.words.set(keyOf(word), analysed);
      result.set(word, analysed);
    }
    return result;
  }

  /** The tsqueries for the parsed text, or null when it holds no searchable word. */
  private async textQuery(read: RowReader, parsed: ParsedQuery, mode: SearchQuery['mode'], exactWords: boolean): Promise<TextQuery | null> {
    const words = wordsOfQuery(parsed);
    if (words.length === 0) return null;
    const correctable = new Set(parsed.clauses.flat().flatMap((term) => (term.kind === 'word' ? [term.word] : [])));
    // Words the index holds need no corrections, and a stopword among them only adds an empty
    // tsquery to the others: no statement to analyse them.
    const analysed = exactWords
      ? new Map(words.map((word) => [word, { word, normalized: word, meaningful: true, corrections: [] }]))
      : await this.analyse(read, words, correctable);
    const meaningful = (term: QueryTerm) =>
      (term.kind === 'word' ? [term.word] : term.words).some((word) => analysed.get(word)?.meaningful);
    const clauses = parsed.clauses.map((clause) => clause.filter(meaningful)).filter((clause) => clause.length > 0);
    const excluded = parsed.excluded.filter(meaningful);
    if (clauses.length === 0 && excluded.length === 0) return null;

    const literalTerm = (term: QueryTerm) =>
      term.kind === 'word'
        ? sql`plainto_tsquery(${TEXT_CONFIG}, ${searchable(term.word)})`
        : sql`phraseto_tsquery(${TEXT_CONFIG}, ${searchable(term.words.join(' '))})`;
    // Candidate queries ('any') find a quoted phrase through all of its words: the GIN index answers
    // that exactly, where one phrase would make PostgreSQL re-read and decompress the tsvector of
    // every hit (~1,500 for a matching query). Ranking still rewards the phrase itself.
    const matchTerm = (term: QueryTerm) =>
      mode === 'any' && term.kind === 'phrase' ? sql`plainto_tsquery(${TEXT_CONFIG}, ${searchable(term.words.join(' '))})` : literalTerm(term);
    const correctedTerm = (term: QueryTerm, first = literalTerm) => [
      first(term),
      ...(term.kind === 'word' ? (analysed.get(term.word)?.corrections ?? []) : []).map(
        (correction) => sql`plainto_tsquery(${TEXT_CONFIG}, ${correction})`,
      ),
    ];
    const any = (parts: SQL[]) => sql`(${sql.join(parts, sql` || `)})`;
    const combine = (parts: SQL[]) => sql`(${sql.join(parts, mode === 'all' ? sql` && ` : sql` || `)})`;
    const withExclusions = (positive: SQL | null) => {
      const negatives = excluded.map((term) => sql`!!${literalTerm(term)}`);
      return sql`(${sql.join([...(positive ? [positive] : []), ...negatives], sql` && `)})`;
    };
    // Each single-word clause as the user meant it: its first correction when it was misspelt.
    const intended = clauses.map((clause) => {
      const [only] = clause;
      if (clause.length > 1 || only?.kind !== 'word') return null;
      return analysed.get(only.word)?.corrections[0] ?? only.word;
    });
    const clauseMatches = clauses.map((clause) => any(clause.flatMap((term) => correctedTerm(term, matchTerm))));
    const clauseRanks = clauses.map((clause) => any(clause.flatMap((term) => correctedTerm(term))));
    // A concept named by consecutive words also matches through its related terms. In 'any' mode
    // (matching candidates) the caller already adds concept terms to the text.
    const spans = mode === 'all' && this.options.vocabulary ? this.options.vocabulary.expand(intended) : [];
    const groups: SQL[] = [];
    const highlightGroups: SQL[] = [];
    for (let i = 0; i < clauseMatches.length; ) {
      const span = spans.find((candidate) => candidate.start === i);
      if (!span) {
        groups.push(clauseMatches[i]!);
        highlightGroups.push(clauseMatches[i++]!);
        continue;
      }
      const words = sql`(${sql.join(clauseMatches.slice(i, i + span.length), sql` && `)})`;
      // The concept's tags: one index entry each. (ORing its related terms in instead made the GIN
      // index merge the long posting lists of their common words; BENCHMARKS.md has the figure.)
      groups.push(span.concepts.length ? any([words, sql`${conceptQuery(span.concepts)}::tsquery`]) : words);
      // What is highlighted in the hits: the related terms' words.
      highlightGroups.push(any([words, ...span.expansions.map((term) => sql`plainto_tsquery(${TEXT_CONFIG}, ${searchable(term)})`)]));
      i += span.length;
    }
    const positiveMatch = groups.length ? combine(groups) : null;
    const positiveLiteral = clauses.length ? combine(clauses.map((clause) => any(clause.map(literalTerm)))) : null;
    const positiveCorrected = clauses.length ? combine(clauseRanks) : null;
    const phraseWords = clauses.flatMap((clause, i) => {
      if (clause.length > 1) return [];
      const [only] = clause;
      return only!.kind === 'phrase' ? only!.words : [intended[i]!];
    });
    return {
      match: withExclusions(positiveMatch),
      literal: withExclusions(positiveLiteral),
      // Ranking by the related terms too would cost a pass per term over every hit's positions.
      rank: positiveCorrected ?? sql`''::tsquery`,
      phrase: mode === 'all' && phraseWords.length > 1 ? sql`phraseto_tsquery(${TEXT_CONFIG}, ${searchable(phraseWords.join(' '))})` : null,
      highlight: highlightGroups.length ? combine(highlightGroups) : sql`''::tsquery`,
      excludes: excluded.length > 0,
    };
  }

  private async addHighlights(read: RowReader, hits: SearchHit[], lexemes: ReadonlySet<string>) {
    const rows = await read<HighlightTexts & { listing_id: string }>(
      sql`select d.listing_id, ${HIGHLIGHT_TEXTS} from search_documents d where d.listing_id in ${hits.map((hit) => hit.id)}`,
    );
    const byId = new Map(rows.map((row) => [row.listing_id, row]));
    for (const hit of hits) {
      const row = byId.get(hit.id);
      if (row) hit.highlights = highlight(row, lexemes);
    }
  }
}

/** The highlighted fields of `d`, as columns named after them. */
const HIGHLIGHT_TEXTS = sql.join(
  HIGHLIGHT_FIELDS.map((field) => (field === 'keywords' ? sql`array_to_string(d.keywords, ', ') as keywords` : sql`d.${sql.identifier(field)}`)),
  sql`, `,
);

/** The letters of a word in a fixed order (SQL), so "soalr" and "solar" share it. */
function signatureOf(word: SQL) {
  return sql`array_to_string(array(select c from regexp_split_to_table(${word}, '') as c order by c collate "C"), '')`;
}

/**
 * Normalises the query's words in the database (the same unaccent as the index), tells stopwords
 * apart, and for words of the clauses the vocabulary does not know, fetches close words: trigram
 * neighbours through the GiST index and anagrams through the signature.
 */
async function analyseWords(read: RowReader, words: string[], correctable: Set<string>): Promise<Map<string, AnalysedWord>> {
  const rows = await read<{ word: string; normalized: string; meaningful: boolean; known: boolean; candidate: string | null; documents: number | null }>(
    sql`
      with input as (
        select t.word, t.correctable, lower(unaccent(t.word)) as normalized
        from jsonb_to_recordset(${JSON.stringify(words.map((word) => ({ word, correctable: correctable.has(word) })))}::jsonb)
          as t(word text, correctable boolean)
      ),
      analysed as (
        select i.*, numnode(plainto_tsquery(${TEXT_CONFIG}, i.normalized)) > 0 as meaningful,
               exists (select 1 from search_words w where w.word = i.normalized) as known
        from input i
      )
      select a.word, a.normalized, a.meaningful, a.known, c.word as candidate, c.documents
      from analysed a
      left join lateral (
        (select w.word, w.documents from search_words w
          where a.correctable and a.meaningful and not a.known and length(a.normalized) >= 5
          order by w.word <-> a.normalized limit ${TYPO_CANDIDATES})
        union
        (select w.word, w.documents from search_words w
          where a.correctable and a.meaningful and not a.known and length(a.normalized) >= 5
            and w.signature = ${signatureOf(sql`a.normalized`)})
      ) as c on true`,
  );
  const result = new Map<string, AnalysedWord>();
  const candidates = new Map<string, { word: string; documents: number }[]>();
  for (const row of rows) {
    if (!result.has(row.word)) {
      result.set(row.word, { word: row.word, normalized: row.normalized, meaningful: row.meaningful, corrections: [] });
    }
    if (row.candidate) candidates.set(row.word, [...(candidates.get(row.word) ?? []), { word: row.candidate, documents: Number(row.documents) }]);
  }
  for (const [word, options] of candidates) {
    const analysed = result.get(word)!;
    const budget = typoBudget(analysed.normalized);
    const scored = options
      .map((option) => ({ ...option, distance: editDistance(analysed.normalized, option.word, budget) }))
      .filter((option) => option.distance <= budget);
    const best = Math.min(...scored.map((option) => option.distance));
    analysed.corrections = scored
      .filter((option) => option.distance === best)
      .sort((a, b) => b.documents - a.documents || a.word.localeCompare(b.word))
      .slice(0, CORRECTIONS_PER_WORD)
      .map((option) => option.word);
  }
  return result;
}

/**
 * Whether a document is still valid. The sweep removes expired listings, so this almost never
 * excludes anything: written so that no index can answer it (`+ interval`), or the planner would
 * combine an index range over nearly every row with the selective ones.
 */
function validAt(filters: SearchFilters) {
  return sql`(d.expires_at + interval '0 seconds') > ${filters.validAt.toISOString()}::timestamptz`;
}

function filterConditions(filters: SearchFilters, indexable: boolean): SQL[] {
  return [validAt(filters), ...attributeFilters(filters, indexable)];
}

/**
 * The filters on the documents' fields (all but validity). Not indexable: written on expressions
 * of the columns (the same values), which no index answers, so they are tested on the rows found.
 */
function attributeFilters(filters: SearchFilters, indexable: boolean): SQL[] {
  const text = (column: string) => (indexable ? sql.raw(`d.${column}`) : sql.raw(`(d.${column} || '')`));
  const array = (column: string, type: string) => (indexable ? sql.raw(`d.${column}`) : sql.raw(`(d.${column} || array[]::${type}[])`));
  const columns: Record<FilterField, SQL> = {
    kind: text('kind'),
    sectors: array('sectors', 'text'),
    country: text('country'),
    targetCountries: array('target_countries', 'text'),
    stage: text('stage'),
    trl: indexable ? sql.raw('d.trl') : sql.raw('(d.trl + 0)'),
    iprStatus: text('ipr_status'),
    partnershipTypes: array('partnership_types', 'text'),
    sdgs: array('sdgs', 'smallint'),
    publishedAt: indexable ? sql.raw('d.published_at') : sql.raw(`(d.published_at + interval '0 seconds')`),
  };
  const conditions = listingFilterConditions(filters, (field) => columns[field]);
  if (filters.excludeIds?.length) conditions.push(sql`d.listing_id not in ${filters.excludeIds}`);
  if (filters.excludeOrganizationIds?.length) conditions.push(sql`d.organization_id not in ${filters.excludeOrganizationIds}`);
  return conditions;
}

/** The facet_codes of every counted hit, joined by ';' (null when none). */
type FacetCodes = string | null;

/** A document's facet values as facet_codes holds them (the format of migration 0005). */
function facetCodesOf(document: SearchDocument): string {
  const values: Record<FacetField, string> = {
    kind: document.kind,
    sectors: document.sectors.join(','),
    country: document.country,
    targetCountries: document.targetCountries.join(','),
    stage: document.stage,
    iprStatus: document.iprStatus,
    partnershipTypes: document.partnershipTypes.join(','),
    sdgs: document.sdgs.join(','),
    trl: String(document.trl),
  };
  return FACET_FIELDS.map((field) => values[field]).join('|');
}

/**
 * The counted hits' facet_codes as one string, counted in JavaScript: one aggregate over one
 * column, cheaper than a GROUP BY per facet or one string aggregate per column (BENCHMARKS.md,
 * "Measurements behind the code"). `where`: which of the source's rows count (all when absent).
 */
function facetCodes(facets: readonly FacetField[], source: SQL, where?: SQL): SQL {
  if (facets.length === 0) return sql`null::text`;
  return sql`(select string_agg(facet_codes, ';') from ${source}${where ? sql` where ${where}` : sql``})`;
}

const SEMICOLON = 59;
const BAR = 124;
const COMMA = 44;
const LIST_FIELD = FACET_FIELDS.map((field) => LIST_FACETS.has(field));

/**
 * Counts the values of facet codes in one pass over the string: the hits of a broad query bring
 * ~10,000 values, and splitting each hit and field into arrays first took twice as long.
 */
function facetMap(facets: readonly FacetField[], codes: FacetCodes, scale: number): SearchResult['facets'] {
  const counts = FACET_FIELDS.map(() => new Map<string, number>());
  const text = codes ?? '';
  let field = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const char = i < text.length ? text.charCodeAt(i) : SEMICOLON;
    if (char !== BAR && char !== SEMICOLON && !(char === COMMA && LIST_FIELD[field])) continue;
    if (i > start) {
      const value = text.slice(start, i);
      const count = counts[field]!;
      count.set(value, (count.get(value) ?? 0) + 1);
    }
    start = i + 1;
    if (char === BAR) field++;
    else if (char === SEMICOLON) field = 0;
  }
  const result: SearchResult['facets'] = {};
  for (const field of facets) {
    const count = counts[FACET_FIELDS.indexOf(field)]!;
    result[field] = Object.fromEntries([...count].map(([value, n]) => [value, Math.round(n * scale)]));
  }
  return result;
}

/** A concept's tag: a lexeme no text can produce (the parser splits words at ':'). */
function conceptLexeme(id: string) {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`concept id ${JSON.stringify(id)} is not kebab-case`);
  return `concept:${id}`;
}

/** tsquery text matching any of the concepts' tags (ids from the vocabulary, never from input). */
function conceptQuery(ids: string[]) {
  return ids.map((id) => `'${conceptLexeme(id)}'`).join(' | ');
}

/**
 * Writes documents with their tsvector, concept tags and word list; returns the words each now
 * holds. Tags of concepts named in title, keywords or summary go into head (a related-term hit
 * there ranks with the head hits of broad queries), the others into the rest of tsv.
 */
async function upsertRows(db: Executor, documents: SearchDocument[], vocabulary?: ConceptVocabulary) {
  const tags = (text: string) => (vocabulary ? vocabulary.conceptsIn(text).map(conceptLexeme) : []);
  const unique = new Map(documents.map((document) => [document.id, document]));
  const payload = [...unique.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((d) => ({
      listing_id: d.id,
      reference: d.reference,
      kind: d.kind,
      title: d.title,
      summary: d.summary,
      description: d.description,
      details: d.details,
      keywords: d.keywords,
      sectors: d.sectors,
      country: d.country,
      target_countries: d.targetCountries,
      stage: d.stage,
      trl: d.trl,
      ipr_status: d.iprStatus,
      partnership_types: d.partnershipTypes,
      sdgs: d.sdgs,
      facet_codes: facetCodesOf(d),
      organization_name: d.organizationName,
      organization_id: d.organizationId,
      published_at: d.publishedAt.toISOString(),
      expires_at: d.expiresAt.toISOString(),
      // Fields apart (a new line breaks a term), so no term is read across two of them.
      head_concepts: tags([d.title, d.keywords.join('\n'), d.summary].join('\n')),
      body_concepts: tags([d.description, d.details].join('\n')),
    }));
  return queryRows<{ words: string[] }>(
    db,
    sql`
      insert into search_documents (
        listing_id, reference, kind, title, summary, description, details, keywords, sectors, country, target_countries,
        stage, trl, ipr_status, partnership_types, sdgs, facet_codes, organization_name, organization_id, published_at, expires_at,
        words, tsv, head, sample_key, indexed_at)
      select x.listing_id, x.reference, x.kind, x.title, x.summary, x.description, x.details, x.keywords, x.sectors, x.country,
        x.target_countries, x.stage, x.trl, x.ipr_status, x.partnership_types, x.sdgs, x.facet_codes, x.organization_name, x.organization_id,
        x.published_at, x.expires_at,
        array(
          select distinct w from regexp_split_to_table(lower(concat_ws(' ', u.title, u.keywords, u.summary, u.body)), '[^[:alpha:]]+') as w
          where length(w) between 5 and 40
        ),
        h.head || setweight(to_tsvector(${TEXT_CONFIG}, u.body), 'D') || setweight(array_to_tsvector(x.body_concepts), 'D'),
        h.head,
        get_byte(uuid_send(x.listing_id), 15),
        clock_timestamp()
      from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as x(
        listing_id uuid, reference text, kind text, title text, summary text, description text, details text, keywords text[],
        sectors text[], country text, target_countries text[], stage text, trl smallint, ipr_status text,
        partnership_types text[], sdgs smallint[], facet_codes text, organization_name text, organization_id uuid,
        published_at timestamptz, expires_at timestamptz, head_concepts text[], body_concepts text[])
      cross join lateral (
        select ${searchable(sql`x.title`)} as title, ${searchable(sql`array_to_string(x.keywords, ' ')`)} as keywords,
               ${searchable(sql`x.summary`)} as summary,
               ${searchable(sql`concat_ws(' ', x.description, x.details, x.organization_name)`)} as body
        offset 0) as u
      cross join lateral (
        select setweight(to_tsvector(${TEXT_CONFIG}, u.title), 'A')
            || setweight(to_tsvector(${TEXT_CONFIG}, u.keywords), 'B')
            || setweight(to_tsvector(${TEXT_CONFIG}, u.summary), 'C')
            || setweight(array_to_tsvector(x.head_concepts), 'A') as head
        offset 0) as h
      on conflict (listing_id) do update set
        reference = excluded.reference, kind = excluded.kind, title = excluded.title, summary = excluded.summary,
        description = excluded.description, details = excluded.details, keywords = excluded.keywords,
        sectors = excluded.sectors, country = excluded.country, target_countries = excluded.target_countries,
        stage = excluded.stage, trl = excluded.trl, ipr_status = excluded.ipr_status,
        partnership_types = excluded.partnership_types, sdgs = excluded.sdgs, facet_codes = excluded.facet_codes, organization_name = excluded.organization_name,
        organization_id = excluded.organization_id, published_at = excluded.published_at, expires_at = excluded.expires_at,
        words = excluded.words, tsv = excluded.tsv, head = excluded.head, sample_key = excluded.sample_key,
        indexed_at = excluded.indexed_at
      returning words`,
  );
}

/** Moves the vocabulary's document counts from the old word lists to the new ones. */
async function adjustVocabulary(tx: Executor, added: string[][], removed: string[][]) {
  const delta = new Map<string, number>();
  for (const words of added) for (const word of words) delta.set(word, (delta.get(word) ?? 0) + 1);
  for (const words of removed) for (const word of words) delta.set(word, (delta.get(word) ?? 0) - 1);
  const changes = [...delta].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (changes.length === 0) return;
  const payload = JSON.stringify(changes.map(([word, n]) => ({ word, n })));
  // Sorted, so concurrent workers lock the same words in the same order and never deadlock.
  await tx.execute(sql`
    insert into search_words (word, signature, documents)
    select x.word, ${signatureOf(sql`x.word`)}, x.n from jsonb_to_recordset(${payload}::jsonb) as x(word text, n int)
    order by x.word
    on conflict (word) do update set documents = search_words.documents + excluded.documents`);
  const decreased = changes.filter(([, n]) => n < 0).map(([word]) => word);
  if (decreased.length) await tx.execute(sql`delete from search_words where word in ${decreased} and documents <= 0`);
}
