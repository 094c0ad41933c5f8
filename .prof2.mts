import postgres from 'postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { openDatabase } from './src/db/client.ts';
import { PostgresSearchEngine } from './src/modules/search/postgres-search.engine.ts';
import { FACET_FIELDS } from './src/modules/search/search.port.ts';
const url = 'postgres://postgres@127.0.0.1:5432/ttm_bench_search';
const h = await openDatabase({ url });
const raw = postgres(url, { max: 1, onnotice: () => {} });
const dialect = new PgDialect();
const captured: { sql: string; params: unknown[] }[] = [];
const original = h.db.execute.bind(h.db);
(h.db as any).execute = (q: any) => { captured.push(dialect.sqlToQuery(q)); return original(q); };
const engine = new PostgresSearchEngine(h.db);
const q = { text: process.argv[2] ?? '', mode: 'all' as const, sort: 'relevance' as const, limit: 20, offset: 0, filters: { validAt: new Date() }, facets: process.argv[3] === 'nofacets' ? [] : FACET_FIELDS, highlight: true };
await engine.search(q);
const c = captured.at(-1)!;
for (const prepare of [true, false]) for (let i = 0; i < 4; i++) {
  const t = performance.now();
  await raw.unsafe(c.sql, c.params as any[], { prepare });
  console.log('prepare', prepare, (performance.now() - t).toFixed(1), 'ms');
}

// variants
const raw2 = postgres(url, { max: 1, onnotice: () => {} });
const variants: Record<string, string> = {
  original: c.sql,
  noCaseFacets: c.sql.replace(/case when \(select exact from size\) then \(select coalesce\(json_agg\(json_build_array\(f, v, n\)\), '\[\]'::json\) from \(([\s\S]*?)\) as counted\(f, v, n\)\) else /, ''),
};
for (const [name, text] of Object.entries(variants)) {
  for (let i = 0; i < 3; i++) { const t = performance.now(); try { await raw2.unsafe(text, c.params as any[]); } catch (e) { console.log(name, 'ERR', (e as Error).message); break; } console.log(name, (performance.now() - t).toFixed(1)); }
}
await raw2.end();
await raw.end(); await h.close();
