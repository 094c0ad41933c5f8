// Small pieces of SQL knowledge every repository shares, kept here so each is written once.

/**
 * Whether a database error is a unique-constraint violation (SQLSTATE 23505). postgres.js and PGlite
 * put the code on the error itself; drizzle wraps it, so the code may sit on any `cause` down the chain.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current && typeof current === 'object'; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Text made literal inside a LIKE/ILIKE pattern: `%`, `_` and the escape character lose their meaning. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
