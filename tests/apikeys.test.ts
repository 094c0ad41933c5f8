import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let admin: TestUser;
let editor: TestUser;
let owner: TestUser;

beforeAll(async () => {
  ctx = await createTestApp({ API_KEY_RATE_LIMIT_PER_MINUTE: '30' });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx);
});
afterAll(() => ctx.close());

const withKey = (key: string) => ({ authorization: `ApiKey ${key}` });

async function createKey(user: TestUser, body: Record<string, unknown>) {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: user.auth, payload: body });
  return response;
}

describe('API keys', () => {
  it('are shown once, stored hashed, act as their organisation within their scopes, and stop when revoked', async () => {
    const created = await createKey(admin, { name: 'Partner site', scopes: ['listings:read', 'listings:write'], organizationId: owner.organizationId });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^ttm_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const listed = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: admin.auth });
    expect(JSON.stringify(listed.json())).not.toContain(key);
    expect(listed.json().items[0]).toMatchObject({ id, name: 'Partner site', lastUsedAt: null });

    // Writes its own organisation's listings, as a member of it would.
    const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: withKey(key), payload: offerBody() });
    expect(draft.statusCode).toBe(201);
    expect(draft.json().organizationId).toBe(owner.organizationId);
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true', headers: withKey(key) });
    expect(mine.json().items.map((item: any) => item.id)).toEqual([draft.json().id]);
    // An admin's key has no admin powers: it cannot publish, nor write for another organisation.
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${draft.json().id}/publish`, headers: withKey(key), payload: {} })).statusCode).toBe(403);
    const other = await createUser(ctx);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: withKey(key), payload: offerBody({ organizationId: other.organizationId }) })).statusCode).toBe(403);
    // Outside its scopes and on routes keys never use.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/interests', headers: withKey(key) })).json().code).toBe('api_key_scope');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: withKey(key) })).json().code).toBe('api_key_route');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: withKey(key) })).statusCode).toBe(403);

    const used = await ctx.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: admin.auth });
    expect(used.json().items[0].lastUsedAt).not.toBeNull();

    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/api-keys/${id}/revoke`, headers: admin.auth })).json().revokedAt).not.toBeNull();
    const after = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings', headers: withKey(key) });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('invalid_api_key');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings', headers: withKey('ttm_not-a-key') })).statusCode).toBe(401);
  });

  it('read-only keys read; intermediaries manage keys of their own organisation only; members none', async () => {
    const intermediary = await createUser(ctx, { role: 'intermediary', withOrganization: true });
    expect((await createKey(intermediary, { name: 'x', scopes: ['listings:read'], organizationId: owner.organizationId })).statusCode).toBe(403);
    const own = await createKey(intermediary, { name: 'Our site', scopes: ['listings:read', 'interests:read'] });
    expect(own.statusCode).toBe(201);
    expect(own.json().organizationId).toBe(intermediary.organizationId);
    const key = own.json().key;
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings', headers: withKey(key) })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/interests', headers: withKey(key) })).statusCode).toBe(200);
    const write = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: withKey(key), payload: offerBody() });
    expect(write.json().code).toBe('api_key_scope');
    expect((await createKey(owner, { name: 'x', scopes: ['listings:read'] })).statusCode).toBe(403);
    expect((await createKey(admin, { name: 'x', scopes: [] })).json().issues).toEqual([{ path: 'body.scopes', message: 'needs at least one scope' }]);
  });

  it('have a rate limit of their own', async () => {
    const key = (await createKey(admin, { name: 'Busy', scopes: ['listings:read'], organizationId: owner.organizationId })).json().key;
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await ctx.app.inject({ method: 'GET', url: '/api/v1/vocabularies', headers: withKey(key) })).statusCode);
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Other clients are not held back.
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/vocabularies' })).statusCode).toBe(200);
  });
});

describe('incremental sync', () => {
  it('lists changes since a time with tombstones for listings that left public view', async () => {
    const start = ctx.clock.now().toISOString();
    ctx.clock.advanceMs(1000);
    const kept = await publishListing(ctx, owner, editor, offerBody({ title: 'Kept offer' }));
    const gone = await publishListing(ctx, owner, editor, offerBody({ title: 'Withdrawn offer', anonymous: true }));
    const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody({ title: 'Never published' }) });
    ctx.clock.advanceMs(1000);
    const middle = ctx.clock.now().toISOString();
    ctx.clock.advanceMs(1000);
    await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${gone.id}/withdraw`, headers: owner.auth, payload: {} });

    const updated = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings?updatedSince=${encodeURIComponent(start)}&sort=updated` });
    expect(updated.json().items.map((item: any) => item.title)).toEqual(['Kept offer']);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?updatedSince=yesterday' })).json().issues[0].path).toBe('querystring.updatedSince');

    const page1 = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/changes?since=${encodeURIComponent(start)}&limit=1` });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items.map((item: any) => item.id)).toEqual([kept.id]);
    const page2 = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/changes?cursor=${page1.json().next}&limit=5` });
    expect(page2.json().items).toEqual([{ id: gone.id, reference: gone.reference, status: 'withdrawn', updatedAt: expect.any(String), listing: null }]);
    expect(page2.json().next).toBeNull();
    expect(JSON.stringify(page2.json())).not.toContain(draft.json().id);

    const since = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/changes?since=${encodeURIComponent(middle)}` });
    expect(since.json().items.map((item: any) => [item.id, item.status])).toEqual([[gone.id, 'withdrawn']]);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings/changes?cursor=bogus' })).statusCode).toBe(400);
  });
});
