import postgres from 'postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { openDatabase } from './src/db/client.ts';
import { PostgresSearchEngine } from './src/modules/search/postgres-search.engine.ts';
import { conceptExpander } from './src/modules/search/query-expansion.ts';
import { FACET_FIELDS } from './src/modules/search/search.port.ts';
const url = 'postgres://postgres@127.0.0.1:5432/ttm_bench_search';
const h = await openDatabase({ url });
const raw = postgres(url, { max: 1, onnotice: () => {} });
const dialect = new PgDialect();
const captured: { sql: string; params: unknown[] }[] = [];
const original = h.db.execute.bind(h.db);
(h.db as any).execute = async (q: any) => { const t = performance.now(); const r = await original(q); const c = dialect.sqlToQuery(q); captured.push(c); console.log('  stmt', (performance.now() - t).toFixed(1), c.sql.trim().slice(0, 40).replace(/\s+/g, ' ')); return r; };
const engine = new PostgresSearchEngine(h.db, { expand: conceptExpander() });
const [text, filterJson] = [process.argv[2] ?? '', process.argv[3] ?? '{}'];
const q = { text, mode: 'all' as const, sort: (process.argv[4] ?? 'relevance') as any, limit: 20, offset: 0, filters: { validAt: new Date(), ...JSON.parse(filterJson) }, facets: FACET_FIELDS, highlight: true };
for (let i = 0; i < 2; i++) { captured.length = 0; const t = performance.now(); const r = await engine.search(q); console.log('search ms', (performance.now() - t).toFixed(1), 'total', r.total, r.approximate); }
for (const c of captured.filter((c) => !c.sql.includes('jsonb_to_recordset'))) {
  const t = performance.now();
  const plan = await raw.unsafe(`explain (analyze, buffers, costs off) ${c.sql}`, c.params as any[]);
  console.log('---- statement', (performance.now() - t).toFixed(1), 'ms');
  console.log(plan.map((r: any) => r['QUERY PLAN']).filter((l: string) => !/Buffers|Planning:/.test(l)).join('\n'));
}
await raw.end(); await h.close();
