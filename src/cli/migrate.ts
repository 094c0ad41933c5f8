import { withCliApp } from './cli-app.js';

// Building the app applies pending migrations; this command does only that and exits.
await withCliApp(async (app) => {
  process.stdout.write(`Migrations applied (${app.database.kind}).\n`);
});
