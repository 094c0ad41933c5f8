import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/lib/clock.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let owner: TestUser;
let editor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  owner = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(() => ctx.close());

const post = (url: string, user: TestUser, payload: unknown = {}) =>
  ctx.app.inject({ method: 'POST', url: `/api/v1/listings${url}`, headers: user.auth, payload: payload as object });

async function createDraft(body = offerBody()) {
  const response = await post('', owner, body);
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe('listing lifecycle', () => {
  it('creates a draft with a reference code from kind, country and year', async () => {
    const draft = await createDraft();
    expect(draft.status).toBe('draft');
    expect(draft.reference).toMatch(/^TO-TH-2026-\d{5}$/);
    const second = await createDraft();
    expect(Number(second.reference.slice(-5))).toBe(Number(draft.reference.slice(-5)) + 1);
  });

  it('goes draft → submitted → published with a 12-month validity', async () => {
    const draft = await createDraft();
    const submitted = await post(`/${draft.id}/submit`, owner);
    expect(submitted.json().status).toBe('submitted');
    const published = await post(`/${draft.id}/publish`, editor);
    expect(published.statusCode).toBe(200);
    const body = published.json();
    expect(body.status).toBe('published');
    expect(body.publishedAt).toBe(ctx.clock.now().toISOString());
    expect(new Date(body.expiresAt).getUTCFullYear()).toBe(ctx.clock.now().getUTCFullYear() + 1);
  });

  it('returns for revision with the editor note, then resubmits', async () => {
    const draft = await createDraft();
    await post(`/${draft.id}/submit`, owner);
    const noNote = await post(`/${draft.id}/return`, editor, {});
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().issues[0].path).toBe('body.note');
    const returned = await post(`/${draft.id}/return`, editor, { note: 'State the TRL evidence' });
    expect(returned.json()).toMatchObject({ status: 'returned', editorNote: 'State the TRL evidence' });
    const resubmitted = await post(`/${draft.id}/submit`, owner);
    expect(resubmitted.json().status).toBe('submitted');
  });

  it('rejects with a note', async () => {
    const draft = await createDraft();
    await post(`/${draft.id}/submit`, owner);
    const rejected = await post(`/${draft.id}/reject`, editor, { note: 'Not a technology' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', editorNote: 'Not a technology' });
    const archived = await post(`/${draft.id}/archive`, owner);
    expect(archived.json().status).toBe('archived');
  });

  it('holds a published listing and publishes it again with its original validity', async () => {
    const listing = await publishListing(ctx, owner, editor);
    const held = await post(`/${listing.id}/hold`, editor, { note: 'Checking the patent claim' });
    expect(held.json().status).toBe('on_hold');
    const public404 = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${listing.id}` });
    expect(public404.statusCode).toBe(404);
    const back = await post(`/${listing.id}/publish`, editor);
    expect(back.json()).toMatchObject({ status: 'published', expiresAt: listing.expiresAt });
  });

  it('is withdrawn by its owner', async () => {
    const listing = await publishListing(ctx, owner, editor);
    const withdrawn = await post(`/${listing.id}/withdraw`, owner);
    expect(withdrawn.json().status).toBe('withdrawn');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${listing.id}` })).statusCode).toBe(404);
  });

  it('answers 409 to illegal transitions and changes nothing', async () => {
    const draft = await createDraft();
    const cases: [string, TestUser][] = [
      ['publish', admin],
      ['renew', owner],
      ['archive', owner],
      ['hold', admin],
    ];
    for (const [action, user] of cases) {
      const response = await post(`/${draft.id}/${action}`, user, action === 'hold' ? { note: 'x' } : {});
      expect(response.statusCode, action).toBe(409);
      expect(response.json().code).toBe('invalid_transition');
    }
    const after = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${draft.id}`, headers: owner.auth });
    expect(after.json()).toMatchObject({ status: 'draft', version: draft.version });
    const history = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${draft.id}/history`, headers: owner.auth });
    expect(history.json().items.map((e: { action: string }) => e.action)).toEqual(['create']);
  });

  it('expires after 12 months through the sweep, is renewed once, then archived', async () => {
    const listing = await publishListing(ctx, owner, editor);
    ctx.clock.advanceDays(366);
    const sweep = await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/maintenance/expiry-sweep', headers: admin.auth });
    expect(sweep.statusCode).toBe(200);
    expect(sweep.json().expired).toBeGreaterThanOrEqual(1);
    const expired = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${listing.id}`, headers: owner.auth });
    expect(expired.json().status).toBe('expired');
    const renewed = await post(`/${listing.id}/renew`, owner);
    expect(renewed.json()).toMatchObject({ status: 'published', renewalCount: 1 });
    expect(new Date(renewed.json().expiresAt).getTime()).toBeGreaterThan(ctx.clock.now().getTime() + 360 * DAY_MS);
    const again = await post(`/${listing.id}/renew`, owner);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('renewal_limit');
    ctx.clock.advanceDays(366);
    const second = await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/maintenance/expiry-sweep', headers: admin.auth });
    expect(second.json().expired).toBeGreaterThanOrEqual(1);
    expect(second.json().archived).toBeGreaterThanOrEqual(1);
    const archived = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${listing.id}`, headers: owner.auth });
    expect(archived.json().status).toBe('archived');
  });

  it('records every transition in the audit log with who, from, to and note', async () => {
    const draft = await createDraft();
    await post(`/${draft.id}/submit`, owner);
    await post(`/${draft.id}/return`, editor, { note: 'Add the capacity' });
    await post(`/${draft.id}/submit`, owner);
    await post(`/${draft.id}/publish`, editor);
    const history = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${draft.id}/history`, headers: editor.auth });
    const items = history.json().items;
    expect(items.map((e: { action: string }) => e.action)).toEqual(['create', 'submit', 'return', 'submit', 'publish']);
    expect(items[2]).toMatchObject({ actorId: editor.id, fromStatus: 'submitted', toStatus: 'returned', note: 'Add the capacity' });
    expect(items[1]).toMatchObject({ actorId: owner.id, fromStatus: 'draft', toStatus: 'submitted' });
  });

  it('refuses an edit made against an old version', async () => {
    const draft = await createDraft();
    const first = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${draft.id}`, headers: owner.auth, payload: { title: 'First edit', version: draft.version } });
    expect(first.statusCode).toBe(200);
    const stale = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${draft.id}`, headers: owner.auth, payload: { title: 'Stale edit', version: draft.version } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
  });

  it('does not let an unverified user submit', async () => {
    const unverified = await createUser(ctx, { verified: false });
    const created = await post('', unverified, offerBody());
    const submit = await post(`/${created.json().id}/submit`, unverified);
    expect(submit.statusCode).toBe(403);
    expect(submit.json().code).toBe('email_not_verified');
  });
});
