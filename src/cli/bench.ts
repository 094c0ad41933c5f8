// `npm run bench -- <name> [options]` (or `npm run bench:search`, `npm run bench:matching`): each
// benchmark lives in src/cli/bench/ and is loaded only when asked for.
const BENCHMARKS: Record<string, () => Promise<(argv: string[]) => Promise<unknown>>> = {
  search: async () => (await import('./bench/search-bench.js')).runSearchBench,
  matching: async () => (await import('./bench/matching-bench.js')).runMatchingBench,
  burst: async () => (await import('./bench/burst-bench.js')).runBurstBench,
  web: async () => (await import('./bench/web-bench.js')).runWebBench,
  import: async () => (await import('./bench/import-bench.js')).runImportBench,
};

const [name, ...argv] = process.argv.slice(2);
const load = name ? BENCHMARKS[name] : undefined;
if (!load) {
  process.stderr.write(`Usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]\n`);
  process.exit(1);
}
await (await load())(argv);
