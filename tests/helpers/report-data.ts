import type { TestContext } from './test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './factories.js';
import { linkIn, type TestSmtpServer } from './smtp.js';

// A year's worth of activity in miniature, made through the API as people would, for the annual
// report's page tests and browser journey: listings from three countries, expressions of interest
// answered every way, an agreement, a published and mailed Tech Monitor issue and its subscribers.

/** An issue title that must stay text on every page and in every chart. */
export const TRICKY_ISSUE_TITLE = '<img src=x onerror=alert(1)> "Water" & <b>food</b>';

export interface ReportFigures {
  offers: number;
  requests: number;
  interestsSent: number;
  agreements: number;
  issueId: string;
}

export async function createReportActivity(ctx: TestContext, smtp: TestSmtpServer, editor: TestUser): Promise<ReportFigures> {
  const call = async (method: 'GET' | 'POST', url: string, user: TestUser | null, payload?: object) => {
    const response = await ctx.app.inject({ method, url: `/api/v1${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const drain = () => ctx.app.services.jobs.drain();
  const today = ctx.clock.now().toISOString().slice(0, 10);

  const ownerTH = await createUser(ctx, { country: 'TH' });
  const ownerVN = await createUser(ctx, { country: 'VN' });
  const seeker = await createUser(ctx, { country: 'BD' });

  const coldRoom = await publishListing(ctx, ownerTH, editor, offerBody({ sectors: ['agriculture_food'], sdgs: [2] }));
  const arsenic = await publishListing(ctx, ownerTH, editor, offerBody({ title: 'Arsenic filter for village wells', sectors: ['water'], sdgs: [6] }));
  const dryer = await publishListing(ctx, ownerVN, editor, requestBody({ sectors: ['water'], sdgs: [6] }));

  const message = { message: 'We are interested in this technology for our members.' };
  const first = await call('POST', '/interests', seeker, { listingId: coldRoom.id, ...message });
  const accepted = await call('POST', `/interests/${first.id}/accept`, ownerTH);
  await call('POST', `/introductions/${accepted.introductionId}/agreement`, seeker, { type: 'licence', date: today });
  const second = await call('POST', '/interests', seeker, { listingId: arsenic.id, ...message });
  await call('POST', `/interests/${second.id}/decline`, ownerTH, { reason: 'too_early' });
  const third = await call('POST', '/interests', seeker, { listingId: dryer.id, ...message });
  await call('POST', `/interests/${third.id}/withdraw`, seeker);

  const email = `reader-${Date.now().toString(36)}@example.org`;
  await call('POST', '/techmonitor/subscribers', null, { email });
  await drain();
  const confirm = linkIn(smtp.to(email).at(-1)!, `${ctx.app.config.server.publicUrl}/api/v1/techmonitor/subscribers/confirm?token=`);
  const confirmed = await ctx.app.inject({ method: 'GET', url: confirm.pathname + confirm.search });
  if (confirmed.statusCode !== 200) throw new Error(`confirm: ${confirmed.body}`);

  let issue = await call('POST', '/techmonitor/issues', editor, {
    volume: 51,
    number: 1,
    title: TRICKY_ISSUE_TITLE,
    theme: { text: 'Water and food' },
    periodStart: today,
    periodEnd: today,
    targetOffers: 1,
    targetRequests: 1,
  });
  for (const listingId of [coldRoom.id, dryer.id]) issue = await call('POST', `/techmonitor/issues/${issue.id}/entries`, editor, { listingId, version: issue.version });
  issue = await call('POST', `/techmonitor/issues/${issue.id}/lock`, editor, { version: issue.version });
  issue = await call('POST', `/techmonitor/issues/${issue.id}/publish`, editor, { version: issue.version });
  await call('POST', `/techmonitor/issues/${issue.id}/send`, editor);
  await drain();
  return { offers: 2, requests: 1, interestsSent: 3, agreements: 1, issueId: issue.id };
}
