import postgres from 'postgres';

// Throw-away databases on a PostgreSQL server, for the test suite (a template, then a clone per
// test file) and for the benchmark and evaluation CLIs: created and dropped in one place.

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The server URL with another database in its path. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `work` on a one-connection admin session of the server at `url`. */
async function onServer<T>(url: string, work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function checkedName(name: string): string {
  // Names are written into the statement (CREATE DATABASE takes no parameters): only plain ones.
  if (!DATABASE_NAME.test(name)) throw new Error(`not a plain database name: ${JSON.stringify(name)}`);
  return name;
}

/**
 * Creates database `name` on the server at `baseUrl` (a copy of `template` when given; replacing a
 * database of that name when `replace`) and returns its URL.
 */
export async function createServerDatabase(baseUrl: string, name: string, options: { template?: string; replace?: boolean } = {}): Promise<string> {
  await onServer(baseUrl, async (admin) => {
    if (options.replace) await admin.unsafe(`drop database if exists ${checkedName(name)} with (force)`);
    await admin.unsafe(`create database ${checkedName(name)}${options.template ? ` template ${checkedName(options.template)}` : ''}`);
  });
  return withDatabase(baseUrl, name);
}

/** Drops the databases named, closing their connections first. */
export async function dropServerDatabases(baseUrl: string, names: readonly string[]): Promise<void> {
  await onServer(baseUrl, async (admin) => {
    for (const name of names) await admin.unsafe(`drop database if exists ${checkedName(name)} with (force)`);
  });
}

/** The databases on the server whose names start with `prefix` (leftovers of a crashed run). */
export function serverDatabasesNamed(baseUrl: string, prefix: string): Promise<string[]> {
  return onServer(baseUrl, async (admin) =>
    (await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`).map((row) => row.datname),
  );
}
