import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { seedDemoIfEmpty } from './cli/demo-data/seed.js';
import { exitOnStartupFailure } from './db/startup-failure.js';
import { SEARCH_QUEUE } from './modules/search/search.service.js';

// Starts the API (and the in-process worker unless WORKER_ENABLED=false) and shuts down cleanly:
// in-flight requests and jobs finish before the database closes. Start-up that cannot succeed
// (configuration, database, data folder) ends within seconds with one line saying what to change.
let config: AppConfig | null = null;
let app: FastifyInstance;
try {
  config = loadConfig();
  app = await buildApp(config);

  if (config.seed.demo === 'auto' && app.database.kind === 'pglite') {
    await seedDemoIfEmpty(app);
  }
  // Ready (GET /health/ready) once the index holds everything written until now, the seed included.
  app.readiness.catchUpTo(app.clock.now());
  if (config.worker.enabled) {
    // The in-process worker catches the index up before the first request, so the first searches
    // see every listing; a search engine that is down leaves its jobs to retry later instead.
    const indexed = await app.services.jobs.drainQueue(SEARCH_QUEUE);
    if (indexed > 0) app.log.info({ indexed }, 'search index caught up before listening');
    app.services.jobs.start();
    app.services.scheduler.start();
  }

  app.services.listingCounters.start();
  await app.listen({ host: config.server.host, port: config.server.port });
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE' && config) {
    process.stderr.write(`Cannot start: port ${config.server.port} on ${config.server.host} is in use. Stop what listens there or set PORT.\n`);
    process.exit(1);
  }
  exitOnStartupFailure(error, config);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  });
}
