import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from the schema here; migrations are applied by the service at
// start (src/db/migrate.ts), on PGlite and on a server alike.
export default defineConfig({
  dialect: 'postgresql',
  schema: './drizzle/index.ts',
  out: './migrations',
});
