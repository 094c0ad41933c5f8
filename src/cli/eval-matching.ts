import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { evaluateMatching, type EvaluationResult, type Metrics } from './matching-evaluation.js';
import { withScratchApp, type ScratchTarget } from './scratch-database.js';

// `npm run eval:matching`: the labelled set (tests/fixtures/matching-eval) in a fresh database per
// engine available — the PostgreSQL engine on embedded PGlite always, on the DATABASE_URL server
// when set, Meilisearch (on PGlite) when MEILI_HOST is set — with recall@10, MRR and nDCG@10 of our
// matches, of the same candidates in engine order, and of a keyword search with the request title.

interface Run {
  name: string;
  target: ScratchTarget;
  env: Record<string, string | undefined>;
}

const runs: Run[] = [{ name: 'postgres engine on PGlite', target: 'pglite', env: {} }];
if (process.env.DATABASE_URL) runs.push({ name: 'postgres engine on server', target: 'server', env: {} });
if (process.env.MEILI_HOST) {
  runs.push({
    name: 'meilisearch (PGlite database)',
    target: 'pglite',
    env: { MEILI_HOST: process.env.MEILI_HOST, MEILI_API_KEY: process.env.MEILI_API_KEY, MEILI_INDEX: 'matching_eval' },
  });
}

const percent = (share: number) => `${Math.round(share * 100)} %`;
const format = (m: Metrics) => `${m.recallAt10.toFixed(3)} | ${m.mrr.toFixed(3)} | ${m.ndcgAt10.toFixed(3)}`;
/** The three metrics in one cell (the table of halves has a column per ranking). */
const inOneCell = (m: Metrics) => `${m.recallAt10.toFixed(3)}, ${m.mrr.toFixed(3)}, ${m.ndcgAt10.toFixed(3)}`;

function report(name: string, result: EvaluationResult, seconds: number) {
  const c = result.calibration;
  const delta = (metric: keyof Metrics) => (result.matching[metric] - result.bm25[metric]).toFixed(3);
  const lines = [
    `\n## ${name} — ${result.requests} answered requests (${result.plain.requests} written plainly) and ${result.unanswerable} no offer answers, over ${result.offers} offers (${seconds.toFixed(1)} s)\n`,
    '| ranking | recall@10 | MRR | nDCG@10 |',
    '|---|---|---|---|',
    `| matching (engine candidates + concepts + rescoring) | ${format(result.matching)} |`,
    `| BM25 (k1 1.2, b 0.75; same fields, same offers, the request's full text) | ${format(result.bm25)} |`,
    `| matching − BM25 | ${delta('recallAt10')} | ${delta('mrr')} | ${delta('ndcgAt10')} |`,
    `| plain requests (${result.plain.requests}): matching | ${format(result.plain.matching)} |`,
    `| plain requests (${result.plain.requests}): BM25 | ${format(result.plain.bm25)} |`,
    `| expert requests (${result.expert.requests}): matching | ${format(result.expert.matching)} |`,
    `| expert requests (${result.expert.requests}): BM25 | ${format(result.expert.bm25)} |`,
    `| matching, query budget scaled as for 100,000 listings (rare words only) | ${result.scaledBudget ? format(result.scaledBudget) : 'no budget on this engine | | '} |`,
    `| same candidates, engine order (no rescoring) | ${format(result.engineOnly)} |`,
    `| keyword baseline (any word of the request title, engine order) | ${format(result.keywordBaseline)} |`,
    `| cross-sector requests (${result.crossSector.requests}): matching | ${format(result.crossSector.matching)} |`,
    `| cross-sector requests (${result.crossSector.requests}): keyword baseline | ${format(result.crossSector.keywordBaseline)} |`,
  ];
  lines.push(
    '',
    '| calibration | share |',
    '|---|---|',
    `| unanswerable requests (${c.unanswerable}) whose best match is labelled strong (goal ≤ 10 %) | ${percent(c.unanswerableTopStrong)} |`,
    `| unanswerable requests whose best match is shown as strong or possible | ${percent(c.unanswerableTopShown)} |`,
    `| answered requests (${c.answered}) whose first relevant offer is labelled strong (goal ≥ 80 %) | ${percent(c.firstRelevantStrong)} |`,
    `| answered requests whose first relevant offer is shown as strong or possible | ${percent(c.firstRelevantShown)} |`,
  );
  lines.push('', '| half of the set | requests answered / unanswerable | matching recall@10, MRR, nDCG@10 | BM25 | unanswerable best strong | first relevant strong |', '|---|---|---|---|---|---|');
  for (const half of ['even', 'odd'] as const) {
    const h = result.halves[half];
    lines.push(`| ${half} ids | ${h.requests} / ${h.calibration.unanswerable} | ${inOneCell(h.matching)} | ${inOneCell(h.bm25)} | ${percent(h.calibration.unanswerableTopStrong)} | ${percent(h.calibration.firstRelevantStrong)} |`);
  }
  const missed = result.perRequest.filter((r) => r.answered).filter((r) => r.firstRelevantRank === null || r.firstRelevantRank > 10).map((r) => `${r.id}${r.firstRelevantRank ? `@${r.firstRelevantRank}` : ''}`);
  lines.push('', `No relevant offer in the top 10 for ${missed.length} requests: ${missed.join(' ') || '—'}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

// `-- --json FILE`: every request's figures as well, to study the calibration.
const jsonIndex = process.argv.indexOf('--json');
const jsonFile = jsonIndex >= 0 ? process.argv[jsonIndex + 1] : undefined;
const results: Record<string, EvaluationResult> = {};
for (const run of runs) {
  const started = performance.now();
  const result = await withScratchApp(run.target, run.env, (app) => evaluateMatching(app));
  results[run.name] = result;
  report(run.name, result, (performance.now() - started) / 1000);
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
