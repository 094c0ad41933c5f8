import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { seedDemoIfEmpty } from './cli/demo-data/seed.js';

// Starts the API (and the in-process worker unless WORKER_ENABLED=false) and shuts down cleanly:
// in-flight requests and jobs finish before the database closes.
const config = loadConfig();
const app = await buildApp(config);

if (config.seed.demo === 'auto' && app.database.kind === 'pglite') {
  await seedDemoIfEmpty(app);
}
if (config.worker.enabled) {
  app.services.jobs.start();
  app.services.scheduler.start();
}

app.services.listingCounters.start();
await app.listen({ host: config.server.host, port: config.server.port });

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
