import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKeys } from '../src/lib/secrets.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';

// Issue 13, item 1: no secret ever comes from the source.

/** The constant src/config.ts signed tokens and unsubscribe links with when JWT_SECRET was unset. */
const FORMER_BUILT_IN_SECRET = 'dev-only-secret-change-me-in-production-0123456789';
const TEST_SECRET = 'test-secret-for-the-test-suite-only-0123456789';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function hs256(payload: object, key: string | Buffer, header: object = { alg: 'HS256', typ: 'JWT' }) {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('on the embedded database without JWT_SECRET', () => {
  let first: TestContext;
  let admin: TestUser;
  beforeAll(async () => {
    first = await createTestApp({ JWT_SECRET: undefined });
    admin = await createUser(first, { role: 'admin' });
  });
  afterAll(() => first.close());

  it('refuses an admin token signed with the constant that used to be in the source', async () => {
    const forged = hs256({ sub: admin.id, role: 'admin', exp: inAnHour() }, FORMER_BUILT_IN_SECRET);
    const response = await first.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: { authorization: `Bearer ${forged}` } });
    expect(response.statusCode).toBe(401);
    expect((await first.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: admin.auth })).statusCode).toBe(200);
  });

  it('keeps a secret of its own in DATA_DIR, readable by the owner only, and uses it again after a restart', async () => {
    const mode = statSync(join(first.dataDir, 'secret.key')).mode & 0o777;
    expect(mode).toBe(0o600);
    const restarted = await createTestApp({ JWT_SECRET: undefined, DATA_DIR: first.dataDir }, { database: first.database });
    try {
      const me = await restarted.app.inject({ method: 'GET', url: '/api/v1/me', headers: admin.auth });
      expect(me.statusCode).toBe(200);
      expect(me.json().id).toBe(admin.id);
    } finally {
      await restarted.close();
    }
    const elsewhere = await createTestApp({ JWT_SECRET: undefined }, { database: first.database });
    try {
      expect((await elsewhere.app.inject({ method: 'GET', url: '/api/v1/me', headers: admin.auth })).statusCode).toBe(401);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('access tokens', () => {
  let ctx: TestContext;
  let member: TestUser;
  beforeAll(async () => {
    ctx = await createTestApp({ JWT_SECRET: TEST_SECRET });
    member = await createUser(ctx);
  });
  afterAll(() => ctx.close());

  const me = (token: string) => ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });

  it('are refused without an expiry', async () => {
    const { accessTokens } = deriveKeys(TEST_SECRET);
    expect((await me(hs256({ sub: member.id, role: 'member', exp: inAnHour() }, accessTokens))).statusCode).toBe(200);
    expect((await me(hs256({ sub: member.id, role: 'member' }, accessTokens))).statusCode).toBe(401);
  });

  it('are refused when signed with another algorithm, or none', async () => {
    const hs512 = ctx.app.jwt.sign({ sub: member.id, role: 'member' }, { algorithm: 'HS512' });
    expect((await me(hs512)).statusCode).toBe(401);
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: member.id, role: 'member', exp: inAnHour() })}.`;
    expect((await me(unsigned)).statusCode).toBe(401);
  });

  it('are refused when signed with JWT_SECRET itself or with the key of signed links: each use has its own derived key', async () => {
    expect((await me(hs256({ sub: member.id, role: 'member', exp: inAnHour() }, TEST_SECRET))).statusCode).toBe(401);
    expect((await me(hs256({ sub: member.id, role: 'member', exp: inAnHour() }, deriveKeys(TEST_SECRET).signedLinks))).statusCode).toBe(401);
  });
});

describe('starting without JWT_SECRET where one is required', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it.each([
    ['with DATABASE_URL', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing' }],
    ['in production', { NODE_ENV: 'production', DATA_DIR: '/nonexistent/ttm' }],
  ])('refuses to start %s, saying why in one line', (_case, env) => {
    const result = start(env);
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: JWT_SECRET is required when DATABASE_URL is set or NODE_ENV=production/);
  });
});
