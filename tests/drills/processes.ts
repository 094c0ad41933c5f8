import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Fault drills run the real programs as child processes (the service, the worker, the CLIs) and
// stop or kill them; nothing is mocked. Every wait polls for a condition with a deadline.

const ROOT = resolve(import.meta.dirname, '../..');

/** One signing secret for every process of a drill file (the service refuses a server database without one). */
const JWT_SECRET = randomBytes(32).toString('hex');

/** Environment every drill process starts from: no DATABASE_URL, SMTP or Meilisearch unless a drill sets them. */
function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(DATABASE_URL|SMTP_URL|MEILI_|JWT_SECRET|DATA_DIR|PORT|WORKER_|SEED_DEMO|VITEST|NODE_ENV)/.test(key)),
  );
  return {
    ...inherited,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    PUBLIC_URL: 'http://drill.test',
    SEED_DEMO: 'never',
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    JWT_SECRET,
    ...env,
  };
}

export interface Program {
  child: ChildProcess;
  pid: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs a TypeScript entry point with tsx from the repository root, as `node --import tsx`: one
 * process (the `tsx` command would run node as a child of its own), so a signal reaches the program itself.
 */
export function runProgram(script: string, env: Record<string, string>, args: string[] = []): Program {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')));
  running.add(child);
  void exited.then(() => running.delete(child));
  return {
    child,
    pid: child.pid!,
    output: () => out + err,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

const running = new Set<ChildProcess>();

/** Kills every child a drill started and has not ended (afterAll, also after a failed assertion). */
export async function killAll() {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
    ),
  );
}

export interface Service extends Program {
  url: string;
}

/** Starts `src/main.ts` and waits until it listens (or fails with its output if it exits first). */
export async function startService(env: Record<string, string>, deadlineMs = 180_000): Promise<Service> {
  const program = runProgram('src/main.ts', env);
  const url = await waitFor(
    async () => {
      if (program.child.exitCode !== null) throw new Error(`the service exited with ${program.child.exitCode}:\n${program.output()}`);
      return /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(program.output())?.[1] ?? null;
    },
    { deadlineMs, what: 'the service to listen' },
  );
  return { ...program, url };
}

/** Polls `probe` until it returns a value other than null/false, or throws after the deadline. */
export async function waitFor<T>(probe: () => Promise<T | null | false> | T | null | false, options: { deadlineMs?: number; what: string; everyMs?: number }): Promise<T> {
  const deadline = Date.now() + (options.deadlineMs ?? 30_000);
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value !== null && value !== false) return value;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('the service exited')) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${options.what}${lastError ? `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : ''}`);
    }
    await new Promise((done) => setTimeout(done, options.everyMs ?? 200));
  }
}

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'ttm-drill-'));
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** JSON over HTTP with a per-request deadline (a service that stopped answering fails the step, not the whole file). */
export async function http(base: string, path: string, options: { method?: string; body?: unknown; token?: string; timeoutMs?: number } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  }).catch((error: unknown) => {
    throw new Error(`${options.method ?? 'GET'} ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}

/** Logs in and returns the access token. */
export async function loginAs(base: string, email: string, password: string): Promise<string> {
  const response = await http(base, '/api/v1/auth/login', { method: 'POST', body: { email, password } });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${response.text}`);
  return response.json.accessToken as string;
}
