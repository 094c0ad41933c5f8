import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../src/db/client.js';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    serverTemplate: string | null;
  }
}

// Migrating once and copying the result is much faster than migrating per test file: on a server
// each file clones a template database, on PGlite each file loads a dump of a migrated data dir.
export default async function setup(project: TestProject) {
  const folder = mkdtempSync(join(tmpdir(), 'ttm-tests-'));
  const pglite = await openDatabase({});
  await pglite.migrate();
  const dump = await pglite.pglite!.dumpDataDir('none');
  const templatePath = join(folder, 'template.tar');
  writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', templatePath);

  const url = process.env.DATABASE_URL;
  let templateName: string | null = null;
  if (url) {
    templateName = `ttm_template_${process.pid}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${templateName}`);
    await admin.unsafe(`create database ${templateName}`);
    const templateUrl = withDatabase(url, templateName);
    const handle = await openDatabase({ url: templateUrl, maxConnections: 1 });
    await handle.migrate();
    await handle.close();
    await admin.end();
  }
  project.provide('serverTemplate', templateName);

  return async () => {
    rmSync(folder, { recursive: true, force: true });
    if (url && templateName) {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`ttm_t_${process.pid}_%`}`;
      for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      await admin.unsafe(`drop database if exists ${templateName} with (force)`);
      await admin.end();
    }
  };
}

export function withDatabase(url: string, database: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
