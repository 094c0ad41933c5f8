import { Presets, SingleBar } from 'cli-progress';
import { fail, withCliApp } from './cli-app.js';

// `npm run reindex`: rebuilds the search index from the database. Search keeps answering meanwhile
// (Meilisearch: a new index swapped in; PostgreSQL: rows rewritten in place, stale ones dropped at
// the end). On the embedded database, stop the service first: PGlite is one process's database.
await withCliApp(async (app) => {
  const { search } = app.services;
  const bar = new SingleBar(
    { format: `Reindexing (${search.engineName}) |{bar}| {percentage}% | {value}/{total} listings | ETA {eta_formatted}`, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  try {
    const result = await search.reindex((indexed, total) => {
      if (!started) {
        bar.start(Math.max(total, indexed), 0);
        started = true;
      }
      if (indexed > bar.getTotal()) bar.setTotal(indexed);
      bar.update(indexed);
    });
    if (started) {
      // The estimate counted published listings; those past their expiry were left out.
      bar.setTotal(result.indexed);
      bar.update(result.indexed);
      bar.stop();
    }
    process.stdout.write(
      `Index rebuilt on ${search.engineName}: ${result.indexed} listings searchable.` +
        (result.replayed ? ` ${result.replayed} listings changed meanwhile and are queued for another pass.` : '') +
        '\n',
    );
  } catch (error) {
    if (started) bar.stop();
    fail(`Reindex failed: ${error instanceof Error ? error.message : String(error)}`);
  }
});
