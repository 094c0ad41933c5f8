import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { jobs } from '../drizzle/jobs.js';
import { mailMessages } from '../drizzle/mail.js';
import type { OutgoingMail } from '../src/modules/mail/mail.types.js';
import { MAIL_MAX_ATTEMPTS } from '../src/modules/mail/mail.service.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

let smtp: TestSmtpServer;
let ctx: TestContext;
let admin: TestUser;
let member: TestUser;
let sequence = 0;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Tech Database <no-reply@tech.test>' });
  admin = await createUser(ctx, { role: 'admin' });
  member = await createUser(ctx);
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});
beforeEach(() => {
  smtp.refuse(null);
  smtp.clear();
});

type ResetMail = Extract<OutgoingMail, { template: 'password_reset' }>;

function resetMail(overrides: Partial<ResetMail> = {}): ResetMail {
  sequence++;
  return {
    to: { email: `reader-${sequence}@example.org`, name: `Reader ${sequence}` },
    template: 'password_reset',
    data: { token: `token-${sequence}-abcdefghij`, expiresInMinutes: 60 },
    idempotencyKey: `test:${sequence}`,
    ...overrides,
  };
}

const enqueue = (message: OutgoingMail) => ctx.database.db.transaction((tx) => ctx.app.services.mail.enqueue(tx, message));
const drain = () => ctx.app.services.jobs.drain();
const rowFor = async (key: string) => (await ctx.database.db.select().from(mailMessages).where(eq(mailMessages.idempotencyKey, key)))[0]!;
const rowsFor = (key: string) => ctx.database.db.select().from(mailMessages).where(eq(mailMessages.idempotencyKey, key));
/** Puts the message's delivery job back to pending, as a worker that died mid-job leaves it once its lock goes stale. */
const rerunJob = (mailId: string) =>
  ctx.database.db
    .update(jobs)
    .set({ status: 'pending', runAt: ctx.clock.now(), lockedAt: null, lockedBy: null })
    .where(sql`${jobs.queue} = 'mail' and ${jobs.payload}->>'mailId' = ${mailId}`);
const adminMail = (query: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/admin/mail?${query}`, headers: admin.auth });

describe('mail delivery over SMTP', () => {
  it('sends a queued message with its recipient, subject, fixed Message-ID and both parts', async () => {
    const message = resetMail();
    await enqueue(message);
    expect(smtp.messages).toHaveLength(0);
    await drain();
    const [received] = smtp.to(message.to.email);
    expect(received).toBeDefined();
    expect(received!.recipients).toEqual([message.to.email]);
    expect(received!.subject).toBe('Reset your password');
    expect(received!.text).toContain(`Dear ${message.to.name},`);
    expect(received!.text).toContain('http://tech.test/reset-password?token=token-');
    expect(received!.html).toContain('href="http://tech.test/reset-password?token=token-');
    expect(received!.headers.get('from')).toMatchObject({ value: [{ address: 'no-reply@tech.test' }] });
    const row = await rowFor(message.idempotencyKey);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(row.sentAt?.toISOString()).toBe(ctx.clock.now().toISOString());
    expect(received!.messageId).toBe(row.messageId);
    expect(row.messageId).toMatch(/^<[0-9a-f-]{36}@tech\.test>$/);
  });

  it('keeps one message per idempotency key, however often it is enqueued', async () => {
    const message = resetMail();
    await enqueue(message);
    await enqueue({ ...message, data: { token: 'another-token-0123', expiresInMinutes: 60 } });
    await drain();
    await enqueue(message);
    await drain();
    expect(await rowsFor(message.idempotencyKey)).toHaveLength(1);
    expect(smtp.to(message.to.email)).toHaveLength(1);
  });

  it('escapes data in the HTML part', async () => {
    const message: OutgoingMail = {
      ...resetMail(),
      template: 'interest_received',
      data: {
        interestId: 'i-1',
        listingId: 'l-1',
        reference: 'TO-TH-2026-00001',
        listingTitle: 'Cold <room>',
        senderName: 'Ana "Q" <script>alert(1)</script>',
        senderOrganizationName: 'Fish & Co',
        senderCountry: 'LK',
        sentByIntermediary: false,
        message: 'We need <b>this</b>\nsecond line',
      },
    };
    await enqueue(message);
    await drain();
    const [received] = smtp.to(message.to.email);
    expect(received!.html).not.toContain('<script>');
    expect(received!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(received!.html).toContain('Fish &amp; Co');
    expect(received!.html).toContain('We need &lt;b&gt;this&lt;/b&gt;<br>second line');
    expect(received!.text).toContain('> We need <b>this</b>\n> second line');
  });

  it('refuses an unknown template or bad data at enqueue time, rolling back the caller', async () => {
    // The type check refuses both; a message built from untyped input is refused when it is enqueued.
    const unknown = { ...resetMail(), template: 'no_such_template' } as unknown as OutgoingMail;
    await expect(enqueue(unknown)).rejects.toThrow(/Unknown mail template "no_such_template"/);
    const badData = { ...resetMail(), data: { token: 42 } } as unknown as OutgoingMail;
    await expect(enqueue(badData)).rejects.toThrow(/invalid data: token/);
    expect(await rowsFor(unknown.idempotencyKey)).toHaveLength(0);
    expect(await rowsFor(badData.idempotencyKey)).toHaveLength(0);
  });

  it('adds one-click List-Unsubscribe headers and a footer link when the data carries an unsubscribe URL', async () => {
    const message = resetMail({ data: { token: 'tok-unsubscribe-1', expiresInMinutes: 60, unsubscribeUrl: 'http://tech.test/unsubscribe?t=abc' } });
    await enqueue(message);
    await drain();
    const [received] = smtp.to(message.to.email);
    expect(received!.raw).toMatch(/^List-Unsubscribe: <http:\/\/tech\.test\/unsubscribe\?t=abc>\r?$/m);
    expect(received!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(received!.text).toContain('To stop receiving these messages: http://tech.test/unsubscribe?t=abc');
    await expect(enqueue(resetMail({ data: { token: 'x-0123456789', expiresInMinutes: 60, unsubscribeUrl: 'javascript:alert(1)' } }))).rejects.toThrow(
      /unsubscribeUrl/,
    );
  });
});

describe('when SMTP fails', () => {
  it('keeps a refused message queued and delivers it once the server accepts again', async () => {
    const message = resetMail();
    await enqueue(message);
    smtp.refuse(451);
    await drain();
    expect(smtp.messages).toHaveLength(0);
    const refused = await rowFor(message.idempotencyKey);
    expect(refused).toMatchObject({ status: 'queued', attempts: 1 });
    expect(refused.lastError).toMatch(/451/);

    smtp.refuse(null);
    await drain(); // the retry waits for its backoff
    expect(smtp.messages).toHaveLength(0);
    ctx.clock.advanceMs(60_000);
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    expect(await rowFor(message.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('keeps mail queued while the server is down and delivers it when it is back', async () => {
    const message = resetMail();
    await enqueue(message);
    await smtp.stop();
    try {
      await drain();
      ctx.clock.advanceMs(60_000);
      await drain();
    } finally {
      await smtp.start();
    }
    const waiting = await rowFor(message.idempotencyKey);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 2 });
    expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);
    ctx.clock.advanceMs(3_600_000);
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    expect((await rowFor(message.idempotencyKey)).status).toBe('sent');
  });

  it('leaves a message failed after the last temporary refusal, visible to admins, who can send it again', async () => {
    const message = resetMail();
    await enqueue(message);
    smtp.refuse(451);
    for (let attempt = 0; attempt < MAIL_MAX_ATTEMPTS; attempt++) {
      await drain();
      ctx.clock.advanceMs(3_600_000);
    }
    await drain();
    const failed = await rowFor(message.idempotencyKey);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAIL_MAX_ATTEMPTS });

    const list = await adminMail('status=failed');
    expect(list.statusCode).toBe(200);
    const item = list.json().items.find((entry: { id: string }) => entry.id === failed.id);
    expect(item).toMatchObject({ to: { email: message.to.email, name: message.to.name }, template: 'password_reset', status: 'failed', attempts: MAIL_MAX_ATTEMPTS });
    expect(item.lastError).toMatch(/451/);
    expect(item).not.toHaveProperty('text');
    expect(item).not.toHaveProperty('html');

    smtp.refuse(null);
    const retried = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/mail/${failed.id}/retry`, headers: admin.auth });
    expect(retried.statusCode).toBe(202);
    expect(retried.json().status).toBe('queued');
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    expect((await rowFor(message.idempotencyKey)).status).toBe('sent');

    const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/mail/${failed.id}/retry`, headers: admin.auth });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('mail_not_failed');
  });

  it('ends a permanently refused (5xx) message as failed at once, with the server reply, and retries job and mail together', async () => {
    const message = resetMail();
    await enqueue(message);
    smtp.refuse(550);
    await drain();
    const failed = await rowFor(message.idempotencyKey);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    const item = (await adminMail(`status=failed&to=${encodeURIComponent(message.to.email)}`)).json().items[0];
    expect(item.lastError).toMatch(/550 Mailbox unavailable/);
    const jobOf = async () =>
      (await ctx.database.db.select().from(jobs).where(sql`${jobs.queue} = 'mail' and ${jobs.payload}->>'mailId' = ${failed.id}`));
    expect((await jobOf()).map((job) => job.status)).toEqual(['failed']);

    // Retried through the job view: the message is queued again too.
    smtp.refuse(null);
    const [job] = await jobOf();
    const retried = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/jobs/${job!.id}/retry`, headers: admin.auth });
    expect(retried.statusCode).toBe(202);
    expect((await rowFor(message.idempotencyKey)).status).toBe('queued');
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    expect((await rowFor(message.idempotencyKey)).status).toBe('sent');
    expect((await jobOf()).map((row) => row.status)).toEqual(['done']);
  });

  it('reopens the failed job when an admin retries the failed message, so both views agree', async () => {
    const message = resetMail();
    await enqueue(message);
    smtp.refuse(554);
    await drain();
    const failed = await rowFor(message.idempotencyKey);
    const jobsOf = async () =>
      (await ctx.database.db.select().from(jobs).where(sql`${jobs.queue} = 'mail' and ${jobs.payload}->>'mailId' = ${failed.id}`)).map((row) => row.status);
    expect(await jobsOf()).toEqual(['failed']);
    const retried = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/mail/${failed.id}/retry`, headers: admin.auth });
    expect(retried.json().status).toBe('queued');
    expect(await jobsOf()).toEqual(['pending']);
    const failedJobs = await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/jobs?queue=mail&status=failed&limit=100', headers: admin.auth });
    expect(failedJobs.json().items.map((row: { id: number; lastError: string }) => row.lastError ?? '')).not.toContainEqual(expect.stringMatching(/554/));
    smtp.refuse(null);
    await drain();
    expect((await rowFor(message.idempotencyKey)).status).toBe('sent');
    expect(await jobsOf()).toEqual(['done']);
  });
});

describe('no duplicate delivery', () => {
  it('does nothing when the job of a sent message runs again', async () => {
    const message = resetMail();
    await enqueue(message);
    await drain();
    const sent = await rowFor(message.idempotencyKey);
    await rerunJob(sent.id);
    expect(await drain()).toBe(1);
    expect(smtp.to(message.to.email)).toHaveLength(1);
    expect(await rowFor(message.idempotencyKey)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('does not resend a message whose worker died between the send and the bookkeeping', async () => {
    const message = resetMail();
    await enqueue(message);
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    const sent = await rowFor(message.idempotencyKey);
    // What the database holds when the process dies after SMTP accepted the message, before "sent" was written.
    await ctx.database.db.update(mailMessages).set({ status: 'sending', sentAt: null }).where(eq(mailMessages.id, sent.id));
    await rerunJob(sent.id);

    await drain(); // within the sending lease: another worker may still be on it, so wait
    expect((await rowFor(message.idempotencyKey)).status).toBe('sending');
    ctx.clock.advanceMs(10 * 60_000);
    await drain();
    expect(smtp.to(message.to.email)).toHaveLength(1);
    const left = await rowFor(message.idempotencyKey);
    expect(left.status).toBe('failed');
    expect(left.lastError).toMatch(/may or may not have received it/);
    const list = await adminMail(`status=failed&to=${encodeURIComponent(message.to.email.toUpperCase())}`);
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: sent.id, status: 'failed' }] });
  });
});

describe('admin mail API', () => {
  it('lists with filters and pagination, for admins only', async () => {
    for (let i = 0; i < 3; i++) await enqueue(resetMail({ to: { email: 'paged@example.org', name: 'Paged' } }));
    const page = await adminMail('to=paged@example.org&limit=2&offset=0');
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items).toHaveLength(2);
    const queued = await adminMail('to=paged@example.org&status=queued&template=password_reset');
    expect(queued.json().total).toBe(3);
    expect((await adminMail('limit=101')).statusCode).toBe(400);
    expect((await adminMail('status=lost')).statusCode).toBe(400);
    await drain();

    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/mail' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/mail', headers: member.auth })).statusCode).toBe(403);
    const someId = page.json().items[0].id;
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/mail/${someId}/retry`, headers: member.auth })).statusCode).toBe(403);
    const missing = await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/mail/00000000-0000-4000-8000-000000000000/retry', headers: admin.auth });
    expect(missing.statusCode).toBe(404);
  });
});

describe('without SMTP_URL', () => {
  it('writes each message as an .eml file under DATA_DIR/mail', async () => {
    const local = await createTestApp();
    try {
      await local.database.db.transaction((tx) =>
        local.app.services.mail.enqueue(tx, { to: { email: 'file@example.org', name: 'File Reader' }, template: 'verify_email', data: { token: 'file-token-123456' }, idempotencyKey: 'file:1' }),
      );
      await local.app.services.jobs.drain();
      const folder = join(local.dataDir, 'mail');
      const files = readdirSync(folder);
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(folder, files[0]!), 'utf8');
      expect(eml).toMatch(/^Subject: Confirm your e-mail address\r?$/m);
      expect(eml).toMatch(/^To: File Reader <file@example.org>\r?$/m);
      expect(eml).toMatch(/^Message-ID: <[0-9a-f-]{36}@/m);
      expect((await simpleParser(eml)).text).toContain('http://tech.test/verify-email?token=file-token-123456');
    } finally {
      await local.close();
    }
  });
});
