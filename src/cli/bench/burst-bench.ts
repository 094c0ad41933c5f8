import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALERTS_QUEUE } from '../../modules/alerts/new-listing-alerts.js';
import { MAIL_QUEUE } from '../../modules/mail/mail.service.js';
import { SEARCH_QUEUE } from '../../modules/search/search.service.js';

// `npm run bench -- burst [--burst 32] [--rounds 3]`
//
// What a burst of anonymous matches does to a service on the embedded database, as `npm start`
// runs it: for each configuration a service of its own in a child process (a fresh data
// directory, demo data, the in-process worker, a free local port), and once its index has caught
// up, `--burst` concurrent anonymous GET /api/v1/listings/:id/matches (each for another published
// listing) over HTTP while /health is asked again and again, one request at a time, until the
// burst is over (after asking each listing's matches once, one at a time: the first answer for a
// listing analyses and stores its text). Reported per configuration: how the matches were answered (200 / 429 / 503) and
// how long they and the health checks took (p50 / p95 / max), over `--rounds` bursts.
//
// Configurations: 'uncapped' (no concurrency cap, no rate limit: the service before the cap),
// 'cap' (the default cap of 4 running and 16 waiting, no rate limit) and 'defaults' (every
// default setting, with the anonymous rate limit of 30 matches a minute per client: all requests
// come from one address here, so what passes the limit is what a single client gets).

const CONFIGURATIONS: { name: string; env: Record<string, string> }[] = [
  { name: 'uncapped', env: { EXPENSIVE_WORK_CONCURRENCY: '100000', EXPENSIVE_WORK_QUEUE: '100000', MATCHES_RATE_LIMIT_PER_MINUTE: '100000' } },
  { name: 'cap', env: { MATCHES_RATE_LIMIT_PER_MINUTE: '100000' } },
  { name: 'defaults', env: {} },
];

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return `p50 ${ms(percentile(sorted, 50))}, p95 ${ms(percentile(sorted, 95))}, max ${ms(sorted.at(-1) ?? NaN)} (n=${sorted.length})`;
};

async function timed(url: string) {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

async function burstRound(base: string, listingIds: string[]) {
  let bursting = true;
  const health: number[] = [];
  const healthLoop = (async () => {
    while (bursting) health.push((await timed(`${base}/health`)).ms);
  })();
  const started = performance.now();
  const matches = await Promise.all(listingIds.map((id) => timed(`${base}/api/v1/listings/${id}/matches`)));
  const wallMs = performance.now() - started;
  bursting = false;
  await healthLoop;
  return { matches, health, wallMs };
}

/** A port free right now on the loopback interface. */
async function freePort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts the service as `npm start` does, in a child process; resolves with its address once it
 * answers. Its log goes to a file, as a terminal would take it: a pipe this process reads between
 * its own requests would slow the service down when it fills.
 */
async function startService(env: Record<string, string>, dataDir: string) {
  // The embedded database and the built-in search engine, whatever this shell points at.
  const { DATABASE_URL: _database, MEILI_HOST: _meili, ...inherited } = process.env;
  const port = await freePort();
  const log = openSync(join(dataDir, 'service.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...inherited, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  const address = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited) throw new Error(`the service exited before answering; see ${join(dataDir, 'service.log')}`);
    if (await fetch(`${address}/health`).then((response) => response.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { child, address };
}

/**
 * Waits until the worker is idle: the demo data indexed, and its alert and mail jobs done (they
 * hold the embedded database in long transactions, which would be measured instead of the burst).
 */
async function workerIdle(address: string) {
  const login = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@techmonitor.example', password: 'demo-admin-2026' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const pending = async (queue: string, status: string) => {
    const response = await fetch(`${address}/api/v1/admin/jobs?queue=${queue}&status=${status}&limit=1`, { headers: { authorization: `Bearer ${accessToken}` } });
    return ((await response.json()) as { total: number }).total;
  };
  for (;;) {
    let busy = 0;
    for (const queue of [SEARCH_QUEUE, ALERTS_QUEUE, MAIL_QUEUE]) busy += (await pending(queue, 'pending')) + (await pending(queue, 'running'));
    if (busy === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function runConfiguration(env: Record<string, string>, burst: number, rounds: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ttm-burst-'));
  const { child, address } = await startService(env, dataDir);
  try {
    await workerIdle(address);
    const page = (await (await fetch(`${address}/api/v1/listings?limit=100`)).json()) as { items: { id: string }[] };
    const ids = page.items.map((item) => item.id).slice(0, burst);
    if (ids.length < burst) throw new Error(`only ${ids.length} published listings for a burst of ${burst}`);
    // Warm-up: each listing's matches asked once, one at a time. The first answer for a listing
    // analyses its text (and that of candidates never analysed) and stores the analysis, which
    // the demo data does not carry; the bursts measure the answers a running service gives.
    for (const id of ids) await timed(`${address}/api/v1/listings/${id}/matches`);
    const idle = [];
    for (let i = 0; i < 20; i++) idle.push((await timed(`${address}/health`)).ms);
    const statuses = new Map<number, number>();
    const matchMs: number[] = [];
    const healthMs: number[] = [];
    const walls: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const result = await burstRound(address, ids);
      for (const match of result.matches) {
        statuses.set(match.status, (statuses.get(match.status) ?? 0) + 1);
        if (match.status === 200) matchMs.push(match.ms);
      }
      healthMs.push(...result.health);
      walls.push(result.wallMs);
    }
    return { idle, statuses, matchMs, healthMs, walls };
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runBurstBench(argv: string[]) {
  const option = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? Number(argv[index + 1]) : fallback;
  };
  const burst = option('burst', 32);
  const rounds = option('rounds', 3);
  process.stdout.write(`burst: ${burst} concurrent anonymous matches, ${rounds} rounds per configuration; the service in a child process on the embedded database (PGlite) with the demo data\n`);
  for (const configuration of CONFIGURATIONS) {
    const result = await runConfiguration(configuration.env, burst, rounds);
    const statuses = [...result.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
    process.stdout.write(
      [
        `\n[${configuration.name}] ${JSON.stringify(configuration.env)}`,
        `  /health idle:         ${summary(result.idle)}`,
        `  /health during burst: ${summary(result.healthMs)}`,
        `  matches answered 200: ${summary(result.matchMs)}`,
        `  statuses:             ${statuses}`,
        `  burst wall time:      ${summary(result.walls)}`,
      ].join('\n') + '\n',
    );
  }
}
