import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig, type AppConfig } from '../config.js';
import { exitOnStartupFailure } from '../db/startup-failure.js';

/**
 * The application as the CLIs use it: same config and database, no HTTP listener, no background
 * worker. A CLI that cannot open the database (the data folder in use by the service, a server that
 * does not answer) exits at once with one line saying why.
 */
export async function withCliApp<T>(run: (app: FastifyInstance) => Promise<T>, env: Record<string, string | undefined> = {}): Promise<T> {
  let config: AppConfig | null = null;
  let app: FastifyInstance;
  try {
    config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...env });
    app = await buildApp(config);
    await app.ready();
  } catch (error) {
    exitOnStartupFailure(error, config);
  }
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
