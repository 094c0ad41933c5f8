import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/client.js';
import { safeErrorMessage } from '../src/lib/log-safety.js';
import { TestClock, createTestApp, openTestDatabase, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, type TestUser } from './helpers/factories.js';

// Issue 13, item 3: control characters are refused at the edge, and nothing secret reaches a log.

let ctx: TestContext;
let member: TestUser;
let editor: TestUser;
let admin: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  member = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(() => ctx.close());

const NUL = 'a\u0000b';
const q = encodeURIComponent(NUL);
type Place = [name: string, method: 'GET' | 'POST' | 'PATCH', url: string, who: () => TestUser | undefined, payload: object | undefined, field: string];

const places: Place[] = [
  ['listing title', 'POST', '/api/v1/listings', () => member, offerBody({ title: NUL }), 'body.title'],
  ['listing description', 'POST', '/api/v1/listings', () => member, offerBody({ description: `long text\n${NUL}` }), 'body.description'],
  ['listing keyword', 'POST', '/api/v1/listings', () => member, offerBody({ keywords: ['solar', NUL] }), 'body.keywords.1'],
  ['register name', 'POST', '/api/v1/auth/register', () => undefined, { email: 'nul@example.org', password: 'a-long-password-1', name: NUL }, 'body.name'],
  ['login e-mail', 'POST', '/api/v1/auth/login', () => undefined, { email: `x${NUL}@example.org`, password: 'whatever-it-is' }, 'body.email'],
  ['password reset e-mail', 'POST', '/api/v1/auth/password-reset', () => undefined, { email: `x${NUL}@example.org` }, 'body.email'],
  ['organisation list filter', 'GET', `/api/v1/organizations?q=${q}`, () => member, undefined, 'querystring.q'],
  ['user list filter', 'GET', `/api/v1/admin/users?q=${q}`, () => admin, undefined, 'querystring.q'],
  ['mail list filter', 'GET', `/api/v1/admin/mail?to=${q}`, () => admin, undefined, 'querystring.to'],
  ['search words', 'GET', `/api/v1/search?q=${q}`, () => undefined, undefined, 'querystring.q'],
  ['editor note', 'POST', `/api/v1/listings/${randomUUID()}/return`, () => editor, { note: NUL }, 'body.note'],
  ['EOI message', 'POST', '/api/v1/interests', () => member, { listingId: randomUUID(), message: NUL }, 'body.message'],
  ['EOI decline note', 'POST', `/api/v1/interests/${randomUUID()}/decline`, () => member, { reason: 'other', note: NUL }, 'body.note'],
  ['saved-search name', 'POST', '/api/v1/saved-searches', () => member, { name: NUL, query: 'solar' }, 'body.name'],
  ['saved-search query', 'POST', '/api/v1/saved-searches', () => member, { name: 'Solar', query: NUL }, 'body.query'],
  ['issue title', 'POST', '/api/v1/techmonitor/issues', () => editor, { title: NUL }, 'body.title'],
  ['subscriber name', 'POST', '/api/v1/techmonitor/subscribers', () => undefined, { email: 'reader@example.org', name: NUL }, 'body.name'],
  ['organisation name', 'PATCH', `/api/v1/organizations/${randomUUID()}`, () => member, { name: NUL }, 'body.name'],
  ['path parameter', 'GET', `/api/v1/listings/${q}`, () => undefined, undefined, 'params.id'],
];

describe('control characters', () => {
  it.each(places)('a NUL in the %s answers 400 naming the field', async (_name, method, url, who, payload, field) => {
    const user = who();
    const response = await ctx.app.inject({ method, url, ...(payload ? { payload } : {}), ...(user ? { headers: user.auth } : {}) });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
    expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain(field);
  });

  it('allows tab and line breaks in long text, and no other control character', async () => {
    const withBreaks = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: member.auth,
      payload: offerBody({ description: 'First paragraph.\r\n\r\nSecond paragraph:\n\t- a point', advantages: 'Cheaper.\nFaster.' }),
    });
    expect(withBreaks.statusCode).toBe(201);
    expect(withBreaks.json().description).toContain('\n\t- a point');

    for (const [field, value] of [
      ['title', 'A title\nwith a line break'],
      ['title', 'A title\twith a tab'],
      ['description', 'An escape \u001b[31m sequence'],
      ['summary', 'A DEL \u007f character'],
    ] as const) {
      const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: member.auth, payload: offerBody({ [field]: value }) });
      expect(response.statusCode, `${field}: ${JSON.stringify(value)}`).toBe(400);
      expect(response.json().issues).toEqual([{ path: `body.${field}`, message: expect.stringMatching(/control characters/) }]);
    }
  });
});

describe('what reaches the log', () => {
  let app: FastifyInstance;
  let database: DatabaseHandle;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await openTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      WORKER_ENABLED: 'false',
      DATA_DIR: '/nonexistent/ttm-log-test',
      JWT_SECRET: 'test-secret-for-the-test-suite-only-0123456789',
    });
    app = await buildApp(config, { database, clock: new TestClock(), logStream: { write: (line) => void lines.push(line) } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.close();
  });

  /** The database's refusal of an account whose name holds a NUL (past the edge: the CLI, a job), beside a freshly hashed password. */
  const refusedAccount = (email: string, password: string) =>
    app.database.db
      .transaction((tx) => app.services.users.createUser(tx, { email, name: NUL, password, role: 'member', organizationId: null, verified: true }))
      .then(
        () => null,
        (error: unknown) => error,
      );

  it('never holds a password hash, a password or a token, even when the database refuses a statement', async () => {
    const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: 'nul@example.org', password: 'a-long-password-1', name: NUL } });
    expect(refused.statusCode).toBe(400);

    // Past the edge (the CLI, a job), a NUL reaches PostgreSQL with a freshly hashed password beside it.
    const failure = await refusedAccount('cli@example.org', 'a-long-password-2');
    expect(failure).toBeInstanceOf(Error);
    expect(JSON.stringify({ message: (failure as Error).message })).toMatch(/argon2/);
    app.log.error({ err: failure }, 'unhandled error');

    const registered = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: 'someone@example.org', password: 'a-long-password-3', name: 'Someone' } });
    expect(registered.statusCode).toBe(202);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'someone@example.org', password: 'a-long-password-3' } });
    const { accessToken, refreshToken } = login.json();
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${accessToken}` } });
    await app.inject({ method: 'GET', url: `/api/v1/saved-searches/unsubscribe?token=${refreshToken}` });

    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain('Failed query');
    expect(log).not.toMatch(/\$argon2/);
    expect(log).not.toContain('a-long-password');
    expect(log).not.toContain(accessToken);
    expect(log).not.toContain(refreshToken);
    expect(log).toContain('token=[redacted]');
  });

  it('keeps the parameters of a refused statement out of the messages stored as job errors or shown to admins', async () => {
    const failure = await refusedAccount('stored@example.org', 'a-long-password-4');
    expect((failure as Error).message).toContain('stored@example.org');
    const stored = safeErrorMessage(failure);
    expect(stored).toContain('Failed query');
    expect(stored).not.toContain('stored@example.org');
    expect(stored).not.toMatch(/\$argon2/);
  });
});
