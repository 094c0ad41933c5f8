import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { createServerDatabase, dropServerDatabases, serverDatabasesNamed } from '../../src/db/server-databases.js';
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
    const templateUrl = await createServerDatabase(url, templateName, { replace: true });
    const handle = await openDatabase({ url: templateUrl, maxConnections: 1 });
    await handle.migrate();
    await handle.close();
  }
  project.provide('serverTemplate', templateName);

  return async () => {
    rmSync(folder, { recursive: true, force: true });
    if (url && templateName) {
      const leftovers = await serverDatabasesNamed(url, `ttm_t_${process.pid}_`);
      await dropServerDatabases(url, [...leftovers, templateName]);
    }
  };
}
