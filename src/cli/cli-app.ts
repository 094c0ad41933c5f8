import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';

/** The application as the CLIs use it: same config and database, no HTTP listener, no background worker. */
export async function withCliApp<T>(run: (app: FastifyInstance) => Promise<T>, env: Record<string, string | undefined> = {}): Promise<T> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env });
  const app = await buildApp(config);
  await app.ready();
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
