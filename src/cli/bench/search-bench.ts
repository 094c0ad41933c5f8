import { listingContentColumns } from '../bulk-listings.js';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { listings as listingsTable } from '../../../drizzle/listings.js';
import { organizations as organizationsTable } from '../../../drizzle/organizations.js';
import type { DatabaseHandle } from '../../db/client.js';
import { withScratchApp } from '../scratch-database.js';
import { addDays } from '../../lib/clock.js';
import { addMonths, VALIDITY_MONTHS } from '../../modules/listings/listing-lifecycle.js';
import { SEARCH_QUEUE } from '../../modules/search/search.service.js';
import { IPR_STATUSES, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../../modules/vocabularies/enums.js';
import { generateDemoData, generateListings, type DemoListing } from '../demo-data/generator.js';
import { mulberry32, pick, type Rng } from '../demo-data/prng.js';

// `npm run bench:search [-- --listings N --pglite-listings N --queries N --targets pglite,server --keep --reuse]`
//
// Generates N realistic published listings (the demo generator), bulk-inserts them into a fresh
// database, times a full index build (search.reindex) and the job path (1,000 listings re-synced
// through the queue), then sends a fixed mix of queries through the whole HTTP stack
// (GET /api/v1/search, facets and highlights included): p50/p95/p99 per kind of query and overall,
// and queries per second, one client at a time and CONCURRENCY at once.
// Targets: 'pglite' (embedded, in memory) and 'server' (a fresh database on DATABASE_URL, dropped
// afterwards unless --keep: then it stays as ttm_bench_search, e.g. to EXPLAIN ANALYZE queries on
// it, and --reuse runs only the queries against it, after migrating it).

const SEED = 20260603;
const QUERY_SEED = 7;
const INSERT_BATCH = 1000;
const WARM_UP_QUERIES = 50;
const SYNC_SAMPLE = 1000;
const CONCURRENCY = 8;
const SERVER_DATABASE = 'ttm_bench_search';

interface BenchOptions {
  listings: number;
  pgliteListings: number;
  queries: number;
  targets: ('pglite' | 'server')[];
  keep: boolean;
  reuse: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const count = (name: string, fallback: number) => {
    const parsed = Number(value(name) ?? fallback);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  const listings = count('listings', 100_000);
  const targets = (value('targets') ?? (process.env.DATABASE_URL ? 'pglite,server' : 'pglite')).split(',') as BenchOptions['targets'];
  for (const target of targets) if (target !== 'pglite' && target !== 'server') throw new Error(`unknown target ${target}`);
  if (targets.includes('server') && !process.env.DATABASE_URL) throw new Error('target server needs DATABASE_URL');
  const reuse = argv.includes('--reuse');
  if (reuse && targets.includes('pglite')) throw new Error('--reuse needs --targets server (a database kept with --keep)');
  return { listings, pgliteListings: count('pglite-listings', listings), queries: count('queries', 1000), targets, keep: argv.includes('--keep') || reuse, reuse };
}

type QueryKind = 'one word' | 'several words' | 'typo' | 'words + filters' | 'filters only' | 'empty, newest' | 'words, newest, page 3';

export interface BenchQuery {
  kind: QueryKind;
  params: Record<string, string>;
}

const STOPWORDS = new Set('a an and for from in into of on or the to with without by at as its their our low based new using'.split(' '));
const codes = (list: readonly { code: string }[]) => list.map((entry) => entry.code);

/** A plausible typing slip: two letters swapped, one dropped, one doubled or one replaced. */
function misspell(rng: Rng, word: string) {
  const at = 1 + Math.floor(rng() * (word.length - 2));
  switch (Math.floor(rng() * 4)) {
    case 0:
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    case 1:
      return word.slice(0, at) + word.slice(at + 1);
    case 2:
      return word.slice(0, at) + word[at] + word.slice(at);
    default:
      return word.slice(0, at) + 'aeiou'[Math.floor(rng() * 5)] + word.slice(at + 1);
  }
}

/** The fixed query mix, drawn from the words of the generated titles and keywords. */
export function queryMix(sample: DemoListing[], countries: string[], total: number): BenchQuery[] {
  const rng = mulberry32(QUERY_SEED);
  const frequency = new Map<string, number>();
  const phrases: string[][] = [];
  for (const listing of sample) {
    const words = `${listing.title} ${listing.keywords.join(' ')}`
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((word) => word.length >= 4 && !STOPWORDS.has(word));
    for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    const title = listing.title.toLowerCase().split(/[^a-z]+/).filter((word) => word.length >= 3 && !STOPWORDS.has(word));
    if (title.length >= 2) phrases.push(title);
  }
  const common = [...frequency].sort((a, b) => b[1] - a[1]).slice(0, 600).map(([word]) => word);
  const long = common.filter((word) => word.length >= 6);
  const filters = (): Record<string, string> => {
    const chosen: Record<string, string> = {};
    const options = [
      () => (chosen.sector = pick(rng, codes(SECTORS))),
      () => (chosen.country = pick(rng, countries)),
      () => (chosen.trlMin = String(3 + Math.floor(rng() * 5))),
      () => (chosen.stage = `${pick(rng, codes(STAGES))},${pick(rng, codes(STAGES))}`),
      () => (chosen.kind = rng() < 0.7 ? 'offer' : 'request'),
      () => (chosen.iprStatus = pick(rng, codes(IPR_STATUSES))),
      () => (chosen.partnershipType = pick(rng, codes(PARTNERSHIP_TYPES))),
      () => (chosen.sdg = String(1 + Math.floor(rng() * 17))),
    ];
    const n = 1 + Math.floor(rng() * 3);
    for (let i = 0; i < n; i++) pick(rng, options)();
    return chosen;
  };
  const phrase = () => {
    const words = pick(rng, phrases);
    const length = Math.min(words.length, 2 + Math.floor(rng() * 2));
    const start = Math.floor(rng() * (words.length - length + 1));
    return words.slice(start, start + length).join(' ');
  };
  const makers: [QueryKind, number, () => Record<string, string>][] = [
    ['one word', 25, () => ({ q: pick(rng, common) })],
    ['several words', 20, () => ({ q: phrase() })],
    ['typo', 15, () => ({ q: rng() < 0.5 ? misspell(rng, pick(rng, long)) : `${misspell(rng, pick(rng, long))} ${pick(rng, common)}` })],
    ['words + filters', 20, () => ({ q: rng() < 0.5 ? pick(rng, common) : phrase(), ...filters() })],
    ['filters only', 10, () => filters()],
    ['empty, newest', 5, () => ({})],
    ['words, newest, page 3', 5, () => ({ q: pick(rng, common), sort: 'newest', offset: '40' })],
  ];
  const weights = makers.reduce((sum, [, weight]) => sum + weight, 0);
  const queries: BenchQuery[] = [];
  for (const [kind, weight, make] of makers) {
    const n = Math.round((total * weight) / weights);
    for (let i = 0; i < n; i++) queries.push({ kind, params: make() });
  }
  // Interleaved, so no kind of query runs all at once with a warm cache.
  for (let i = queries.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [queries[i], queries[j]] = [queries[j]!, queries[i]!];
  }
  return queries.slice(0, total);
}

/** Inserts organisations and `count` published listings in bulk; returns the ids and a sample for the query mix. */
export async function load(database: DatabaseHandle, app: FastifyInstance, count: number) {
  const organizationCount = Math.max(50, Math.round(count / 20));
  const now = app.clock.now();
  const { organizations } = generateDemoData({ listings: 0, organizations: organizationCount, seed: SEED });
  const organizationIds: string[] = [];
  for (let start = 0; start < organizations.length; start += INSERT_BATCH) {
    const rows = organizations.slice(start, start + INSERT_BATCH).map((org) => ({ ...org, createdAt: now, updatedAt: now }));
    organizationIds.push(...(await database.db.insert(organizationsTable).values(rows).returning({ id: organizationsTable.id })).map((row) => row.id));
  }
  const author = await database.db.transaction((tx) =>
    app.services.users.createUser(tx, { email: 'bench@bench.example', name: 'Bench', password: 'bench-password-0000', role: 'member', organizationId: organizationIds[0]!, verified: true }),
  );
  const ids: string[] = [];
  const sample: DemoListing[] = [];
  let batch: DemoListing[] = [];
  let sequence = 0;
  const flush = async () => {
    const rows = batch.map((listing) => {
      // Every listing is published and within its validity year: all of them are searchable.
      const publishedAt = addDays(now, -((listing.publishedDaysAgo ?? 30) % 330));
      const organization = organizations[listing.organizationIndex]!;
      return {
        reference: `${listing.kind === 'offer' ? 'TO' : 'TR'}-${organization.country}-2026-S${sequence++}`,
        ...listingContentColumns(listing),
        status: 'published',
        organizationId: organizationIds[listing.organizationIndex]!,
        createdById: author.id,
        publishedAt,
        expiresAt: addMonths(publishedAt, VALIDITY_MONTHS),
        createdAt: publishedAt,
        updatedAt: publishedAt,
      };
    });
    ids.push(...(await database.db.insert(listingsTable).values(rows).returning({ id: listingsTable.id })).map((row) => row.id));
    batch = [];
  };
  for (const listing of generateListings({ count, organizationCount, seed: SEED })) {
    if (sample.length < 5000) sample.push(listing);
    batch.push(listing);
    if (batch.length >= INSERT_BATCH) await flush();
  }
  if (batch.length) await flush();
  return { ids, sample, countries: [...new Set(organizations.map((org) => org.country))] };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summary(timings: number[]) {
  const sorted = [...timings].sort((a, b) => a - b);
  const mean = timings.reduce((sum, t) => sum + t, 0) / timings.length;
  return { n: timings.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean };
}

async function runQuery(app: FastifyInstance, query: BenchQuery) {
  const start = performance.now();
  const response = await app.inject({ method: 'GET', url: '/api/v1/search', query: query.params });
  const elapsed = performance.now() - start;
  if (response.statusCode !== 200) throw new Error(`search ${JSON.stringify(query.params)} answered ${response.statusCode}: ${response.body}`);
  return { elapsed, total: (response.json() as { total: number }).total };
}

/** The listings the generator made for a database kept by an earlier run (for the query mix). */
function regenerateSample(count: number) {
  const organizationCount = Math.max(50, Math.round(count / 20));
  const { organizations } = generateDemoData({ listings: 0, organizations: organizationCount, seed: SEED });
  const sample: DemoListing[] = [];
  for (const listing of generateListings({ count: Math.min(count, 5000), organizationCount, seed: SEED })) sample.push(listing);
  return { sample, countries: [...new Set(organizations.map((org) => org.country))] };
}

async function benchTarget(target: 'pglite' | 'server', count: number, queryCount: number, keep: boolean, reuse: boolean) {
  const log = (message: string) => process.stdout.write(`[${target}] ${message}\n`);
  const meili = process.env.MEILI_HOST ? { MEILI_HOST: process.env.MEILI_HOST, MEILI_API_KEY: process.env.MEILI_API_KEY, MEILI_INDEX: 'bench_search' } : {};
  return withScratchApp(
    target,
    meili,
    async (app) => {
      const handle = app.database;
      let started = performance.now();
      let loadSeconds = 0;
      let indexSeconds = 0;
      let syncSeconds = 0;
      let sample: DemoListing[];
      let countries: string[];
      let listingCount = count;
      const resyncCount = Math.min(SYNC_SAMPLE, count);
      if (reuse) {
        ({ sample, countries } = regenerateSample(count));
        listingCount = await app.services.search.status().then((status) => status.documents ?? 0);
        log(`reusing ${SERVER_DATABASE}: ${listingCount} documents in the index`);
      } else {
        const loaded = await load(handle, app, count);
        ({ sample, countries } = loaded);
        listingCount = loaded.ids.length;
        loadSeconds = (performance.now() - started) / 1000;
        log(`generated and inserted ${listingCount} published listings in ${loadSeconds.toFixed(1)} s`);

        started = performance.now();
        const { indexed } = await app.services.search.reindex();
        indexSeconds = (performance.now() - started) / 1000;
        log(`indexed ${indexed} listings on ${app.services.search.engineName} in ${indexSeconds.toFixed(1)} s (${Math.round(indexed / indexSeconds)} listings/s)`);

        for (const id of loaded.ids.slice(0, resyncCount)) await app.services.search.enqueue(handle.db, id);
        started = performance.now();
        await app.services.jobs.drain(1000);
        syncSeconds = (performance.now() - started) / 1000;
        const left = (await app.services.jobs.stats(SEARCH_QUEUE)).pending;
        if (left > 0) throw new Error(`${left} search jobs left after the drain`);
        log(`re-synced ${resyncCount} listings through the job queue in ${syncSeconds.toFixed(2)} s (${Math.round(resyncCount / syncSeconds)} listings/s)`);
      }

      const queries = queryMix(sample, countries, queryCount);
      for (const query of queries.slice(0, WARM_UP_QUERIES)) await runQuery(app, query);
      const byKind = new Map<QueryKind, number[]>();
      const timings: number[] = [];
      const slowest: { elapsed: number; query: BenchQuery }[] = [];
      let hits = 0;
      started = performance.now();
      for (const query of queries) {
        const { elapsed, total } = await runQuery(app, query);
        timings.push(elapsed);
        slowest.push({ elapsed, query });
        hits += total;
        byKind.set(query.kind, [...(byKind.get(query.kind) ?? []), elapsed]);
      }
      const sequentialSeconds = (performance.now() - started) / 1000;
      const overall = summary(timings);
      log(
        `${queries.length} queries one at a time: p50 ${overall.p50.toFixed(1)} ms, p95 ${overall.p95.toFixed(1)} ms, p99 ${overall.p99.toFixed(1)} ms, ` +
          `${(queries.length / sequentialSeconds).toFixed(0)} queries/s, ${Math.round(hits / queries.length)} hits per query on average`,
      );
      for (const { elapsed, query } of slowest.sort((a, b) => b.elapsed - a.elapsed).slice(0, 5)) {
        log(`  slow: ${elapsed.toFixed(1)} ms ${query.kind}: ${JSON.stringify(query.params)}`);
      }
      for (const [kind, values] of byKind) {
        const s = summary(values);
        log(`  ${kind.padEnd(22)} n=${String(s.n).padStart(4)}  p50 ${s.p50.toFixed(1).padStart(6)} ms  p95 ${s.p95.toFixed(1).padStart(6)} ms  p99 ${s.p99.toFixed(1).padStart(6)} ms`);
      }

      started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < queries.length) await runQuery(app, queries[next++]!);
        }),
      );
      const concurrentQps = queries.length / ((performance.now() - started) / 1000);
      log(`${queries.length} queries, ${CONCURRENCY} at a time: ${concurrentQps.toFixed(0)} queries/s`);
      return {
        target,
        engine: app.services.search.engineName,
        listings: listingCount,
        loadSeconds,
        indexSeconds,
        syncPerSecond: syncSeconds > 0 ? resyncCount / syncSeconds : 0,
        ...overall,
        sequentialQps: queries.length / sequentialSeconds,
        concurrentQps,
        byKind: [...byKind].map(([kind, values]) => ({ kind, ...summary(values) })),
      };
    },
    keep ? { keepAs: SERVER_DATABASE, reuse } : {},
  );
}

export async function runSearchBench(argv: string[]) {
  const options = parseOptions(argv);
  const results = [];
  for (const target of options.targets) {
    results.push(await benchTarget(target, target === 'pglite' ? options.pgliteListings : options.listings, options.queries, options.keep, options.reuse));
  }
  const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |\n`;
  process.stdout.write(
    `\n${row(['database', 'engine', 'listings', 'full index', 'job sync', 'p50 ms', 'p95 ms', 'p99 ms', 'QPS (1 client)', `QPS (${CONCURRENCY} clients)`])}|---|---|---|---|---|---|---|---|---|---|\n`,
  );
  for (const r of results) {
    process.stdout.write(
      row([
        r.target,
        r.engine,
        r.listings,
        `${r.indexSeconds.toFixed(1)} s`,
        `${Math.round(r.syncPerSecond)}/s`,
        r.p50.toFixed(1),
        r.p95.toFixed(1),
        r.p99.toFixed(1),
        r.sequentialQps.toFixed(0),
        r.concurrentQps.toFixed(0),
      ]),
    );
  }
  process.stdout.write(`\n${row(['database', 'query kind', 'n', 'p50 ms', 'p95 ms', 'p99 ms'])}|---|---|---|---|---|---|\n`);
  for (const r of results) for (const k of r.byKind) process.stdout.write(row([r.target, k.kind, k.n, k.p50.toFixed(1), k.p95.toFixed(1), k.p99.toFixed(1)]));
}
