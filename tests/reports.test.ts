import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

let smtp: TestSmtpServer;
let ctx: TestContext;
let editor: TestUser;
let admin: TestUser;
let member: TestUser;
let broker: TestUser;
let mailsInApril = 0;

const call = (method: 'GET' | 'POST', url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });
const drain = () => ctx.app.services.jobs.drain();
const today = () => ctx.clock.now().toISOString().slice(0, 10);

async function ok(method: 'GET' | 'POST', url: string, user: TestUser, payload?: object) {
  const response = await call(method, url, user, payload);
  expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
  return response.json();
}

const sendInterest = (user: TestUser, listingId: string) => ok('POST', '/interests', user, { listingId, message: 'We are interested in this technology.' });

async function publishIssue(listingIds: string[], number: number, title: string) {
  let issue = await ok('POST', '/techmonitor/issues', editor, {
    volume: 50,
    number,
    title,
    theme: { text: 'Agriculture and water' },
    periodStart: '2026-04-01',
    periodEnd: '2026-06-30',
    targetOffers: 2,
    targetRequests: 1,
  });
  for (const listingId of listingIds) issue = await ok('POST', `/techmonitor/issues/${issue.id}/entries`, editor, { listingId, version: issue.version });
  issue = await ok('POST', `/techmonitor/issues/${issue.id}/lock`, editor, { version: issue.version });
  return ok('POST', `/techmonitor/issues/${issue.id}/publish`, editor, { version: issue.version });
}

async function confirmedSubscriber(email: string) {
  await ok('POST', '/techmonitor/subscribers', editor, { email });
  await drain();
  const link = linkIn(smtp.to(email).at(-1)!, 'http://tech.test/api/v1/techmonitor/subscribers/confirm?token=');
  expect((await ctx.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(200);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
  member = await createUser(ctx);
  broker = await createUser(ctx, { role: 'intermediary' });
  const ownerTH = await createUser(ctx, { country: 'TH' });
  const ownerVN = await createUser(ctx, { country: 'VN' });
  const ownerLK = await createUser(ctx, { country: 'LK' });
  const seeker = await createUser(ctx, { country: 'BD' });
  const otherSeeker = await createUser(ctx, { country: 'NP' });

  // March, before the period: one listing and one EOI, answered only in April.
  const march = await publishListing(ctx, ownerTH, editor, offerBody({ sectors: ['health'], sdgs: [3] }));
  const earlyInterest = await sendInterest(seeker, march.id);
  await drain();

  ctx.clock.advanceDays(39); // 10 April 2026
  smtp.clear();
  const l1 = await publishListing(ctx, ownerTH, editor, offerBody());
  const l2 = await publishListing(ctx, ownerVN, editor, offerBody({ sectors: ['water'], sdgs: [6], title: 'Arsenic filter' }));
  const l3 = await publishListing(ctx, ownerLK, editor, requestBody());

  const accepted = await ok('POST', `/interests/${earlyInterest.id}/accept`, ownerTH);
  const e1 = await sendInterest(seeker, l1.id);
  const acceptedNow = await ok('POST', `/interests/${e1.id}/accept`, ownerTH);
  const e2 = await sendInterest(seeker, l2.id);
  await ok('POST', `/interests/${e2.id}/decline`, ownerVN, { reason: 'too_early' });
  const e3 = await sendInterest(seeker, l3.id);
  await ok('POST', `/interests/${e3.id}/decline`, ownerLK, { reason: 'too_early' });
  const e4 = await sendInterest(otherSeeker, l1.id);
  await ok('POST', `/interests/${e4.id}/decline`, ownerTH, { reason: 'no_capacity' });
  const e5 = await sendInterest(otherSeeker, l2.id);
  await ok('POST', `/interests/${e5.id}/withdraw`, otherSeeker);
  await ok('POST', `/introductions/${accepted.introductionId}/agreement`, seeker, { type: 'licence', date: today() });
  await ok('POST', `/introductions/${acceptedNow.introductionId}/end`, ownerTH, {});

  for (const email of ['s1@example.org', 's2@example.org', 's3@example.org', 's4@example.org']) await confirmedSubscriber(email);
  const issue = await publishIssue([l1.id, l3.id], 1, '=HYPERLINK("http://evil.example") in April');
  await ok('POST', '/admin/techmonitor/bounces', admin, { email: 's4@example.org' });
  const s3Mail = smtp.to('s3@example.org');
  expect(s3Mail).toHaveLength(1);
  await ok('POST', `/techmonitor/issues/${issue.id}/send`, editor);
  await drain();
  const unsubscribe = linkIn(smtp.to('s3@example.org').at(-1)!, 'http://tech.test/api/v1/techmonitor/unsubscribe?token=');
  await ctx.app.inject({ method: 'GET', url: unsubscribe.pathname + unsubscribe.search });
  mailsInApril = smtp.messages.length;

  // May, after the period: more of everything, which April's report must not count.
  ctx.clock.advanceDays(25);
  const may = await publishListing(ctx, ownerVN, editor, requestBody({ sectors: ['water'] }));
  await sendInterest(seeker, may.id);
  await confirmedSubscriber('s5@example.org');
  await publishIssue([l2.id], 2, 'May issue');
  await drain();
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});

describe('the annual report summary', () => {
  it('is for editors and admins only', async () => {
    expect((await call('GET', '/reports/summary')).statusCode).toBe(401);
    expect((await call('GET', '/reports/summary', member)).statusCode).toBe(403);
    expect((await call('GET', '/reports/summary', broker)).statusCode).toBe(403);
    expect((await call('GET', '/reports/summary.csv', member)).statusCode).toBe(403);
    expect((await call('GET', '/reports/summary', editor)).statusCode).toBe(200);
    expect((await call('GET', '/reports/summary', admin)).statusCode).toBe(200);
  });

  it('counts what happened in the period, and only that', async () => {
    const report = await ok('GET', '/reports/summary?from=2026-04-01&to=2026-04-30', editor);
    expect(report.period).toEqual({ from: '2026-04-01', to: '2026-04-30' });
    expect(report.listings).toEqual({
      published: 3,
      byKind: { offer: 2, request: 1 },
      byCountry: [
        { code: 'LK', label: 'Sri Lanka', count: 1 },
        { code: 'TH', label: 'Thailand', count: 1 },
        { code: 'VN', label: 'Viet Nam', count: 1 },
      ],
      bySector: [
        { code: 'agriculture_food', label: 'Agriculture and food', count: 2 },
        { code: 'ocean_economy', label: 'Ocean economy', count: 1 },
        { code: 'renewable_energy', label: 'Renewable and clean energy', count: 1 },
        { code: 'water', label: 'Water and sanitation', count: 1 },
      ],
      bySdg: [
        { code: '14', label: 'Life below water', count: 1 },
        { code: '2', label: 'Zero hunger', count: 1 },
        { code: '6', label: 'Clean water and sanitation', count: 1 },
        { code: '7', label: 'Affordable and clean energy', count: 1 },
      ],
    });
    expect(report.interests).toEqual({
      sent: 5,
      accepted: 2,
      declined: 3,
      withdrawn: 1,
      declinedByReason: [
        { code: 'too_early', label: 'Too early for us', count: 2 },
        { code: 'no_capacity', label: 'No capacity at the moment', count: 1 },
      ],
    });
    expect(report.introductions).toEqual({
      started: 2,
      agreementsSigned: 1,
      endedWithoutAgreement: 1,
      agreementsByType: [{ code: 'licence', label: 'Licence agreement', count: 1 }],
    });
    expect(report.techMonitor).toMatchObject({ issuesPublished: 1, entries: { offers: 1, requests: 1 } });
    expect(report.techMonitor.issues).toHaveLength(1);
    expect(report.techMonitor.issues[0]).toMatchObject({ volume: 50, number: 1, offers: 1, requests: 1 });
    expect(report.subscribers).toEqual({ newConfirmed: 4, totalActive: 2, unsubscribed: 1, bounced: 1 });
    expect(report.mails.delivered).toBe(mailsInApril);
    expect(report.mails.techMonitorIssues).toBe(3);
    expect(report.mails.byTemplate).toContainEqual({ code: 'techmonitor_issue', count: 3 });
  });

  it('reaches from 1 January to today when no period is given', async () => {
    const report = await ok('GET', '/reports/summary', admin);
    expect(report.period).toEqual({ from: '2026-01-01', to: today() });
    expect(report.listings.published).toBe(5);
    expect(report.techMonitor.issuesPublished).toBe(2);
    expect(report.subscribers).toMatchObject({ newConfirmed: 5, totalActive: 3 });
  });

  it('refuses a period that ends before it starts', async () => {
    const response = await call('GET', '/reports/summary?from=2026-05-01&to=2026-04-01', editor);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues[0].path).toBe('querystring.to');
    expect((await call('GET', '/reports/summary?from=April', editor)).statusCode).toBe(400);
  });

  it('exports the same figures as CSV, safe to open in a spreadsheet', async () => {
    const response = await call('GET', '/reports/summary.csv?from=2026-04-01&to=2026-04-30', editor);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain('summary-2026-04-01-2026-04-30.csv');
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toBe('section,code,label,value');
    for (const line of [
      'listings,published,Listings published,3',
      'listings_by_kind,offer,Technology offers,2',
      'listings_by_country,VN,Viet Nam,1',
      'listings_by_sdg,14,Life below water,1',
      'interests_declined_by_reason,too_early,Too early for us,2',
      'agreements_by_type,licence,Licence agreement,1',
      'techmonitor,issues_published,Tech Monitor issues published,1',
      'subscribers,total_active,Active subscribers at the end of the period,2',
      'mails,techmonitor_issues,Tech Monitor issues mailed,3',
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(lines).toContain(`techmonitor_issue,vol50-no1,"'=HYPERLINK(""http://evil.example"") in April",2`);
  });
});
