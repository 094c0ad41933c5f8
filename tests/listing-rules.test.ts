import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/lib/clock.js';
import { isLive } from '../src/modules/listings/listings.rules.js';
import { createUser, offerBody, type TestUser } from './helpers/factories.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

// The two listing rules other modules rely on, each written once in listings.rules.ts.

describe('what makes a listing live', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const published = { status: 'published', publishedAt: new Date(now.getTime() - DAY_MS), expiresAt: new Date(now.getTime() + DAY_MS) };

  it('is published, dated and not yet expired; anything short of that is not live', () => {
    expect(isLive(published, now)).toBe(true);
    expect(isLive({ ...published, expiresAt: now }, now)).toBe(false);
    expect(isLive({ ...published, expiresAt: null }, now)).toBe(false);
    expect(isLive({ ...published, publishedAt: null }, now)).toBe(false);
    for (const status of ['draft', 'submitted', 'returned', 'on_hold', 'rejected', 'withdrawn', 'expired', 'archived']) {
      expect(isLive({ ...published, status }, now)).toBe(false);
    }
  });
});

describe('who sees a listing', () => {
  let ctx: TestContext;
  let owner: TestUser;
  let colleague: TestUser;
  let editor: TestUser;
  let admin: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    owner = await createUser(ctx);
    colleague = await createUser(ctx, { organizationId: owner.organizationId });
    editor = await createUser(ctx, { role: 'editor' });
    admin = await createUser(ctx, { role: 'admin' });
    stranger = await createUser(ctx);
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const status = async (url: string, user: TestUser | null) =>
    (await ctx.app.inject({ method: 'GET', url, headers: user ? user.auth : {} })).statusCode;

  it('gives the listing page and its matches to the same people in every status', async () => {
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody() });
    const id = created.json().id as string;
    const steps: [string, string | null, TestUser][] = [
      ['draft', null, owner],
      ['submitted', 'submit', owner],
      ['published', 'publish', editor],
    ];
    // Owner side: always; editors and admins: once submitted (admins act for every organisation);
    // anyone else, logged in or not: once published.
    const expected: Record<string, [TestUser | null, number][]> = {
      draft: [[owner, 200], [colleague, 200], [admin, 200], [editor, 404], [stranger, 404], [null, 404]],
      submitted: [[owner, 200], [colleague, 200], [admin, 200], [editor, 200], [stranger, 404], [null, 404]],
      published: [[owner, 200], [colleague, 200], [admin, 200], [editor, 200], [stranger, 200], [null, 200]],
    };
    for (const [state, action, actor] of steps) {
      if (action) expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${id}/${action}`, headers: actor.auth, payload: {} })).statusCode).toBe(200);
      for (const [user, code] of expected[state]!) {
        const seen = { state, user: user?.email ?? 'anonymous' };
        expect({ ...seen, listing: await status(`/api/v1/listings/${id}`, user) }).toEqual({ ...seen, listing: code });
        expect({ ...seen, matches: await status(`/api/v1/listings/${id}/matches`, user) }).toEqual({ ...seen, matches: code });
      }
    }
  });
});
