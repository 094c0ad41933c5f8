import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmEntries } from '../drizzle/techmonitor.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';

// A frozen Tech Monitor issue printed a listing under its owner's name; the owner later turned the
// listing anonymous. What is served from then on (the web edition, every export) hides the
// owner; the frozen snapshot keeps the record of what was printed.

let ctx: TestContext;
let editor: TestUser;
let owner: TestUser;
let issueId: string;
let listingId: string;
let organizationName: string;

const get = (url: string, user?: TestUser) => ctx.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: user?.auth ?? {} });

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { country: 'TH' });
  organizationName = (await get(`/organizations/${owner.organizationId}`)).json().name;
  listingId = (await publishListing(ctx, owner, editor, offerBody({ iprNotes: 'TH patent 98765' }))).id;
  const call = (url: string, payload: object) => ctx.app.inject({ method: 'POST', url: `/api/v1/techmonitor${url}`, headers: editor.auth, payload });
  let issue = (
    await call('/issues', {
      volume: 42,
      number: 1,
      title: 'Cold chains for smallholders',
      theme: { text: 'Cold storage for farmers', sectors: ['agriculture_food'] },
      periodStart: '2026-04-01',
      periodEnd: '2026-06-30',
      targetOffers: 1,
      targetRequests: 0,
    })
  ).json();
  issue = (await call(`/issues/${issue.id}/entries`, { listingId, version: issue.version })).json();
  issue = (await call(`/issues/${issue.id}/lock`, { version: issue.version })).json();
  const published = await call(`/issues/${issue.id}/publish`, { version: issue.version });
  expect(published.statusCode, published.body).toBe(200);
  issueId = issue.id;
});
afterAll(() => ctx.close());

const servedForms = async () => [
  (await get(`/techmonitor/issues/${issueId}`)).body,
  (await get(`/techmonitor/issues/${issueId}`, editor)).body,
  (await get(`/techmonitor/issues/${issueId}/export?format=html`)).body,
  (await get(`/techmonitor/issues/${issueId}/export?format=md`)).body,
  (await get(`/techmonitor/issues/${issueId}/export?format=json`)).body,
  (await get(`/techmonitor/issues/${issueId}.html`)).body,
  (await get(`/techmonitor/issues/${issueId}.md`)).body,
];

describe('a frozen issue whose listing turned anonymous', () => {
  it('named the owner while the listing was public', async () => {
    for (const served of await servedForms()) {
      expect(served).toContain(organizationName);
      expect(served).toContain('TH patent 98765');
    }
  });

  it('hides the owner in every edition served after the owner turned anonymous; the snapshot keeps the record', async () => {
    const patch = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${listingId}`, headers: owner.auth, payload: { anonymous: true } });
    expect(patch.statusCode, patch.body).toBe(200);

    for (const served of await servedForms()) {
      expect(served).not.toContain(organizationName);
      expect(served).not.toContain('TH patent 98765');
    }
    const entry = (await get(`/techmonitor/issues/${issueId}`)).json().entries[0];
    expect(entry.listing).toMatchObject({ id: listingId, anonymous: true, organization: null, iprNotes: null, country: 'TH' });

    const [record] = await ctx.database.db.select({ snapshot: tmEntries.snapshot }).from(tmEntries).where(eq(tmEntries.listingId, listingId));
    expect(record!.snapshot).toMatchObject({ anonymous: false, organization: { name: organizationName }, iprNotes: 'TH patent 98765' });
  });
});
