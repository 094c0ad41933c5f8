import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

// Mail about a listing goes to those who act for its organisation when the mail is sent: an
// intermediary whose link to the client was removed hears nothing more about the listings it once
// posted for that client, even of mail that was queued while the link still existed.

let smtp: TestSmtpServer;
let ctx: TestContext;
let admin: TestUser;
let editor: TestUser;
let owner: TestUser;
let broker: TestUser;
let seekers: TestUser[];
let listingId: string;
let secondListingId: string;

const api = (method: 'GET' | 'POST' | 'DELETE', url: string, user: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user.auth, ...(payload ? { payload } : {}) });
const drain = () => ctx.app.services.jobs.drain();

async function link(present: boolean) {
  const response = present
    ? await api('POST', `/admin/users/${broker.id}/clients`, admin, { organizationId: owner.organizationId })
    : await api('DELETE', `/admin/users/${broker.id}/clients/${owner.organizationId}`, admin);
  expect(response.statusCode, response.body).toBe(present ? 201 : 200);
}

async function sendInterest(seeker: TestUser, id = listingId) {
  const response = await api('POST', '/interests', seeker, { listingId: id, message: 'We would like to license this for our cooperative.' });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { country: 'TH', name: 'Owner' });
  broker = await createUser(ctx, { role: 'intermediary', name: 'Broker' });
  seekers = [];
  for (let i = 0; i < 4; i++) seekers.push(await createUser(ctx, { country: 'LK' }));
  await link(true);
  listingId = (await publishListing(ctx, broker, editor, offerBody({ organizationId: owner.organizationId }))).id;
  secondListingId = (await publishListing(ctx, broker, editor, offerBody({ organizationId: owner.organizationId, title: 'Solar ice maker for fishing boats' }))).id;
  await drain();
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});
beforeEach(async () => {
  await drain();
  smtp.clear();
});

describe('expressions of interest', () => {
  it('reach the intermediary that posted the listing while it represents the client', async () => {
    await sendInterest(seekers[0]!);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(smtp.to(broker.email)).toHaveLength(1);
  });

  it('queued before the link was removed, do not reach the intermediary after it', async () => {
    await sendInterest(seekers[1]!);
    await link(false);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(smtp.to(broker.email)).toHaveLength(0);
    const withheld = await api('GET', `/admin/mail?to=${encodeURIComponent(broker.email)}&status=cancelled`, admin);
    expect(withheld.json().items.map((item: { template: string; lastError: string }) => [item.template, item.lastError])).toEqual([
      ['interest_received', 'the recipient no longer acts for the organisation this message concerns'],
    ]);
  });

  it('sent after the link was removed, are not even queued for the intermediary', async () => {
    await sendInterest(seekers[2]!);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(smtp.to(broker.email)).toHaveLength(0);
    const queued = await api('GET', `/admin/mail?to=${encodeURIComponent(broker.email)}&template=interest_received`, admin);
    expect(queued.json().total).toBe(2);
  });
});

describe('Tech Monitor "featured" mails', () => {
  it('do not reach an intermediary whose link was removed, whether queued before or after', async () => {
    const issueBody = (number: number) => ({
      volume: 41,
      number,
      title: 'Cold chains',
      theme: { text: 'Cold storage for farmers', sectors: ['agriculture_food'] },
      periodStart: '2026-04-01',
      periodEnd: '2026-06-30',
      targetOffers: 1,
      targetRequests: 0,
    });
    const publishIssue = async (number: number, listing: string) => {
      let issue = (await api('POST', '/techmonitor/issues', editor, issueBody(number))).json();
      issue = (await api('POST', `/techmonitor/issues/${issue.id}/entries`, editor, { listingId: listing, version: issue.version })).json();
      issue = (await api('POST', `/techmonitor/issues/${issue.id}/lock`, editor, { version: issue.version })).json();
      const published = await api('POST', `/techmonitor/issues/${issue.id}/publish`, editor, { version: issue.version });
      expect(published.statusCode, published.body).toBe(200);
    };

    await link(true);
    await publishIssue(1, listingId);
    await link(false);
    await drain();
    expect(smtp.to(owner.email).map((mail) => mail.subject)).toEqual([expect.stringMatching(/Tech Monitor/)]);
    expect(smtp.to(broker.email)).toHaveLength(0);

    smtp.clear();
    await publishIssue(2, secondListingId);
    await drain();
    expect(smtp.to(owner.email)).toHaveLength(1);
    expect(smtp.to(broker.email)).toHaveLength(0);
  });
});
