import { performance } from 'node:perf_hooks';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { withScratchApp } from '../scratch-database.js';
import { load, queryMix, summary, type BenchQuery } from './search-bench.js';

// `npm run bench:web [-- --listings N --queries N]`
//
// The search page against GET /api/v1/search on the same database, the same queries and the same
// run: each query is asked of both, alternating which goes first, through the whole HTTP stack
// (app.inject). Reports p50/p95/p99 of each and the p95 ratio (budget: the page within 1.25× the
// API). Then the page weight budgets: the JavaScript and CSS each page loads, compressed.
// Runs on an in-memory PGlite database (the embedded default).

const WARM_UP = 50;

function parse(argv: string[]) {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    const parsed = Number(index >= 0 ? argv[index + 1] : fallback);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer`);
    return parsed;
  };
  return { listings: value('listings', 20_000), queries: value('queries', 500) };
}

async function timed(app: FastifyInstance, url: string, headers: Record<string, string>) {
  const start = performance.now();
  const response = await app.inject({ method: 'GET', url, headers });
  const elapsed = performance.now() - start;
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}`);
  return elapsed;
}

const queryString = (query: BenchQuery) => new URLSearchParams(query.params).toString();

/** The scripts and stylesheets a page links, fetched and compressed as the service serves them. */
async function pageWeight(app: FastifyInstance, url: string) {
  const html = (await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })).body;
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
  let js = { raw: 0, gzip: 0, brotli: 0 };
  let css = { raw: 0, gzip: 0, brotli: 0 };
  for (const asset of assets) {
    const body = (await app.inject({ method: 'GET', url: asset })).rawPayload;
    const sizes = { raw: body.length, gzip: gzipSync(body).length, brotli: brotliCompressSync(body).length };
    const add = (into: typeof js) => ({ raw: into.raw + sizes.raw, gzip: into.gzip + sizes.gzip, brotli: into.brotli + sizes.brotli });
    if (asset.endsWith('.js')) js = add(js);
    else css = add(css);
  }
  return { url, js, css, html: { raw: html.length, gzip: gzipSync(html).length } };
}

export async function runWebBench(argv: string[]) {
  const options = parse(argv);
  await withScratchApp('pglite', {}, async (app) => {
    let started = performance.now();
    const loaded = await load(app.database, app, options.listings);
    await app.services.search.reindex();
    process.stdout.write(`loaded and indexed ${loaded.ids.length} listings in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    const queries = queryMix(loaded.sample, loaded.countries, options.queries);
    const api = (query: BenchQuery) => timed(app, `/api/v1/search?${queryString(query)}`, {});
    const page = (query: BenchQuery) => timed(app, `/search?${queryString(query)}`, { accept: 'text/html' });
    for (const query of queries.slice(0, WARM_UP)) {
      await api(query);
      await page(query);
    }
    const apiTimes: number[] = [];
    const pageTimes: number[] = [];
    started = performance.now();
    for (const [index, query] of queries.entries()) {
      if (index % 2 === 0) {
        apiTimes.push(await api(query));
        pageTimes.push(await page(query));
      } else {
        pageTimes.push(await page(query));
        apiTimes.push(await api(query));
      }
    }
    const a = summary(apiTimes);
    const p = summary(pageTimes);
    const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |\n`;
    process.stdout.write(`\n${queries.length} queries, each to both, in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);
    process.stdout.write(`${row(['listings', 'route', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms'])}|---|---|---|---|---|---|\n`);
    process.stdout.write(row([loaded.ids.length, 'GET /api/v1/search', a.p50.toFixed(1), a.p95.toFixed(1), a.p99.toFixed(1), a.mean.toFixed(1)]));
    process.stdout.write(row([loaded.ids.length, 'GET /search (page)', p.p50.toFixed(1), p.p95.toFixed(1), p.p99.toFixed(1), p.mean.toFixed(1)]));
    process.stdout.write(`\np95 page / p95 API = ${(p.p95 / a.p95).toFixed(3)} (budget 1.25)\n\n`);

    const listing = (await app.services.listings.list(null, { limit: 1, offset: 0, sort: 'newest' } as never)).items[0]!;
    process.stdout.write(`${row(['page', 'JS raw', 'JS gzip', 'JS brotli', 'CSS raw', 'CSS gzip', 'CSS brotli', 'HTML gzip'])}|---|---|---|---|---|---|---|---|\n`);
    for (const url of ['/', '/search?q=solar', `/listings/${listing.reference}`, '/login', '/tech-monitor']) {
      const w = await pageWeight(app, url);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      process.stdout.write(row([url.replace(/\/listings\/.*/, '/listings/:reference'), kb(w.js.raw), kb(w.js.gzip), kb(w.js.brotli), kb(w.css.raw), kb(w.css.gzip), kb(w.css.brotli), kb(w.html.gzip)]));
    }
  });
}
