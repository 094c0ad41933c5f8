// Which database failures are faults of the environment rather than of the request: the server is
// unreachable or going away (503, retry later), or the disk is full (507). Errors arrive wrapped
// (drizzle's DrizzleQueryError keeps the driver's error as `cause`), so the whole chain is read.

/** Node socket errors and postgres.js connection errors: no server answers at the configured address. */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
]);

/** SQLSTATEs of a server that is shutting down, starting, or out of connections. */
const SERVER_UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

const DISK_FULL_SQLSTATE = '53100';

export type DatabaseFault = 'unavailable' | 'storage_full';

function* causeChain(error: unknown): Generator<{ code?: unknown; errno?: unknown }> {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    yield current as { code?: unknown };
    current = (current as { cause?: unknown }).cause;
  }
}

/** The environment fault behind an error, or null when it is something else (a bug, a constraint). */
export function databaseFault(error: unknown): DatabaseFault | null {
  for (const link of causeChain(error)) {
    const code = typeof link.code === 'string' ? link.code : undefined;
    if (!code) continue;
    if (code === DISK_FULL_SQLSTATE || code === 'ENOSPC') return 'storage_full';
    if (CONNECTION_ERROR_CODES.has(code) || SERVER_UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08')) return 'unavailable';
  }
  return null;
}
