import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { FlakyEngine } from './search/flaky-engine.js';
import { WebClient } from './helpers/web-client.js';
import { createUser, offerBody, publishListing } from './helpers/factories.js';

let ctx: TestContext;
let engine: FlakyEngine;

beforeAll(async () => {
  ctx = await createTestApp({}, { searchEngine: (database) => (engine = new FlakyEngine(new PostgresSearchEngine(database.db))) });
});

afterAll(async () => {
  await ctx?.close();
});

it('with the search engine down, the search page says so and the home page answers the 500 page in the site’s style', async () => {
  engine.mode = 'down';
  const web = new WebClient(ctx);
  const search = await web.get('/search?q=solar');
  expect(search.statusCode).toBe(503);
  expect(search.body).toContain('Search is unavailable for a moment.');
  const home = await web.get('/');
  expect(home.statusCode).toBe(500);
  expect(home.body).toContain('Something went wrong');
  expect(home.body).toMatch(/Reference of this error: [0-9a-f-]{36}/);
  expect(home.body).toContain('class="site-header"');
  expect(home.body).not.toContain('unreachable');
  engine.mode = 'up';
  expect((await web.get('/')).statusCode).toBe(200);
});

it('formats dates in the reader’s locale from Accept-Language', async () => {
  const editor = await createUser(ctx, { role: 'editor' });
  const owner = await createUser(ctx);
  const listing = await publishListing(ctx, owner, editor, offerBody());
  const web = new WebClient(ctx);
  const german = await web.get(`/listings/${listing.reference}`, { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' });
  expect(german.body).toContain('<time datetime="2026-03-02T09:00:00.000Z">02.03.2026</time>');
  const british = await web.get(`/listings/${listing.reference}`, { 'accept-language': 'en-GB' });
  expect(british.body).toContain('<time datetime="2026-03-02T09:00:00.000Z">2 Mar 2026</time>');
  const bogus = await web.get(`/listings/${listing.reference}`, { 'accept-language': '*;q=0.1, x-bogus-tag-that-is-long' });
  expect(bogus.body).toContain('2 Mar 2026');
});
