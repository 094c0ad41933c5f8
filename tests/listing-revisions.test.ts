import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';

// Edits after publication are reviewed: an owner's change to a published listing's public content
// is a pending revision; the published version stays (in reads, search and matching) until an
// editor accepts it, or returns it with a note; the audit log records both.

let ctx: TestContext;
let editor: TestUser;
let owner: TestUser;
let colleague: TestUser;
let outsider: TestUser;

type Method = 'GET' | 'POST' | 'PATCH';
const api = (method: Method, url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });
const searchIds = async (q: string) => {
  await ctx.app.services.jobs.drain();
  return (await api('GET', `/search?q=${encodeURIComponent(q)}`)).json().items.map((item: { id: string }) => item.id);
};

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { country: 'TH' });
  colleague = await createUser(ctx, { organizationId: owner.organizationId });
  outsider = await createUser(ctx);
});
afterAll(() => ctx.close());

describe('an owner edits a published listing', () => {
  let listing: { id: string; title: string; summary: string; version: number };
  const phishing = 'Claim your licence at http://evil.example/login';

  beforeAll(async () => {
    listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Hydroponic fodder unit for dairy farms' }));
    await ctx.app.services.jobs.drain();
  });

  it('becomes a pending revision, shown field by field; the published version stays everywhere', async () => {
    const edit = await api('PATCH', `/listings/${listing.id}`, owner, { summary: phishing, version: listing.version });
    expect(edit.statusCode, edit.body).toBe(202);
    expect(edit.json()).toMatchObject({
      listingId: listing.id,
      status: 'pending',
      baseVersion: listing.version,
      changes: [{ field: 'summary', published: listing.summary, proposed: phishing }],
      submittedById: owner.id,
      note: null,
    });

    const publicView = (await api('GET', `/listings/${listing.id}`)).json();
    expect(publicView.summary).toBe(listing.summary);
    expect((await api('GET', `/listings/${listing.id}`, owner)).json()).toMatchObject({ summary: listing.summary, version: listing.version });
    expect(await searchIds('evil.example')).toEqual([]);
    expect(await searchIds('hydroponic fodder')).toEqual([listing.id]);
  });

  it('merges further edits into the same pending revision', async () => {
    const first = (await api('GET', `/listings/${listing.id}/revision`, owner)).json();
    const again = await api('PATCH', `/listings/${listing.id}`, colleague, { title: 'Hydroponic fodder unit (phishing edition)' });
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(first.id);
    expect(again.json().changes.map((change: { field: string }) => change.field)).toEqual(['title', 'summary']);
  });

  it('is visible to its owner side and editors only', async () => {
    expect((await api('GET', `/listings/${listing.id}/revision`, owner)).statusCode).toBe(200);
    expect((await api('GET', `/listings/${listing.id}/revision`, editor)).statusCode).toBe(200);
    expect((await api('GET', `/listings/${listing.id}/revision`, outsider)).statusCode).toBe(404);
    expect((await api('GET', `/listings/${listing.id}/revision`)).statusCode).toBe(401);
  });

  it("is in the editors' queue, oldest first; nobody else sees the queue", async () => {
    const later = await publishListing(ctx, owner, editor, offerBody({ title: 'Biogas digester for dairy farms' }));
    ctx.clock.advanceMs(60_000);
    expect((await api('PATCH', `/listings/${later.id}`, owner, { keywords: ['biogas'] })).statusCode).toBe(202);
    const queue = await api('GET', '/listings/revisions', editor);
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((item: { listingId: string }) => item.listingId)).toEqual([listing.id, later.id]);
    expect(queue.json().items[0].changes.map((change: { field: string }) => change.field)).toEqual(['title', 'summary']);
    expect(queue.json()).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect((await api('GET', '/listings/revisions', owner)).statusCode).toBe(403);
    expect((await api('GET', '/listings/revisions')).statusCode).toBe(401);
    expect((await api('POST', `/listings/${later.id}/revision/return`, editor, { note: 'Keywords say what the technology is.' })).statusCode).toBe(200);
  });

  it('is returned by an editor with a note: nothing public changes, the owner sees the note, the audit log records it', async () => {
    expect((await api('POST', `/listings/${listing.id}/revision/accept`, owner)).statusCode).toBe(403);
    expect((await api('POST', `/listings/${listing.id}/revision/return`, editor, {})).statusCode).toBe(400);
    const returned = await api('POST', `/listings/${listing.id}/revision/return`, editor, { note: 'No links to other sites, please.' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'returned', note: 'No links to other sites, please.', decidedById: editor.id });
    expect(returned.json().changes.map((change: { field: string }) => change.field)).toEqual(['title', 'summary']);

    expect((await api('GET', `/listings/${listing.id}/revision`, owner)).json()).toMatchObject({ status: 'returned', note: 'No links to other sites, please.' });
    expect((await api('GET', `/listings/${listing.id}`)).json().summary).toBe(listing.summary);
    expect((await api('POST', `/listings/${listing.id}/revision/accept`, editor)).statusCode).toBe(404);
    const history = (await api('GET', `/listings/${listing.id}/history`, owner)).json().items;
    expect(history.map((entry: { action: string }) => entry.action)).toEqual(['create', 'submit', 'publish', 'revision_submit', 'revision_submit', 'revision_return']);
    expect(history.at(-1)).toMatchObject({ note: 'No links to other sites, please.', actorId: editor.id });
  });

  it('is accepted by an editor: it becomes the published version, and search follows', async () => {
    const proposed = await api('PATCH', `/listings/${listing.id}`, owner, { title: 'Hydroponic barley fodder unit for dairy farms' });
    expect(proposed.statusCode).toBe(202);
    expect(proposed.json().changes).toEqual([{ field: 'title', published: listing.title, proposed: 'Hydroponic barley fodder unit for dairy farms' }]);
    const accepted = await api('POST', `/listings/${listing.id}/revision/accept`, editor);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      changes: [{ field: 'title', published: listing.title, proposed: 'Hydroponic barley fodder unit for dairy farms' }],
    });
    expect((await api('GET', `/listings/${listing.id}`)).json()).toMatchObject({ title: 'Hydroponic barley fodder unit for dairy farms', summary: listing.summary });
    expect(await searchIds('barley')).toEqual([listing.id]);
    const history = (await api('GET', `/listings/${listing.id}/history`, owner)).json().items;
    expect(history.at(-1)).toMatchObject({ action: 'revision_accept', actorId: editor.id });
    expect((await api('GET', '/listings/revisions', editor)).json().total).toBe(0);
  });
});

describe('what is reviewed', () => {
  it('turning anonymous applies at once; lifting anonymity is reviewed', async () => {
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Solar milk chiller' }));
    const hide = await api('PATCH', `/listings/${listing.id}`, owner, { anonymous: true });
    expect(hide.statusCode, hide.body).toBe(200);
    expect((await api('GET', `/listings/${listing.id}`)).json()).toMatchObject({ anonymous: true, organization: null, iprNotes: null });
    const reveal = await api('PATCH', `/listings/${listing.id}`, owner, { anonymous: false });
    expect(reveal.statusCode).toBe(202);
    expect(reveal.json().changes).toEqual([{ field: 'anonymous', published: true, proposed: false }]);
    expect((await api('GET', `/listings/${listing.id}`)).json().organization).toBeNull();
  });

  it("an editor's own edit applies at once; drafts are edited freely", async () => {
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Solar egg incubator' }));
    const byEditor = await api('PATCH', `/listings/${listing.id}`, editor, { title: 'Solar-powered egg incubator' });
    expect(byEditor.statusCode).toBe(200);
    expect(byEditor.json().title).toBe('Solar-powered egg incubator');
    const draft = (await api('POST', '/listings', owner, offerBody({ title: 'Draft incubator' }))).json();
    const drafted = await api('PATCH', `/listings/${draft.id}`, owner, { title: 'Draft incubator, renamed' });
    expect(drafted.statusCode).toBe(200);
    expect(drafted.json().title).toBe('Draft incubator, renamed');
  });
});
