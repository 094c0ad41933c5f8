import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { PASSWORD, createUser, publishListing, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

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

const api = (method: 'GET' | 'POST', url: string, payload?: object, user?: { auth: Record<string, string> }) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), ...(user ? { headers: user.auth } : {}) });
const drain = () => ctx.app.services.jobs.drain();

describe('e-mail verification', () => {
  it('mails a link at registration whose token verifies the address once', async () => {
    const registered = await api('POST', '/auth/register', {
      email: 'Nimal.Perera@example.lk',
      password: PASSWORD,
      name: 'Nimal Perera',
      organization: { name: 'Lanka Fish Co-op', type: 'sme', country: 'LK' },
    });
    expect(registered.statusCode).toBe(202);
    const loggedIn = await api('POST', '/auth/login', { email: 'Nimal.Perera@example.lk', password: PASSWORD });
    const session = { auth: { authorization: `Bearer ${loggedIn.json().accessToken}` } };
    expect((await api('GET', '/me', undefined, session)).json().emailVerified).toBe(false);

    await drain();
    const [mail] = smtp.to('nimal.perera@example.lk');
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('Confirm your e-mail address');
    expect(mail!.text).toContain('Dear Nimal Perera,');
    expect(mail!.html).toContain('Dear Nimal Perera,');
    const link = linkIn(mail!, 'http://tech.test/verify-email?token=');
    expect(mail!.html).toContain(`href="${link.href.replace(/&/g, '&amp;')}"`);

    const token = link.searchParams.get('token')!;
    expect((await api('POST', '/auth/verify-email', { token })).statusCode).toBe(200);
    expect((await api('GET', '/me', undefined, session)).json().emailVerified).toBe(true);
    const reused = await api('POST', '/auth/verify-email', { token });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('invalid_token');
  });

  it('mails a fresh link on request', async () => {
    const user = await createUser(ctx, { verified: false, name: 'Late Verifier' });
    expect((await api('POST', '/auth/verify-email/resend', {}, user)).statusCode).toBe(202);
    await drain();
    const [mail] = smtp.to(user.email);
    const token = linkIn(mail!, 'http://tech.test/verify-email?token=').searchParams.get('token')!;
    expect((await api('POST', '/auth/verify-email', { token })).statusCode).toBe(200);
    expect((await api('GET', '/me', undefined, user)).json().emailVerified).toBe(true);
  });
});

describe('password reset', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(ctx, { name: 'Forgetful Farmer' });
  });

  it('answers the same for unknown addresses and mails nothing', async () => {
    const unknown = await api('POST', '/auth/password-reset', { email: 'nobody@example.org' });
    const known = await api('POST', '/auth/password-reset', { email: user.email });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());
    await drain();
    expect(smtp.to('nobody@example.org')).toHaveLength(0);
    expect(smtp.to(user.email)).toHaveLength(1);
  });

  it('resets the password with the mailed single-use link and ends the old sessions', async () => {
    await api('POST', '/auth/password-reset', { email: user.email });
    await drain();
    const mail = smtp.to(user.email).at(-1)!;
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text).toContain('Dear Forgetful Farmer,');
    expect(mail.text).toContain('expires in 60 minutes');
    const token = linkIn(mail, 'http://tech.test/reset-password?token=').searchParams.get('token')!;

    const newPassword = 'a-brand-new-password-42';
    expect((await api('POST', '/auth/password-reset/confirm', { token, password: newPassword })).statusCode).toBe(200);
    expect((await api('POST', '/auth/login', { email: user.email, password: PASSWORD })).statusCode).toBe(401);
    expect((await api('POST', '/auth/login', { email: user.email, password: newPassword })).statusCode).toBe(200);
    expect((await api('POST', '/auth/refresh', { refreshToken: user.refreshToken })).statusCode).toBe(401);
    const reused = await api('POST', '/auth/password-reset/confirm', { token, password: 'yet-another-password-1' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('invalid_token');
  });

  it('refuses an expired link', async () => {
    const other = await createUser(ctx, { name: 'Slow Reader' });
    await api('POST', '/auth/password-reset', { email: other.email });
    await drain();
    const token = linkIn(smtp.to(other.email)[0]!, 'http://tech.test/reset-password?token=').searchParams.get('token')!;
    ctx.clock.advanceMs(61 * 60_000);
    const late = await api('POST', '/auth/password-reset/confirm', { token, password: 'too-late-password-1' });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('invalid_token');
  });
});

describe('listing renewal reminder', () => {
  it('mails the owner organisation two weeks before expiry, once, with a working link', async () => {
    const owner = await createUser(ctx, { name: 'Owner One' });
    const colleague = await createUser(ctx, { organizationId: owner.organizationId, name: 'Owner Two' });
    const editor = await createUser(ctx, { role: 'editor' });
    const admin = await createUser(ctx, { role: 'admin' });
    const listing = await publishListing(ctx, owner, editor);

    ctx.clock.advanceDays(365 - 20);
    await api('POST', '/admin/maintenance/expiry-sweep', {}, admin);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(0);

    ctx.clock.advanceDays(8);
    const sweep = await api('POST', '/admin/maintenance/expiry-sweep', {}, admin);
    expect(sweep.json().reminded).toBeGreaterThanOrEqual(1);
    await drain();
    for (const [user, name] of [
      [owner, 'Owner One'],
      [colleague, 'Owner Two'],
    ] as const) {
      const mails = smtp.to(user.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(new RegExp(`^Your listing ${listing.reference} expires on \\d{1,2} \\w+ \\d{4}$`));
      expect(mails[0]!.text).toContain(`Dear ${name},`);
      expect(mails[0]!.text).toContain(listing.title);
      const link = linkIn(mails[0]!, 'http://tech.test/listings/');
      const id = link.pathname.split('/').pop();
      expect(id).toBe(listing.id);
      expect((await api('GET', `/listings/${id}`, undefined, user)).statusCode).toBe(200);
    }

    await api('POST', '/admin/maintenance/expiry-sweep', {}, admin);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(1);
  });
});
