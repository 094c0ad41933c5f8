import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// Expensive anonymous work is bounded: a rate limit per client on anonymous search and matches,
// and a cap on how much search and matching runs at once (503 with Retry-After past its queue),
// which health checks never wait for.

const SEARCH_LIMIT = 5;
const MATCHES_LIMIT = 3;

let ctx: TestContext;
let member: TestUser;
let listingId: string;

const get = (url: string, options: { user?: TestUser; ip?: string } = {}) =>
  ctx.app.inject({ method: 'GET', url, headers: options.user?.auth ?? {}, ...(options.ip ? { remoteAddress: options.ip } : {}) });

beforeAll(async () => {
  ctx = await createTestApp({
    SEARCH_RATE_LIMIT_PER_MINUTE: String(SEARCH_LIMIT),
    MATCHES_RATE_LIMIT_PER_MINUTE: String(MATCHES_LIMIT),
    EXPENSIVE_WORK_CONCURRENCY: '1',
    EXPENSIVE_WORK_QUEUE: '0',
  });
  const editor = await createUser(ctx, { role: 'editor' });
  member = await createUser(ctx);
  const other = await createUser(ctx);
  listingId = (await publishListing(ctx, member, editor, requestBody())).id;
  await publishListing(ctx, other, editor, offerBody());
  await ctx.app.services.jobs.drain();
});
afterAll(() => ctx.close());

describe('anonymous rate limits', () => {
  it('answer 429 to an anonymous client past its searches per minute; other clients and logged-in users go on', async () => {
    for (let i = 0; i < SEARCH_LIMIT; i++) expect((await get('/api/v1/search?q=solar', { ip: '198.51.100.7' })).statusCode).toBe(200);
    const refused = await get('/api/v1/search?q=solar', { ip: '198.51.100.7' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ statusCode: 429, code: 'too_many_requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('/api/v1/search?q=solar', { ip: '198.51.100.8' })).statusCode).toBe(200);
    expect((await get('/api/v1/search?q=solar', { ip: '198.51.100.7', user: member })).statusCode).toBe(200);
  });

  it('hold the search page to the same limit per anonymous client, answered with a page in the site style', async () => {
    const page = (ip: string) => ctx.app.inject({ method: 'GET', url: '/search?q=solar', headers: { accept: 'text/html' }, remoteAddress: ip });
    for (let i = 0; i < SEARCH_LIMIT; i++) expect((await page('198.51.100.21')).statusCode).toBe(200);
    const refused = await page('198.51.100.21');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/text\/html/);
    expect(refused.body).toContain('Too many');
    expect((await page('198.51.100.22')).statusCode).toBe(200);
  });

  it('answer 429 past the matches per minute, counted apart from searches', async () => {
    for (let i = 0; i < MATCHES_LIMIT; i++) expect((await get(`/api/v1/listings/${listingId}/matches`, { ip: '203.0.113.9' })).statusCode).toBe(200);
    expect((await get(`/api/v1/listings/${listingId}/matches`, { ip: '203.0.113.9' })).statusCode).toBe(429);
    expect((await get('/api/v1/search?q=solar', { ip: '203.0.113.9' })).statusCode).toBe(200);
    expect((await get(`/api/v1/listings/${listingId}/matches`, { ip: '203.0.113.9', user: member })).statusCode).toBe(200);
  });
});

describe('the cap on concurrent expensive work', () => {
  it('answers 503 with Retry-After while the cap is taken and its queue full; /health still answers', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // One search or match already under way (the cap is 1, the queue 0).
    const inFlight = ctx.app.services.expensiveWork.run(() => held);

    const busyMatches = await get(`/api/v1/listings/${listingId}/matches`, { user: member });
    expect(busyMatches.statusCode).toBe(503);
    expect(busyMatches.headers['retry-after']).toBe('5');
    expect(busyMatches.json()).toMatchObject({ statusCode: 503, code: 'service_busy' });
    expect((await get('/api/v1/search?q=solar', { user: member })).statusCode).toBe(503);
    const health = await get('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json().status).toBe('ok');

    release();
    await inFlight;
    expect((await get(`/api/v1/listings/${listingId}/matches`, { user: member })).statusCode).toBe(200);
    expect((await get('/api/v1/search?q=solar', { user: member })).statusCode).toBe(200);
  });
});
