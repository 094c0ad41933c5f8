import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killAll, runProgram, waitFor } from './processes.js';

// Drill: `npm start` with a database it cannot use. Each case must end non-zero with one line on
// stderr saying what is wrong and which setting to change, the password masked. The wait for the
// exit has a deadline only so that a start that hangs (the fault) fails the drill instead of CI.
// Server-side cases (missing database or role) run in the PostgreSQL run, against its server;
// the others, which need no server, in the PGlite run.
const serverUrl = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : null;
const SECRET = 's3cret-drill-pass';
const cleanups: (() => void)[] = [];

afterAll(async () => {
  await killAll();
  for (const cleanup of cleanups.reverse()) cleanup();
});

async function failedStart(env: Record<string, string>) {
  const program = runProgram('src/main.ts', env);
  const code = await waitFor(() => (program.child.exitCode !== null ? program.child.exitCode : null), { what: 'the start to fail', deadlineMs: 150_000 });
  const lines = program.stderr().trim().split('\n');
  return { code, lines, stderr: program.stderr() };
}

function expectOneClearLine(result: { code: number; lines: string[]; stderr: string }, ...fragments: (string | RegExp)[]) {
  expect(result.code).toBe(1);
  expect(result.lines, result.stderr).toHaveLength(1);
  for (const fragment of fragments) expect(result.lines[0]).toMatch(fragment);
  expect(result.stderr).not.toContain(SECRET);
}

/** A TCP server that accepts connections and never says a word: a host that swallows packets, on loopback. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

describe.skipIf(serverUrl !== null)('start-up fails in bounded time with one clear line (drill; cases without a server, run in the PGlite run)', () => {
  it('names a database server that never answers, one that refuses, and an embedded database with no disk space', { timeout: 240_000 }, async () => {
    const silent = await silentServer();
    const refused = await freePort();
    const full = mkdtempSync(join(tmpdir(), 'ttm-drill-full-'));
    cleanups.push(() => rmSync(full, { recursive: true, force: true }));
    let mounted = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full], { stdio: 'pipe' });
      mounted = true;
      cleanups.push(() => execFileSync('umount', [full], { stdio: 'pipe' }));
    } catch (error) {
      console.warn(`disk-full case skipped: cannot mount a 1 MB tmpfs (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); it needs root`);
    }
    const [hanging, refusing, noSpace] = await Promise.all([
      failedStart({ DATABASE_URL: `postgres://drill:${SECRET}@127.0.0.1:${silent}/techdb` }),
      failedStart({ DATABASE_URL: `postgres://drill:${SECRET}@127.0.0.1:${refused}/techdb` }),
      mounted ? failedStart({ DATA_DIR: full }) : Promise.resolve(null),
    ]);
    expectOneClearLine(hanging, `127.0.0.1:${silent} did not answer within 5 s`, /DATABASE_URL \(postgres:\/\/drill:\*\*\*@127\.0\.0\.1:\d+\/techdb\)/, /DATABASE_CONNECT_TIMEOUT_SECONDS/);
    expectOneClearLine(refusing, `127.0.0.1:${refused} refused the connection`, /DATABASE_URL \(postgres:\/\/drill:\*\*\*@/);
    if (noSpace) expectOneClearLine(noSpace, `No disk space left for the embedded database in ${full}`, /DATA_DIR/);
  });
});

describe.skipIf(serverUrl === null)('start-up fails in bounded time with one clear line (drill; server cases, run in the PostgreSQL run)', () => {
  it('names a missing database and a missing role', { timeout: 180_000 }, async () => {
    const at = (user: string, database: string) => {
      const url = new URL(serverUrl!.toString());
      url.username = user;
      url.password = SECRET;
      url.pathname = `/${database}`;
      return url.toString();
    };
    const database = `ttm_drill_missing_${process.pid}`;
    const role = `ttm_drill_nobody_${process.pid}`;
    const [missingDatabase, missingRole] = await Promise.all([
      failedStart({ DATABASE_URL: at(serverUrl!.username || 'postgres', database) }),
      failedStart({ DATABASE_URL: at(role, 'postgres') }),
    ]);
    expectOneClearLine(missingDatabase, `The database "${database}" does not exist`, `createdb ${database}`, /DATABASE_URL \(postgres:\/\/[^:]+:\*\*\*@/);
    expectOneClearLine(missingRole, `refused the login of "${role}"`, /user and password in DATABASE_URL/);
  });
});
