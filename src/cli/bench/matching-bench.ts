import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { listings } from '../../../drizzle/listings.js';
import { insertPublishedListings, prepareForMatching } from '../bulk-listings.js';
import { withScratchApp } from '../scratch-database.js';
import { generateDemoData, generateListings, type DemoListing } from '../demo-data/generator.js';

// `npm run bench:matching [-- --offers N --requests N --targets pglite,server --pglite-offers N --keep --reuse]`
//
// Loads N published offers and R published requests (the demo generator's realistic text) into a
// fresh database, indexes them with the configured engine (search.reindex) and analyses their text
// for matching (as the listing writes of a running service would have), then times
// GET /api/v1/listings/:id/matches for every request through the whole HTTP stack: p50/p95/p99.
// Targets: 'pglite' (embedded, fresh in memory) and 'server' (a fresh database on DATABASE_URL,
// dropped afterwards unless --keep: then it stays as ttm_bench_matching, and --reuse times the
// requests again on it without loading). Search runs on the PostgreSQL engine, or on Meilisearch
// when MEILI_HOST is set.

const SEED = 20260502;
const WARM_UP_REQUESTS = 10;

interface BenchOptions {
  offers: number;
  requests: number;
  pgliteOffers: number;
  targets: ('pglite' | 'server')[];
  keep: boolean;
  reuse: boolean;
}

const KEPT_DATABASE = 'ttm_bench_matching';

function parseOptions(argv: string[]): BenchOptions {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const offers = Number(value('offers') ?? 100_000);
  const targets = (value('targets') ?? (process.env.DATABASE_URL ? 'pglite,server' : 'pglite')).split(',') as BenchOptions['targets'];
  for (const target of targets) if (target !== 'pglite' && target !== 'server') throw new Error(`unknown target ${target}`);
  if (targets.includes('server') && !process.env.DATABASE_URL) throw new Error('target server needs DATABASE_URL');
  const reuse = argv.includes('--reuse');
  const keep = argv.includes('--keep') || reuse;
  if (keep && targets.includes('pglite')) throw new Error('--keep and --reuse need --targets server');
  return { offers, requests: Number(value('requests') ?? 200), pgliteOffers: Number(value('pglite-offers') ?? offers), targets, keep, reuse };
}

/** The listings to load: the first `offers` offers and `requests` requests of the generator's stream. */
function pickListings(offers: number, requests: number, organizationCount: number) {
  const picked: { offers: DemoListing[]; requests: DemoListing[] } = { offers: [], requests: [] };
  for (const listing of generateListings({ count: Number.MAX_SAFE_INTEGER, organizationCount, seed: SEED })) {
    const bucket = listing.kind === 'offer' ? picked.offers : picked.requests;
    const wanted = listing.kind === 'offer' ? offers : requests;
    if (bucket.length < wanted) bucket.push(listing);
    if (picked.offers.length >= offers && picked.requests.length >= requests) break;
  }
  return picked;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function benchTarget(target: 'pglite' | 'server', offers: number, requests: number, keep = false, reuse = false) {
  const log = (message: string) => process.stdout.write(`[${target}] ${message}\n`);
  const organizationCount = Math.max(50, Math.round(offers / 25));
  let started = performance.now();
  const data = pickListings(offers, requests, organizationCount);
  log(`generated ${data.offers.length} offers and ${data.requests.length} requests in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const meili = process.env.MEILI_HOST
    ? { MEILI_HOST: process.env.MEILI_HOST, MEILI_API_KEY: process.env.MEILI_API_KEY, MEILI_INDEX: 'bench_matching' }
    : {};
  return withScratchApp(target, meili, async (app) => {
    if (reuse) return timeRequests(app, target, await keptRequestIds(app), log);
    started = performance.now();
    const { organizations } = generateDemoData({ listings: 0, organizations: organizationCount, seed: SEED });
    const ids = await insertPublishedListings(
      app,
      organizations,
      [...data.offers, ...data.requests].map((listing) => ({
        ...listing,
        // Every listing is published within its validity year, so all of them are candidates.
        publishedDaysAgo: (listing.publishedDaysAgo ?? 30) % 330,
      })),
    );
    const requestIds = ids.slice(data.offers.length);
    log(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    const { indexed, analyzed } = await prepareForMatching(app);
    log(
      `indexed ${indexed} listings on ${app.services.search.engineName} and analysed ${analyzed} for matching in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    return timeRequests(app, target, requestIds, log);
  }, keep ? { keepAs: KEPT_DATABASE, reuse } : {});
}

/** The requests of a database kept by an earlier run, in the order they were loaded. */
async function keptRequestIds(app: FastifyInstance) {
  const rows = await app.database.db.select({ id: listings.id }).from(listings).where(eq(listings.kind, 'request')).orderBy(listings.createdAt, listings.reference);
  return rows.map((row) => row.id);
}

async function timeRequests(app: FastifyInstance, target: 'pglite' | 'server', requestIds: string[], log: (message: string) => void) {
  const timings: number[] = [];
  let returned = 0;
  for (const [index, id] of requestIds.entries()) {
    const start = performance.now();
    const response = await app.inject({ method: 'GET', url: `/api/v1/listings/${id}/matches?limit=20` });
    const elapsed = performance.now() - start;
    if (response.statusCode !== 200) throw new Error(`matches of ${id} answered ${response.statusCode}: ${response.body}`);
    if (index < WARM_UP_REQUESTS) continue;
    timings.push(elapsed);
    returned += (response.json() as { total: number }).total;
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const mean = timings.reduce((sum, t) => sum + t, 0) / timings.length;
  const result = {
    target,
    engine: app.services.search.engineName,
    offers: (await app.services.search.status()).documents! - requestIds.length,
    requests: timings.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean,
    matchesPerRequest: returned / timings.length,
  };
  log(
    `matches for ${result.requests} requests over ${result.offers} offers (${result.engine} engine, after ${WARM_UP_REQUESTS} warm-up): ` +
      `p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, mean ${mean.toFixed(1)} ms, ` +
      `${result.matchesPerRequest.toFixed(0)} ranked matches per request`,
  );
  return result;
}

export async function runMatchingBench(argv: string[]) {
  const options = parseOptions(argv);
  const results = [];
  for (const target of options.targets) {
    results.push(
      await benchTarget(target, target === 'pglite' ? options.pgliteOffers : options.offers, options.requests + WARM_UP_REQUESTS, options.keep, options.reuse),
    );
  }
  process.stdout.write('\n| database | engine | offers | requests timed | p50 ms | p95 ms | p99 ms | mean ms |\n|---|---|---|---|---|---|---|---|\n');
  for (const r of results) {
    process.stdout.write(`| ${r.target} | ${r.engine} | ${r.offers} | ${r.requests} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.mean.toFixed(1)} |\n`);
  }
}
