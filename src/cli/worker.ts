import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig, type AppConfig } from '../config.js';
import { exitOnStartupFailure } from '../db/startup-failure.js';

// `npm run worker`: the job worker and schedules as a process of their own (run the API with
// WORKER_ENABLED=false then). Needs DATABASE_URL: PGlite is one process's database.
let config: AppConfig | null = null;
let app: FastifyInstance;
try {
  config = loadConfig();
  if (!config.database.url) {
    process.stderr.write('npm run worker needs DATABASE_URL: the embedded database runs the worker inside `npm start`.\n');
    process.exit(1);
  }
  app = await buildApp(config);
  await app.ready();
} catch (error) {
  exitOnStartupFailure(error, config);
}
app.services.jobs.start();
app.services.scheduler.start();
app.log.info('worker started');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  });
}
