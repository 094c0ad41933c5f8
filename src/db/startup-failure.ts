import { resolve } from 'node:path';
import type { AppConfig } from '../config.js';
import { DataDirLocked } from './data-dir-lock.js';
import { databaseFault } from './database-errors.js';

/** The URL as it may be printed: the password replaced by ***. */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(DATABASE_URL is not a valid URL)';
  }
}

/** Emscripten's errno for "no space left on device": PGlite's file system reports it as { name: 'ErrnoError', errno: 51 }. */
const EMSCRIPTEN_ENOSPC = 51;

function isOutOfSpace(error: unknown): boolean {
  const { name, errno } = (error ?? {}) as { name?: unknown; errno?: unknown };
  return name === 'ErrnoError' && errno === EMSCRIPTEN_ENOSPC;
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    if (current instanceof Error && current.message) message = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

/**
 * One line saying what kept the service (or a CLI) from starting and which setting to change, for
 * the failures an operator meets: the data folder in use, an unreachable, refusing or silent
 * database server, a missing database or role, a full disk. Null for anything else (a bug: the
 * caller prints the error with its stack).
 */
export function describeStartupFailure(error: unknown, config: Pick<AppConfig, 'database'>): string | null {
  if (error instanceof DataDirLocked) return error.message;
  const { url, dataDir, connectTimeoutSeconds } = config.database;
  const codes = codesOf(error);
  const reason = isOutOfSpace(error) ? 'no space left on device' : innermostMessage(error);
  if (databaseFault(error) === 'storage_full' || codes.includes('ENOSPC') || isOutOfSpace(error) || /no space left on device/i.test(reason)) {
    return url
      ? `The database server has no disk space left (${reason}). Free space on the server; DATABASE_URL is ${maskedUrl(url)}.`
      : `No disk space left for the embedded database in ${resolve(dataDir)} (${reason}). Free space there, or set DATA_DIR to a folder on a disk with room.`;
  }
  if (!url) return null;
  const where = maskedUrl(url);
  const target = (() => {
    try {
      const parsed = new URL(url);
      return { host: `${parsed.hostname}:${parsed.port || '5432'}`, database: decodeURIComponent(parsed.pathname.slice(1)) || '(default)', user: decodeURIComponent(parsed.username) || '(default)' };
    } catch {
      return { host: '?', database: '?', user: '?' };
    }
  })();
  if (codes.includes('CONNECT_TIMEOUT') || codes.includes('ETIMEDOUT')) {
    return `The database server at ${target.host} did not answer within ${connectTimeoutSeconds} s. Check the host and port in DATABASE_URL (${where}) and that the server runs; DATABASE_CONNECT_TIMEOUT_SECONDS sets how long to wait.`;
  }
  if (codes.includes('ECONNREFUSED')) {
    return `The database server at ${target.host} refused the connection (nothing listens there). Start PostgreSQL or fix the host and port in DATABASE_URL (${where}).`;
  }
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN')) {
    return `The database host in DATABASE_URL (${where}) cannot be resolved. Fix the host name in DATABASE_URL.`;
  }
  if (codes.includes('3D000')) {
    return `The database "${target.database}" does not exist on ${target.host}. Create it (createdb ${target.database}) or fix the database name in DATABASE_URL (${where}).`;
  }
  if (codes.includes('28000') || codes.includes('28P01')) {
    return `The database server at ${target.host} refused the login of "${target.user}": ${reason}. Fix the user and password in DATABASE_URL (${where}).`;
  }
  if (databaseFault(error) === 'unavailable') {
    return `The database server at ${target.host} is not available: ${reason}. Check that it runs and DATABASE_URL (${where}).`;
  }
  return null;
}

/** Prints why start-up failed (one line when the cause is known, else the error with its stack) and exits non-zero. */
export function exitOnStartupFailure(error: unknown, config: Pick<AppConfig, 'database'> | null): never {
  const line = config ? describeStartupFailure(error, config) : null;
  if (line) process.stderr.write(`Cannot start: ${line}\n`);
  else if (error instanceof Error && error.message.startsWith('Invalid configuration')) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Cannot start: ${error instanceof Error ? (error.stack ?? error.message) : JSON.stringify(error)}\n`);
  process.exit(1);
}
