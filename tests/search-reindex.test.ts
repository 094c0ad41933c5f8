import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import { toSearchDocument } from '../src/modules/search/search.service.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { FlakyEngine } from './search/flaky-engine.js';

let ctx: TestContext;
let engine: FlakyEngine;
let owner: TestUser;
let editor: TestUser;

beforeAll(async () => {
  ctx = await createTestApp({}, { searchEngine: (database) => (engine = new FlakyEngine(new PostgresSearchEngine(database.db))) });
  owner = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(() => ctx.close());

/** What the index itself holds (the search API would also hide documents of unpublished listings). */
async function indexed(word: string) {
  const result = await engine.search({ text: word, mode: 'all', sort: 'relevance', limit: 100, offset: 0, filters: { validAt: ctx.clock.now() } });
  return result.hits.map((hit) => hit.id);
}

describe('search reindex', () => {
  it('rebuilds the index from the database: missing listings come back, stray documents go', async () => {
    const kept = await publishListing(ctx, owner, editor, offerBody({ title: 'Jatropha biodiesel press' }));
    const lost = await publishListing(ctx, owner, editor, offerBody({ title: 'Jatropha seed dehuller' }));
    const withdrawn = await publishListing(ctx, owner, editor, offerBody({ title: 'Jatropha oil stove' }));
    await ctx.app.services.jobs.drain();
    // The index drifted: one listing missing, one withdrawn listing still there (its job not run yet).
    await engine.remove([lost.id]);
    await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${withdrawn.id}/withdraw`, headers: owner.auth, payload: {} });
    expect(new Set(await indexed('jatropha'))).toEqual(new Set([kept.id, withdrawn.id]));

    ctx.clock.advanceMs(1_000);
    const progress: [number, number][] = [];
    const result = await ctx.app.services.search.reindex((indexed, total) => progress.push([indexed, total]));
    expect(result).toEqual({ indexed: 2, replayed: 0 });
    expect(progress.at(-1)).toEqual([2, 2]);
    expect(new Set(await indexed('jatropha'))).toEqual(new Set([kept.id, lost.id]));
  });

  it('queues once more what changed while it ran, so the copy it read cannot win', async () => {
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Moringa seed water clarifier' }));
    await ctx.app.services.jobs.drain();
    engine.duringRebuild = async () => {
      await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${listing.id}/withdraw`, headers: owner.auth, payload: {} });
      await ctx.app.services.jobs.drain();
    };
    ctx.clock.advanceMs(1_000);
    const result = await ctx.app.services.search.reindex();
    expect(result.replayed).toBe(1);
    // The rebuild wrote the copy it had read before the withdrawal…
    expect(await indexed('moringa')).toEqual([listing.id]);
    // …and the replayed job puts it right.
    await ctx.app.services.jobs.drain();
    expect(await indexed('moringa')).toEqual([]);
  });

  it('keeps anonymous owners out of the rebuilt documents', async () => {
    const anonymous = await publishListing(ctx, owner, editor, offerBody({ title: 'Anonymous kelp harvester', anonymous: true }));
    const [row] = await ctx.app.services.listings.findManyWithOrganization([anonymous.id]);
    expect(toSearchDocument(row!.listing, row!.organization).organizationName).toBeNull();
  });
});
