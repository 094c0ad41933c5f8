import { PgDialect } from 'drizzle-orm/pg-core';
import { openDatabase } from './src/db/client.ts';
import { PostgresSearchEngine } from './src/modules/search/postgres-search.engine.ts';
import { FACET_FIELDS } from './src/modules/search/search.port.ts';
import { writeFileSync } from 'node:fs';
const h = await openDatabase({ url: 'postgres://postgres@127.0.0.1:5432/ttm_bench_search' });
const dialect = new PgDialect();
const captured: { sql: string; params: unknown[] }[] = [];
const original = h.db.execute.bind(h.db);
(h.db as any).execute = (q: any) => { captured.push(dialect.sqlToQuery(q)); return original(q); };
const engine = new PostgresSearchEngine(h.db, { expand: (await import("./src/modules/search/query-expansion.ts")).conceptExpander() });
await engine.search({ text: process.argv[2] ?? '', mode: 'all', sort: 'relevance', limit: 20, offset: 0, filters: { validAt: new Date() }, facets: FACET_FIELDS, highlight: true });
const c = captured.find((x) => x.sql.includes("first_tier"))!;
let text = c.sql;
for (let i = c.params.length; i >= 1; i--) { const p = c.params[i - 1]; text = text.replaceAll(`$${i}`, typeof p === 'number' ? String(p) : `'${String(p).replaceAll("'", "''")}'`); }
writeFileSync('/tmp/stmt.sql', text + ';\n');
await h.close();
