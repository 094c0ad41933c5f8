import { openDatabase } from './src/db/client.ts';
import { PostgresSearchEngine } from './src/modules/search/postgres-search.engine.ts';
import { conceptExpander } from './src/modules/search/query-expansion.ts';
import { FACET_FIELDS } from './src/modules/search/search.port.ts';
const h = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/ttm_bench_search' });
const times: Record<string, number[]> = {};
const original = h.db.execute.bind(h.db);
let label = '';
(h.db as any).execute = async (q: any) => { const t = performance.now(); const r = await original(q); (times[label] ??= []).push(performance.now() - t); return r; };
const engine = new PostgresSearchEngine(h.db, { expand: conceptExpander() });
for (const text of process.argv.slice(2)) {
  const results: number[] = [];
  const perStmt: number[][] = [];
  for (let i = 0; i < 5; i++) {
    label = `${text}#${i}`;
    const t = performance.now();
    const r = await engine.search({ text, mode: 'all', sort: 'relevance', limit: 20, offset: 0, filters: { validAt: new Date() }, facets: FACET_FIELDS, highlight: true });
    results.push(performance.now() - t);
    perStmt.push(times[label]!);
    if (i === 0) process.stdout.write(`${text.padEnd(22)} total=${r.total} approx=${r.approximate ?? false} `);
  }
  const best = Math.min(...results);
  const bestRun = perStmt[results.indexOf(best)]!;
  console.log(`min ${best.toFixed(1)} ms  median ${[...results].sort((a, b) => a - b)[2]!.toFixed(1)}  stmts ${bestRun.map((x) => x.toFixed(1)).join(' / ')}`);
}
await h.close();
