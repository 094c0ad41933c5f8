import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { PASSWORD, createUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

// Issue 13, items 5 and 6: a replayed refresh token ends its whole family, and registration does
// not tell whether an address has an account.

let smtp: TestSmtpServer;
let ctx: TestContext;
beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});
beforeEach(() => smtp.clear());

const refresh = (refreshToken: string) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
const login = (email: string, password = PASSWORD) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

describe('refresh-token reuse', () => {
  it('revokes every token of the family and tells the user by mail', async () => {
    const user = await createUser(ctx, { name: 'Robbed Roberta' });
    const otherDevice = (await login(user.email)).json();

    const rotated = await refresh(user.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const newer = rotated.json().refreshToken as string;
    const newest = (await refresh(newer)).json().refreshToken as string;

    const replay = await refresh(user.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect((await refresh(newest)).statusCode).toBe(401);

    // Another log-in is another family: it goes on.
    expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200);

    await ctx.app.services.jobs.drain();
    const mails = smtp.to(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('We signed you out to protect your account');
    expect(mails[0]!.text).toContain('Dear Robbed Roberta,');
  });

  it('mails nobody when the family had already ended at logout', async () => {
    const user = await createUser(ctx);
    await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken: user.refreshToken } });
    expect((await refresh(user.refreshToken)).statusCode).toBe(401);
    await ctx.app.services.jobs.drain();
    expect(smtp.to(user.email)).toHaveLength(0);
  });
});

describe('registration', () => {
  it('answers a known address exactly like a new one, and mails the owner instead of telling the caller', async () => {
    const owner = await createUser(ctx, { name: 'Existing Owner' });
    const fresh = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'brand.new@example.org', password: 'a-long-password-1', name: 'Brand New' },
    });
    const known = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: owner.email.toUpperCase(), password: 'a-long-password-1', name: 'Somebody Else' },
    });
    expect(known.statusCode).toBe(fresh.statusCode);
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual(fresh.json());
    expect(known.headers['content-type']).toBe(fresh.headers['content-type']);

    await ctx.app.services.jobs.drain();
    const [notice, ...more] = smtp.to(owner.email);
    expect(more).toHaveLength(0);
    expect(notice!.subject).toBe('Someone tried to register with your e-mail address');
    expect(notice!.text).toContain('Dear Existing Owner,');
    expect(linkIn(notice!, 'http://tech.test/reset-password').pathname).toBe('/reset-password');
    expect(smtp.to('brand.new@example.org')[0]!.subject).toBe('Confirm your e-mail address');

    // The account is as it was: its password still works and the caller's does not.
    expect((await login(owner.email)).statusCode).toBe(200);
    expect((await login(owner.email, 'a-long-password-1')).statusCode).toBe(401);
    expect((await login('brand.new@example.org', 'a-long-password-1')).statusCode).toBe(200);
  });
});
