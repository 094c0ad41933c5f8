// What may reach a log line. Errors from the database carry the statement's parameters (drizzle
// puts them into the message, PGlite and postgres.js into fields), and a parameter can be a
// password hash, a token or a person's data; the server's `detail` quotes row values. So an error
// is logged as an allow-list of fields, with drizzle's parameter list cut from its message and
// quoted values blanked in database messages.

/** Keys whose values are replaced wherever pino finds them (see REDACTED_PATHS). */
const SECRET_KEYS = ['password', 'passwordHash', 'newPassword', 'token', 'refreshToken', 'accessToken', 'secret', 'apiKey'];

/** pino `redact` paths: headers that carry credentials and the secret keys at the depths log objects have them. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

const ARGON2_HASH = /\$argon2(?:id|i|d)\$[^\s"',]*/g;
const BEARER = /\b(Bearer|ApiKey)\s+[\w.~+/=-]+/gi;

/** Blanks what looks like a password hash or a credential inside free text. */
export function scrubText(text: string): string {
  return text.replace(ARGON2_HASH, '[redacted hash]').replace(BEARER, '$1 [redacted]');
}

/** SQLSTATE codes are five characters; database errors (PGlite, postgres.js) carry one and a severity. */
function isDatabaseError(error: Record<string, unknown>): boolean {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && typeof error.severity === 'string';
}

function safeMessage(error: Record<string, unknown>, name: string): string {
  const message = typeof error.message === 'string' ? error.message : '';
  if (name === 'DrizzleQueryError') return message.replace(/\nparams:[\s\S]*$/, '');
  if (isDatabaseError(error)) return message.replace(/"[^"]*"/g, '"…"');
  return scrubText(message);
}

export interface SafeError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: string;
  statusCode?: number;
  severity?: string;
  constraint?: string;
  table?: string;
  column?: string;
  cause?: SafeError;
}

/** pino's `err` serializer: the error and its causes as an allow-list of fields. */
export function serializeError(value: unknown, depth = 0): SafeError {
  if (!(value instanceof Error) && (typeof value !== 'object' || value === null)) {
    const message = scrubText(String(value));
    return { type: typeof value, message, stack: message };
  }
  const error = value as unknown as Record<string, unknown>;
  const type = (value as Error).constructor?.name ?? 'Error';
  const message = safeMessage(error, type);
  const frames = typeof error.stack === 'string' ? error.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  const safe: SafeError = { type, message, stack: [`${type}: ${message}`, ...frames].join('\n') };
  if (typeof error.code === 'string') safe.code = error.code;
  if (typeof error.statusCode === 'number') safe.statusCode = error.statusCode;
  if (isDatabaseError(error)) {
    safe.severity = error.severity as string;
    for (const key of ['constraint', 'constraint_name', 'table', 'table_name', 'column', 'column_name'] as const) {
      const field = error[key];
      if (typeof field === 'string') safe[key.replace(/_name$/, '') as 'constraint' | 'table' | 'column'] = field;
    }
  }
  if (error.cause !== undefined && depth < 5) safe.cause = serializeError(error.cause, depth + 1);
  return safe;
}

/** Tokens in query strings (mailed links put them there) blanked out of a logged URL. */
export function scrubUrl(url: string): string {
  return url.replace(/([?&](?:token|refreshToken|accessToken|apiKey|key)=)[^&#]*/gi, '$1[redacted]');
}

/** pino's `req` serializer: Fastify's default fields, with the URL's tokens blanked. */
export function serializeRequest(request: { method: string; url: string; host?: string; hostname?: string; ip?: string; socket?: { remotePort?: number } }) {
  return {
    method: request.method,
    url: scrubUrl(request.url),
    host: request.host ?? request.hostname,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * An error's message as it may be stored or shown (a job's error, an admin page, a report): the
 * message serializeError would log, so a database error's parameters and quoted values never leave.
 */
export function safeErrorMessage(value: unknown): string {
  return serializeError(value).message;
}
