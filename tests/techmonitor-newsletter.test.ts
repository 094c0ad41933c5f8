import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSendIssue } from '../src/cli/send-issue-progress.js';
import { claimJobs } from '../src/modules/jobs/jobs.repository.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.js';

const CONFIRM_PREFIX = 'http://tech.test/api/v1/techmonitor/subscribers/confirm?token=';
const UNSUBSCRIBE_PREFIX = 'http://tech.test/api/v1/techmonitor/unsubscribe?token=';

let smtp: TestSmtpServer;
let ctx: TestContext;
let owner: TestUser;
let member: TestUser;
let broker: TestUser;
let editor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  owner = await createUser(ctx);
  member = await createUser(ctx);
  broker = await createUser(ctx, { role: 'intermediary' });
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});

const api = (method: 'GET' | 'POST', url: string, user?: TestUser, payload?: object, c = ctx) =>
  c.app.inject({ method, url: `/api/v1${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });

/** A header as sent (unfolded), not as mailparser reinterprets it. */
function rawHeader(mail: ReceivedMail, name: string) {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

const issueMails = (address: string) => smtp.to(address).filter((mail) => mail.subject.startsWith('Asia-Pacific Tech Monitor, Vol.'));
const confirmMails = (address: string) => smtp.to(address).filter((mail) => mail.subject.startsWith('Confirm your subscription'));

async function subscribe(email: string, c = ctx, extra: object = {}) {
  const response = await api('POST', '/techmonitor/subscribers', undefined, { email, ...extra }, c);
  expect(response.statusCode, response.body).toBe(202);
  return response;
}

async function subscribeConfirmed(email: string, c = ctx) {
  await subscribe(email, c);
  await c.app.services.jobs.drain();
  const link = linkIn(confirmMails(email).at(-1)!, CONFIRM_PREFIX);
  const confirmed = await c.app.inject({ method: 'GET', url: link.pathname + link.search });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
}

let issueNumber = 0;
async function publishedIssue(c = ctx, user = owner, ed = editor) {
  const listing = await publishListing(c, user, ed, offerBody({ title: `Listing for issue ${++issueNumber}` }));
  const post = (url: string, payload: object) => c.app.inject({ method: 'POST', url: `/api/v1/techmonitor${url}`, headers: ed.auth, payload });
  let issue = (
    await post('/issues', {
      volume: 41,
      number: issueNumber,
      title: `Issue ${issueNumber}`,
      theme: { text: 'Clean energy for small farms', sectors: [] },
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
      targetOffers: 1,
      targetRequests: 0,
    })
  ).json();
  issue = (await post(`/issues/${issue.id}/entries`, { listingId: listing.id, version: issue.version })).json();
  issue = (await post(`/issues/${issue.id}/lock`, { version: issue.version })).json();
  issue = (await post(`/issues/${issue.id}/publish`, { version: issue.version })).json();
  expect(issue.status).toBe('published');
  return issue as { id: string; title: string };
}

const delivery = async (issueId: string, c = ctx, user = editor) => {
  const response = await api('GET', `/techmonitor/issues/${issueId}/delivery`, user, undefined, c);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

describe('subscribing with double opt-in', () => {
  it('mails a confirmation link; only the link makes the subscription active', async () => {
    const response = await subscribe('Ana.Reyes@example.ph', ctx, { name: 'Ana Reyes', countries: ['PH'], sectors: ['ocean_economy'] });
    expect(response.json().message).toContain('confirm');
    await ctx.app.services.jobs.drain();
    const [mail] = confirmMails('ana.reyes@example.ph');
    expect(mail!.text).toContain('Dear Ana Reyes,');
    const link = linkIn(mail!, CONFIRM_PREFIX);

    // Not confirmed yet: an issue does not go to the address.
    const before = await publishedIssue();
    await api('POST', `/techmonitor/issues/${before.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    expect(issueMails('ana.reyes@example.ph')).toHaveLength(0);

    const page = await ctx.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Subscription confirmed');
    const again = await api('POST', '/techmonitor/subscribers/confirm', undefined, { token: link.searchParams.get('token')! });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_token');

    const after = await publishedIssue();
    await api('POST', `/techmonitor/issues/${after.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    expect(issueMails('ana.reyes@example.ph').map((m) => m.subject)).toEqual([`Asia-Pacific Tech Monitor, Vol. 41 No. ${issueNumber}: ${after.title}`]);
  });

  it('answers every signup the same, whatever the address, and mails no one needlessly', async () => {
    await subscribeConfirmed('already@example.org');
    await subscribe('waiting@example.org');
    const answers = [];
    for (const email of ['new-address@example.org', 'already@example.org', 'waiting@example.org', 'ALREADY@example.org']) {
      const response = await api('POST', '/techmonitor/subscribers', undefined, { email });
      answers.push([response.statusCode, response.json()]);
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    await ctx.app.services.jobs.drain();
    expect(confirmMails('already@example.org')).toHaveLength(1);
    // a second signup of a pending address within minutes sends no second mail (no inbox flooding)
    expect(confirmMails('waiting@example.org')).toHaveLength(1);
    ctx.clock.advanceDays(1);
    await subscribe('waiting@example.org');
    await ctx.app.services.jobs.drain();
    expect(confirmMails('waiting@example.org')).toHaveLength(2);
    // the first link was replaced by the second
    const [first, second] = confirmMails('waiting@example.org').map((mail) => linkIn(mail, CONFIRM_PREFIX));
    expect((await ctx.app.inject({ method: 'GET', url: first!.pathname + first!.search })).statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: second!.pathname + second!.search })).statusCode).toBe(200);
  });

  it('lets a confirmation link expire after 7 days', async () => {
    await subscribe('slow@example.org');
    await ctx.app.services.jobs.drain();
    const link = linkIn(confirmMails('slow@example.org')[0]!, CONFIRM_PREFIX);
    ctx.clock.advanceDays(8);
    const late = await ctx.app.inject({ method: 'GET', url: link.pathname + link.search });
    expect(late.statusCode).toBe(400);
    expect(late.json().code).toBe('invalid_token');
  });

  it('checks its input', async () => {
    const response = await api('POST', '/techmonitor/subscribers', undefined, { email: 'not-an-address', countries: ['XX'] });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.countries.0', 'body.email']);
  });
});

describe('unsubscribing and bounces', () => {
  let unsubscribeLink: URL;
  let mail: ReceivedMail;

  beforeAll(async () => {
    await subscribeConfirmed('leaver@example.org');
    await subscribeConfirmed('one-click@example.org');
    await subscribeConfirmed('bouncer@example.org');
    const issue = await publishedIssue();
    await api('POST', `/techmonitor/issues/${issue.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    mail = issueMails('leaver@example.org')[0]!;
    unsubscribeLink = linkIn(mail, UNSUBSCRIBE_PREFIX);
  });

  it('carries a one-click unsubscribe link and List-Unsubscribe headers in every issue mail', () => {
    expect(rawHeader(mail, 'List-Unsubscribe')).toBe(`<${unsubscribeLink.href}>`);
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toContain(`href="${unsubscribeLink.href.replace(/&/g, '&amp;')}"`);
    const other = linkIn(issueMails('one-click@example.org')[0]!, UNSUBSCRIBE_PREFIX);
    expect(other.href).not.toBe(unsubscribeLink.href);
  });

  it('unsubscribes with the link, without logging in, and never mails the address again', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: unsubscribeLink.pathname + unsubscribeLink.search });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You are unsubscribed');
    const twice = await ctx.app.inject({ method: 'GET', url: unsubscribeLink.pathname + unsubscribeLink.search });
    expect(twice.statusCode).toBe(200);
    const next = await publishedIssue();
    await api('POST', `/techmonitor/issues/${next.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    expect(issueMails('leaver@example.org')).toHaveLength(1);
    expect(issueMails('one-click@example.org')).toHaveLength(2);
  });

  it('accepts the RFC 8058 one-click POST of mail clients', async () => {
    const link = linkIn(issueMails('one-click@example.org')[0]!, UNSUBSCRIBE_PREFIX);
    const response = await ctx.app.inject({
      method: 'POST',
      url: link.pathname + link.search,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'unsubscribed' });
    const multipart = await ctx.app.inject({
      method: 'POST',
      url: link.pathname + link.search,
      headers: { 'content-type': 'multipart/form-data; boundary=b1' },
      payload: '--b1\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b1--\r\n',
    });
    expect(multipart.statusCode).toBe(200);
  });

  it('refuses a forged or altered token', async () => {
    const token = unsubscribeLink.searchParams.get('token')!;
    const [id] = token.split('.');
    for (const forged of [`${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, `${token}x`, 'nonsense-token-value']) {
      const response = await api('GET', `/techmonitor/unsubscribe?token=${encodeURIComponent(forged)}`);
      expect(response.statusCode, forged).toBe(400);
      expect(response.json().code).toBe('invalid_token');
    }
  });

  it('lets only admins mark a bounce, after which the address is never mailed, even by a new signup', async () => {
    const payload = { email: 'Bouncer@example.org', reason: '550 mailbox unavailable' };
    expect((await api('POST', '/admin/techmonitor/bounces', undefined, payload)).statusCode).toBe(401);
    expect((await api('POST', '/admin/techmonitor/bounces', editor, payload)).statusCode).toBe(403);
    const marked = await api('POST', '/admin/techmonitor/bounces', admin, payload);
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toEqual({ bounced: true });
    expect((await api('POST', '/admin/techmonitor/bounces', admin, { email: 'stranger@example.org' })).json()).toEqual({ bounced: false });

    const mailsBefore = smtp.to('bouncer@example.org').length;
    await subscribe('bouncer@example.org');
    const next = await publishedIssue();
    await api('POST', `/techmonitor/issues/${next.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    expect(smtp.to('bouncer@example.org')).toHaveLength(mailsBefore);
  });
});

describe('sending an issue', () => {
  it('is for editors and admins, and only for published issues', async () => {
    const issue = await publishedIssue();
    for (const [user, status] of [
      [undefined, 401],
      [member, 403],
      [broker, 403],
    ] as const) {
      expect((await api('POST', `/techmonitor/issues/${issue.id}/send`, user)).statusCode).toBe(status);
      expect((await api('GET', `/techmonitor/issues/${issue.id}/delivery`, user)).statusCode).toBe(status);
    }
    expect((await delivery(issue.id, ctx, admin)).state).toBe('not_started');
    const draft = (
      await api('POST', '/techmonitor/issues', editor, {
        volume: 99,
        number: 1,
        title: 'Draft',
        theme: { text: 'Anything' },
        periodStart: '2026-10-01',
        periodEnd: '2026-12-31',
        targetOffers: 1,
        targetRequests: 1,
      })
    ).json();
    const notPublished = await api('POST', `/techmonitor/issues/${draft.id}/send`, editor);
    expect(notPublished.statusCode).toBe(409);
    expect(notPublished.json().code).toBe('invalid_state');
  });

  it('checks each subscriber again right before the mail goes out, and shows the progress', async () => {
    for (const address of ['stays@example.org', 'changes-mind@example.org', 'starts-bouncing@example.org']) await subscribeConfirmed(address);
    const warmUp = await publishedIssue();
    await api('POST', `/techmonitor/issues/${warmUp.id}/send`, editor);
    await ctx.app.services.jobs.drain();
    const leaveLink = linkIn(issueMails('changes-mind@example.org')[0]!, UNSUBSCRIBE_PREFIX);

    const issue = await publishedIssue();
    const started = await api('POST', `/techmonitor/issues/${issue.id}/send`, editor);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ state: 'in_progress', sent: 0 });
    const active = started.json().total as number;
    expect(active).toBeGreaterThanOrEqual(3);

    // One worker pass creates the deliveries and queues their mails; then two addresses drop out
    // before the mail worker gets to them.
    await ctx.app.services.jobs.runOnce();
    expect(await delivery(issue.id)).toMatchObject({ state: 'in_progress', total: active, queued: active, sent: 0 });
    await ctx.app.inject({ method: 'POST', url: leaveLink.pathname + leaveLink.search });
    await api('POST', '/admin/techmonitor/bounces', admin, { email: 'starts-bouncing@example.org' });

    await ctx.app.services.jobs.drain();
    expect(issueMails('stays@example.org').some((mail) => mail.subject.endsWith(issue.title))).toBe(true);
    expect(issueMails('changes-mind@example.org').some((mail) => mail.subject.endsWith(issue.title))).toBe(false);
    expect(issueMails('starts-bouncing@example.org').some((mail) => mail.subject.endsWith(issue.title))).toBe(false);
    expect(await delivery(issue.id)).toMatchObject({ state: 'done', total: active, queued: 0, sent: active - 2, failed: 0, skipped: 2 });

    // Sending again mails nobody twice.
    const before = smtp.messages.length;
    expect((await api('POST', `/techmonitor/issues/${issue.id}/send`, editor)).statusCode).toBe(202);
    await ctx.app.services.jobs.drain();
    expect(smtp.messages.length).toBe(before);
    expect(await delivery(issue.id)).toMatchObject({ state: 'done', total: active, sent: active - 2, skipped: 2 });
  });

  it('runs from the CLI with a progress bar until every subscriber is mailed', async () => {
    const issue = await publishedIssue();
    let output = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        output += String(chunk);
        callback();
      },
    });
    const result = await runSendIssue(ctx.app, issue.id, { stream, sleep: async () => {} });
    expect(result.state).toBe('done');
    expect(result.sent).toBe(result.total);
    expect(output).toContain(`${result.total}/${result.total}`);
    expect(output).toContain(`sent ${result.sent}`);
    expect(issueMails('stays@example.org').filter((mail) => mail.subject.endsWith(issue.title))).toHaveLength(1);
  });
});

describe('a send interrupted half-way', () => {
  it('resumes after a restart on the same database and mails every subscriber exactly once', async () => {
    const env = { SMTP_URL: smtp.url, TECHMONITOR_SEND_BATCH_SIZE: '4' };
    const first = await createTestApp(env);
    const firstEditor = await createUser(first, { role: 'editor' });
    const firstOwner = await createUser(first);
    const addresses = Array.from({ length: 10 }, (_, i) => `reader-${i}@restart.example`);
    for (const address of addresses) await subscribe(address, first);
    await first.app.services.jobs.drain();
    for (const address of addresses) {
      const link = linkIn(confirmMails(address).at(-1)!, CONFIRM_PREFIX);
      expect((await first.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(200);
    }
    const issue = await publishedIssue(first, firstOwner, firstEditor);
    await first.app.services.jobs.drain();

    expect((await api('POST', `/techmonitor/issues/${issue.id}/send`, firstEditor, undefined, first)).statusCode).toBe(202);
    await first.app.services.jobs.runOnce(); // batch 1: 4 deliveries and their mails
    await first.app.services.jobs.runOnce(); // the 4 mails go out; batch 2 is created
    const halfway = await delivery(issue.id, first, firstEditor);
    expect(halfway).toMatchObject({ state: 'in_progress', total: 10, sent: 4, queued: 6 });
    // The worker dies holding the next batch job.
    const held = await claimJobs(first.database.db, 'techmonitor-send', 'worker-that-died', first.clock.now(), 1);
    expect(held).toHaveLength(1);
    await first.app.close();

    const second = await createTestApp(env, { database: first.database, clock: first.clock });
    try {
      second.clock.advanceMs(6 * 60_000); // past the stale-lock window: the held job is handed back
      await second.app.services.jobs.drain();
      const done = await delivery(issue.id, second, firstEditor);
      expect(done).toMatchObject({ state: 'done', total: 10, sent: 10, queued: 0, failed: 0, skipped: 0 });
      for (const address of addresses) expect(issueMails(address), address).toHaveLength(1);
    } finally {
      await second.close();
      await first.database.close();
    }
  });
});
