import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let editor: TestUser;
let owner: TestUser;
const parser = new Parser({ customFields: { item: ['author', 'updated'] } });

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { country: 'TH' });
  await publishListing(ctx, owner, editor, offerBody({ title: 'Cold room <for> farmers & "co-ops"' }));
  ctx.clock.advanceMs(60_000);
  await publishListing(ctx, owner, editor, offerBody({ title: 'Anonymous rice dryer', anonymous: true }));
  await publishListing(ctx, owner, editor, requestBody());
  await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody({ title: 'Draft, not in feeds' }) });
});
afterAll(() => ctx.close());

describe('Atom feeds', () => {
  it('are valid Atom that a feed parser reads, newest first, filtered like search', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/feeds/listings.atom?kind=offer&sector=agriculture_food' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(response.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    const feed = await parser.parseString(response.body);
    expect(feed.title).toBe('Technology offers: Agriculture and food');
    expect(feed.items.map((item) => item.title)).toEqual([
      expect.stringMatching(/^TO-TH-2026-\d{5}: Anonymous rice dryer$/),
      expect.stringMatching(/^TO-TH-2026-\d{5}: Cold room <for> farmers & "co-ops"$/),
    ]);
    expect(feed.items[0]!.link).toMatch(/^http:\/\/tech\.test\/listings\/[0-9a-f-]{36}$/);
    expect((feed.items[0] as { id?: string }).id).toMatch(/^urn:uuid:/);
    expect(feed.items[1]!.contentSnippet ?? feed.items[1]!.summary).toContain('A 5-tonne cold room');
    // The anonymous listing names its country, never its owner.
    expect(JSON.stringify(feed.items[0]!.author)).toContain('Anonymous (Thailand)');
    expect(response.body).not.toMatch(/Draft, not in feeds/);
    expect(response.body.match(/<entry>/g)).toHaveLength(2);
  });

  it('requests, all listings, and bad filters', async () => {
    const requests = await parser.parseString((await ctx.app.inject({ method: 'GET', url: '/feeds/listings.atom?kind=request' })).body);
    expect(requests.items.map((item) => item.title)).toEqual([expect.stringMatching(/Low-cost fish drying without diesel$/)]);
    const all = await parser.parseString((await ctx.app.inject({ method: 'GET', url: '/feeds/listings.atom?limit=2' })).body);
    expect(all.items).toHaveLength(2);
    const bad = await ctx.app.inject({ method: 'GET', url: '/feeds/listings.atom?sector=astrology' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues[0].path).toMatch(/sector/);
  });
});
