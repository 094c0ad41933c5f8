import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser } from './helpers/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

const register = (payload: Record<string, unknown>) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });

describe('accounts', () => {
  it('registers a member with a new organisation and never returns the password', async () => {
    const response = await register({
      email: 'Ana.Lim@Example.org',
      password: 'a-long-password-1',
      name: 'Ana Lim',
      organization: { name: 'Lim Agro Co.', type: 'sme', size: 'size_1_10', country: 'my' },
    });
    expect(response.statusCode).toBe(202);
    expect(response.body).not.toContain('a-long-password-1');
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'Ana.Lim@Example.org', password: 'a-long-password-1' } });
    const body = login.json();
    expect(body.user).toMatchObject({ email: 'Ana.Lim@Example.org', role: 'member', emailVerified: false });
    expect(body.user.organizationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(login.body).not.toContain('a-long-password-1');
    expect(login.body).not.toMatch(/passwordHash|argon2/);
    const org = await ctx.app.inject({ method: 'GET', url: `/api/v1/organizations/${body.user.organizationId}`, headers: { authorization: `Bearer ${body.accessToken}` } });
    expect(org.json()).toMatchObject({ name: 'Lim Agro Co.', country: 'MY' });
  });

  it('treats e-mail addresses case-insensitively', async () => {
    const duplicate = await register({ email: 'ana.lim@example.ORG', password: 'another-password-2', name: 'Imposter' });
    expect(duplicate.statusCode).toBe(202);
    const imposter = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ana.lim@example.org', password: 'another-password-2' } });
    expect(imposter.statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ANA.LIM@example.org', password: 'a-long-password-1' } });
    expect(login.statusCode).toBe(200);
  });

  it('names each bad field at registration', async () => {
    const response = await register({ email: 'not-an-email', password: 'short', name: '', organization: { name: 'X Co', type: 'startup', country: 'ZZ' } });
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password', 'body.name', 'body.organization.type', 'body.organization.country']));
  });

  it('refuses a wrong password with the same answer as an unknown address', async () => {
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ana.lim@example.org', password: 'nope-nope-nope' } });
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.org', password: 'nope-nope-nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('rotates refresh tokens and revokes them at logout', async () => {
    const user = await createUser(ctx);
    const refreshed = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: user.refreshToken } });
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refreshToken).not.toBe(user.refreshToken);
    const replay = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: user.refreshToken } });
    expect(replay.statusCode).toBe(401);
    await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: next.refreshToken } });
    const afterLogout = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: next.refreshToken } });
    expect(afterLogout.statusCode).toBe(401);
  });

  it('answers /me for a valid token and 401 for a missing, bad or expired one', async () => {
    const user = await createUser(ctx);
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, email: user.email });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const bad = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer not.a.jwt' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ statusCode: 401, code: 'invalid_token' });
    const expired = ctx.app.jwt.sign({ sub: user.id, role: 'member' }, { expiresIn: -10 });
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${expired}` } })).statusCode).toBe(401);
  });

  it('locks out a disabled account at once, even with a live token', async () => {
    const admin = await createUser(ctx, { role: 'admin' });
    const user = await createUser(ctx);
    const disable = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${user.id}`, headers: admin.auth, payload: { disabled: true } });
    expect(disable.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: user.auth })).statusCode).toBe(401);
    const login = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'correct-horse-battery' } });
    expect(login.statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: user.refreshToken } })).statusCode).toBe(401);
  });

  it('lets only admins manage users', async () => {
    const member = await createUser(ctx);
    const editor = await createUser(ctx, { role: 'editor' });
    for (const user of [member, editor]) {
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: user.auth })).statusCode).toBe(403);
      expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${member.id}`, headers: user.auth, payload: { role: 'admin' } })).statusCode).toBe(403);
    }
    const admin = await createUser(ctx, { role: 'admin' });
    const promoted = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${member.id}`, headers: admin.auth, payload: { role: 'editor' } });
    expect(promoted.json().role).toBe('editor');
    const self = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${admin.id}`, headers: admin.auth, payload: { disabled: true } });
    expect(self.statusCode).toBe(409);
  });
});

describe('rate limits', () => {
  it('limits log-in attempts per client', async () => {
    const limited = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@example.org', password: 'wrong-password' } });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
      const last = await limited.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: {} });
      expect([400, 429]).toContain(last.statusCode);
    } finally {
      await limited.close();
    }
  });
});
