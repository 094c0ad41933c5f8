import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { PASSWORD, createUser, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

// Issue 13, item 2: the client's address cannot be forged, and limits hold per account, across
// copies of the service.

const wrongLogin = (ctx: TestContext, email: string, forwardedFor: string) =>
  ctx.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-forwarded-for': forwardedFor },
    payload: { email, password: 'not-the-password' },
  });
const addressNumber = (i: number) => `203.0.113.${i + 1}`;

describe('X-Forwarded-For', () => {
  it('is not trusted by default: 12 wrong passwords under 12 made-up addresses hit the per-client limit', async () => {
    const ctx = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '10' });
    try {
      const codes: number[] = [];
      // A different address each time, so that only the per-client limit can answer 429.
      for (let i = 0; i < 12; i++) codes.push((await wrongLogin(ctx, `user${i}@example.org`, addressNumber(i))).statusCode);
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(codes.slice(10)).toEqual([429, 429]);
    } finally {
      await ctx.close();
    }
  });

  it('is trusted from the configured proxies only', async () => {
    const ctx = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '10', TRUST_PROXY: '127.0.0.1' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await wrongLogin(ctx, `user${i}@example.org`, addressNumber(i))).statusCode);
      expect(codes).toEqual(Array(12).fill(401));
    } finally {
      await ctx.close();
    }
  });

  it('TRUST_PROXY takes a hop count, true/false or proxy addresses and CIDRs, and names a bad value', () => {
    const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).server.trustProxy;
    expect(loadConfig({}).server.trustProxy).toBe(false);
    expect(trust('2')).toBe(2);
    expect(trust('true')).toBe(true);
    expect(trust('10.0.0.0/8, 192.168.1.7, ::1')).toEqual(['10.0.0.0/8', '192.168.1.7', '::1']);
    expect(() => trust('proxy.example.org')).toThrow(/^Invalid configuration: TRUST_PROXY "proxy.example.org" is not/);
    expect(() => trust('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  });
});

describe('failed log-ins per account', () => {
  let first: TestContext;
  let second: TestContext;
  let user: TestUser;
  beforeAll(async () => {
    // Two copies of the service on one database, each trusting its proxy: every request comes from a new client.
    first = await createTestApp({ TRUST_PROXY: 'true', LOGIN_FAILURES_BEFORE_LOCK: '5', LOGIN_LOCK_MINUTES: '15' });
    second = await createTestApp({ TRUST_PROXY: 'true' }, { database: first.database, clock: first.clock });
    user = await createUser(first);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('lock the account after 5 failures from 12 addresses spread over two copies, for the right password too, until the window ends', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await wrongLogin(i % 2 ? second : first, user.email, addressNumber(i))).statusCode);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill(401));
    expect(codes.slice(5)).toEqual(Array(7).fill(429));
    const locked = await first.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'login_locked', message: expect.stringMatching(/try again in 15 minutes/) });

    first.clock.advanceMs(16 * 60_000);
    const afterWindow = await second.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: PASSWORD } });
    expect(afterWindow.statusCode).toBe(200);
  });

  it('lock an unknown address the same way, so a lock tells nothing about who has an account', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await wrongLogin(first, 'nobody-here@example.org', addressNumber(i))).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('are lifted by a password reset, which works while the address is locked', async () => {
    const smtp = await startSmtpServer();
    const mailing = await createTestApp({ SMTP_URL: smtp.url, TRUST_PROXY: 'true' }, { database: first.database, clock: first.clock });
    try {
      const locked = await createUser(mailing, { name: 'Locked Out' });
      for (let i = 0; i < 5; i++) await wrongLogin(mailing, locked.email, addressNumber(i));
      expect((await wrongLogin(mailing, locked.email, addressNumber(6))).statusCode).toBe(429);
      expect((await mailing.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: locked.email } })).statusCode).toBe(202);
      await mailing.app.services.jobs.drain();
      const token = linkIn(smtp.to(locked.email)[0]!, 'http://tech.test/reset-password?token=').searchParams.get('token')!;
      const confirmed = await mailing.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password: 'a-fresh-password-9' } });
      expect(confirmed.statusCode).toBe(200);
      const login = await mailing.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: locked.email, password: 'a-fresh-password-9' } });
      expect(login.statusCode).toBe(200);
    } finally {
      await mailing.close();
      await smtp.stop();
    }
  });

  it('start again from zero after a successful log-in', async () => {
    const other = await createUser(first);
    for (let i = 0; i < 4; i++) expect((await wrongLogin(first, other.email, addressNumber(i))).statusCode).toBe(401);
    expect((await first.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: other.email, password: PASSWORD } })).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await wrongLogin(first, other.email, addressNumber(i))).statusCode).toBe(401);
  });
});

describe('account mails per address', () => {
  let smtp: TestSmtpServer;
  let ctx: TestContext;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = await createTestApp({ SMTP_URL: smtp.url, TRUST_PROXY: 'true', ACCOUNT_MAILS_PER_HOUR: '3' });
  });
  afterAll(async () => {
    await ctx.close();
    await smtp.stop();
  });
  beforeEach(() => smtp.clear());

  it('send at most 3 password-reset mails an hour to one address, answering every request alike', async () => {
    const user = await createUser(ctx, { name: 'Flooded Inbox' });
    for (let i = 0; i < 15; i++) {
      const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', headers: { 'x-forwarded-for': addressNumber(i) }, payload: { email: user.email } });
      expect(response.statusCode).toBe(202);
    }
    await ctx.app.services.jobs.drain();
    expect(smtp.to(user.email)).toHaveLength(3);

    ctx.clock.advanceMs(61 * 60_000);
    await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: user.email } });
    await ctx.app.services.jobs.drain();
    expect(smtp.to(user.email)).toHaveLength(4);
  });

  it('count verification mails and registration notices in the same allowance', async () => {
    const user = await createUser(ctx, { verified: false });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      codes.push((await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/verify-email/resend', headers: user.auth })).statusCode);
    }
    expect(codes).toEqual([202, 202, 202, 429]);
    const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: user.email, password: 'a-long-password-1', name: 'Someone' } });
    expect(again.statusCode).toBe(202);
    await ctx.app.services.jobs.drain();
    expect(smtp.to(user.email)).toHaveLength(3);
  });
});
