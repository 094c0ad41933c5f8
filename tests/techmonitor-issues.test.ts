import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';

let smtp: TestSmtpServer;
let ctx: TestContext;
let owner: TestUser;
let colleague: TestUser;
let secretOwner: TestUser;
let member: TestUser;
let broker: TestUser;
let editor: TestUser;
let otherEditor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  owner = await createUser(ctx, { country: 'TH' });
  colleague = await createUser(ctx, { organizationId: owner.organizationId, name: 'Colleague of owner' });
  secretOwner = await createUser(ctx, { country: 'VN' });
  member = await createUser(ctx);
  broker = await createUser(ctx, { role: 'intermediary' });
  editor = await createUser(ctx, { role: 'editor' });
  otherEditor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
});
afterAll(async () => {
  await ctx.close();
  await smtp.stop();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const api = (method: Method, url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1/techmonitor${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });

let issueCounter = 0;
function issueBody(overrides: Record<string, unknown> = {}) {
  issueCounter++;
  return {
    volume: 40,
    number: issueCounter,
    title: 'Technologies for a sustainable ocean economy',
    theme: { text: 'Science, technology and innovation for a sustainable ocean economy: fisheries, aquaculture, fish processing', sectors: ['ocean_economy'] },
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    targetOffers: 3,
    targetRequests: 2,
    ...overrides,
  };
}

async function createIssue(overrides: Record<string, unknown> = {}) {
  const response = await api('POST', '/issues', editor, issueBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function addEntry(issue: { id: string; version: number }, listingId: string, note?: string, user = editor) {
  const response = await api('POST', `/issues/${issue.id}/entries`, user, { listingId, version: issue.version, ...(note ? { note } : {}) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function step(issue: { id: string; version: number }, action: 'lock' | 'unlock' | 'publish') {
  const response = await api('POST', `/issues/${issue.id}/${action}`, editor, { version: issue.version });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('issues and who may act on them', () => {
  it('lets editors and admins create issues; nobody else', async () => {
    expect((await api('POST', '/issues', undefined, issueBody())).statusCode).toBe(401);
    expect((await api('POST', '/issues', member, issueBody())).statusCode).toBe(403);
    expect((await api('POST', '/issues', broker, issueBody())).statusCode).toBe(403);
    const byAdmin = await api('POST', '/issues', admin, issueBody());
    expect(byAdmin.statusCode).toBe(201);
    const issue = await createIssue();
    expect(issue).toMatchObject({
      status: 'draft',
      version: 1,
      theme: { sectors: ['ocean_economy'] },
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
      targets: { offers: 3, requests: 2 },
      selected: { offers: 0, requests: 0 },
      entries: [],
    });
  });

  it('refuses a second issue with the same volume and number, and a period that ends before it starts', async () => {
    const issue = await createIssue();
    const duplicate = await api('POST', '/issues', editor, { ...issueBody(), number: issue.number });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('duplicate_issue_number');
    const backwards = await api('POST', '/issues', editor, issueBody({ periodStart: '2026-12-01', periodEnd: '2026-10-31' }));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().issues[0].path).toBe('periodEnd');
    const badSector = await api('POST', '/issues', editor, issueBody({ theme: { text: 'x', sectors: ['fishing'] } }));
    expect(badSector.statusCode).toBe(400);
  });

  it('hides drafts from everyone but editors and admins', async () => {
    const issue = await createIssue();
    expect((await api('GET', `/issues/${issue.id}`)).statusCode).toBe(404);
    expect((await api('GET', `/issues/${issue.id}`, member)).statusCode).toBe(404);
    expect((await api('GET', `/issues/${issue.id}`, broker)).statusCode).toBe(404);
    expect((await api('GET', `/issues/${issue.id}`, admin)).statusCode).toBe(200);
    expect((await api('GET', `/issues/${issue.id}.html`)).statusCode).toBe(404);
    expect((await api('GET', '/issues?status=draft', member)).statusCode).toBe(403);
    const publicList = await api('GET', '/issues');
    expect(publicList.json().items.map((i: { id: string }) => i.id)).not.toContain(issue.id);
    const editorList = await api('GET', '/issues?status=draft&limit=100', editor);
    expect(editorList.json().items.map((i: { id: string }) => i.id)).toContain(issue.id);
  });

  it('changes a draft only with the current version, and only as an editor', async () => {
    const issue = await createIssue();
    expect((await api('PATCH', `/issues/${issue.id}`, member, { title: 'Mine', version: 1 })).statusCode).toBe(403);
    const changed = await api('PATCH', `/issues/${issue.id}`, editor, { title: 'Blue economy', targetOffers: 4, version: 1 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ title: 'Blue economy', targets: { offers: 4, requests: 2 }, version: 2 });
    const stale = await api('PATCH', `/issues/${issue.id}`, otherEditor, { title: 'Ocean', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('version_conflict');
    const missingVersion = await api('PATCH', `/issues/${issue.id}`, editor, { title: 'Ocean' });
    expect(missingVersion.statusCode).toBe(400);
    expect(missingVersion.json().issues[0].path).toBe('body.version');
  });
});

describe('selection', () => {
  it('adds, annotates, reorders and removes entries, each change a new version', async () => {
    const offer = await publishListing(ctx, owner, editor, offerBody({ title: 'Solar fish dryer' }));
    const request = await publishListing(ctx, owner, editor, requestBody());
    const third = await publishListing(ctx, secretOwner, editor, offerBody({ title: 'Seaweed bioplastic' }));
    let issue = await createIssue();
    issue = await addEntry(issue, offer.id, 'Cuts diesel use at landing sites');
    issue = await addEntry(issue, request.id);
    issue = await addEntry(issue, third.id);
    expect(issue.version).toBe(4);
    expect(issue.selected).toEqual({ offers: 2, requests: 1 });
    expect(issue.entries.map((e: { listing: { id: string } }) => e.listing.id)).toEqual([offer.id, request.id, third.id]);
    expect(issue.entries[0]).toMatchObject({ position: 1, note: 'Cuts diesel use at landing sites', currentStatus: 'published' });

    const [first, second, last] = issue.entries as { id: string }[];
    const moved = await api('PATCH', `/issues/${issue.id}/entries/${last!.id}`, editor, { position: 1, note: 'Lead story', version: issue.version });
    expect(moved.statusCode).toBe(200);
    issue = moved.json();
    expect(issue.entries.map((e: { id: string; position: number }) => [e.id, e.position])).toEqual([
      [last!.id, 1],
      [first!.id, 2],
      [second!.id, 3],
    ]);
    expect(issue.entries[0].note).toBe('Lead story');

    const reordered = await api('POST', `/issues/${issue.id}/reorder`, editor, { entryIds: [second!.id, first!.id, last!.id], version: issue.version });
    expect(reordered.statusCode).toBe(200);
    issue = reordered.json();
    expect(issue.entries.map((e: { id: string }) => e.id)).toEqual([second!.id, first!.id, last!.id]);
    const incomplete = await api('POST', `/issues/${issue.id}/reorder`, editor, { entryIds: [second!.id], version: issue.version });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().issues[0].path).toBe('entryIds');

    const removed = await api('DELETE', `/issues/${issue.id}/entries/${first!.id}`, editor, { version: issue.version });
    expect(removed.statusCode).toBe(200);
    issue = removed.json();
    expect(issue.entries.map((e: { id: string; position: number }) => [e.id, e.position])).toEqual([
      [second!.id, 1],
      [last!.id, 2],
    ]);
    expect(issue.version).toBe(7);
  });

  it('never loses a change when two editors edit at once: the stale one gets 409 and retries', async () => {
    const a = await publishListing(ctx, owner, editor, offerBody({ title: 'Ice slurry for fishing boats' }));
    const b = await publishListing(ctx, secretOwner, editor, offerBody({ title: 'Fish freshness sensor' }));
    const issue = await createIssue();
    const loadedByBoth = issue.version;
    const first = await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: a.id, version: loadedByBoth });
    expect(first.statusCode).toBe(201);
    const second = await api('POST', `/issues/${issue.id}/entries`, otherEditor, { listingId: b.id, version: loadedByBoth });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('version_conflict');
    const reloaded = await api('GET', `/issues/${issue.id}`, otherEditor);
    const retried = await api('POST', `/issues/${issue.id}/entries`, otherEditor, { listingId: b.id, version: reloaded.json().version });
    expect(retried.statusCode).toBe(201);
    expect(retried.json().entries.map((e: { listing: { id: string } }) => e.listing.id)).toEqual([a.id, b.id]);
    const staleNote = await api('PATCH', `/issues/${issue.id}/entries/${first.json().entries[0].id}`, editor, { note: 'x', version: first.json().version });
    expect(staleNote.statusCode).toBe(409);
    const staleDelete = await api('DELETE', `/issues/${issue.id}/entries/${first.json().entries[0].id}`, editor, { version: first.json().version });
    expect(staleDelete.statusCode).toBe(409);
  });

  it('takes only published listings, each once, and only from editors', async () => {
    const issue = await createIssue();
    const draft = (await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody() })).json();
    const notPublished = await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: draft.id, version: issue.version });
    expect(notPublished.statusCode).toBe(409);
    expect(notPublished.json().code).toBe('listing_not_published');
    const unknown = await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: '00000000-0000-4000-8000-000000000000', version: issue.version });
    expect(unknown.statusCode).toBe(400);
    const listing = await publishListing(ctx, owner, editor);
    expect((await api('POST', `/issues/${issue.id}/entries`, member, { listingId: listing.id, version: issue.version })).statusCode).toBe(403);
    expect((await api('POST', `/issues/${issue.id}/entries`, broker, { listingId: listing.id, version: issue.version })).statusCode).toBe(403);
    expect((await api('POST', `/issues/${issue.id}/entries`, undefined, { listingId: listing.id, version: issue.version })).statusCode).toBe(401);
    const added = await addEntry(issue, listing.id);
    const twice = await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: listing.id, version: added.version });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('already_selected');
  });
});

describe('states: draft → locked → published', () => {
  it('freezes the selection while locked, unlocks back to draft, publishes only from locked', async () => {
    const listing = await publishListing(ctx, owner, editor);
    const other = await publishListing(ctx, owner, editor, requestBody());
    let issue = await createIssue();
    const empty = await api('POST', `/issues/${issue.id}/lock`, editor, { version: issue.version });
    expect(empty.statusCode).toBe(409);
    expect(empty.json().code).toBe('empty_issue');
    issue = await addEntry(issue, listing.id);
    const fromDraft = await api('POST', `/issues/${issue.id}/publish`, editor, { version: issue.version });
    expect(fromDraft.statusCode).toBe(409);
    expect(fromDraft.json().code).toBe('invalid_state');
    expect((await api('POST', `/issues/${issue.id}/lock`, member, { version: issue.version })).statusCode).toBe(403);
    issue = await step(issue, 'lock');
    expect(issue.status).toBe('locked');
    const whileLocked = await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: other.id, version: issue.version });
    expect(whileLocked.statusCode).toBe(409);
    expect(whileLocked.json().code).toBe('invalid_state');
    expect((await api('PATCH', `/issues/${issue.id}`, editor, { title: 'Changed', version: issue.version })).statusCode).toBe(409);
    issue = await step(issue, 'unlock');
    expect(issue.status).toBe('draft');
    issue = await addEntry(issue, other.id);
    issue = await step(issue, 'lock');
    issue = await step(issue, 'publish');
    expect(issue.status).toBe('published');
    expect(issue.publishedAt).toBe(ctx.clock.now().toISOString());
    const unlock = await api('POST', `/issues/${issue.id}/unlock`, editor, { version: issue.version });
    expect(unlock.statusCode).toBe(409);
    expect((await api('GET', `/issues/${issue.id}`)).statusCode).toBe(200);
    const publicList = await api('GET', '/issues?limit=100');
    expect(publicList.json().items.find((i: { id: string }) => i.id === issue.id)).toMatchObject({ status: 'published', selected: { offers: 1, requests: 1 } });
  });

  it('will not publish an entry whose listing was withdrawn meanwhile', async () => {
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Withdrawn before print' }));
    let issue = await createIssue();
    issue = await addEntry(issue, listing.id);
    issue = await step(issue, 'lock');
    await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${listing.id}/withdraw`, headers: owner.auth, payload: {} });
    const publish = await api('POST', `/issues/${issue.id}/publish`, editor, { version: issue.version });
    expect(publish.statusCode).toBe(409);
    expect(publish.json().code).toBe('listing_not_published');
    expect(publish.json().message).toContain(listing.reference);
    const after = await api('GET', `/issues/${issue.id}`, editor);
    expect(after.json()).toMatchObject({ status: 'locked', version: issue.version });
    expect(after.json().entries[0].currentStatus).toBe('withdrawn');
  });
});

describe('publishing freezes the issue', () => {
  let issue: { id: string; version: number; entries: { listing: { id: string } }[] };
  let open: { id: string; reference: string; title: string };
  let secret: { id: string; reference: string };
  let secretOrganizationName: string;

  beforeAll(async () => {
    open = await publishListing(ctx, owner, editor, offerBody({ title: 'Solar <b>cold</b> room & "ice" bank', summary: 'Keeps fish at 4 °C <script>alert("x")</script>' }));
    secret = await publishListing(
      ctx,
      secretOwner,
      editor,
      requestBody({ anonymous: true, title: 'Anonymous fish dryer request', iprNotes: 'Utility model VN-2-0000123' }),
    );
    secretOrganizationName = (await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${secret.id}`, headers: secretOwner.auth })).json().organization.name;
    let draft = await createIssue({ title: 'Cold chain <i>special</i>' });
    draft = await addEntry(draft, open.id, 'Note with <img src=x onerror=alert(1)> markup');
    draft = await addEntry(draft, secret.id, 'Seeking partners in the region');
    draft = await step(draft, 'lock');
    // Mails of earlier tests go out first, so only this publication's mails are counted.
    await ctx.app.services.jobs.drain();
    smtp.clear();
    issue = await step(draft, 'publish');
  });

  it('mails the owners of featured listings once, through the mail queue', async () => {
    await ctx.app.services.jobs.drain();
    for (const user of [owner, colleague, secretOwner]) {
      const mails = smtp.to(user.email).filter((mail) => mail.subject.includes('featured in the Asia-Pacific Tech Monitor'));
      expect(mails, user.email).toHaveLength(1);
    }
    expect(smtp.to(owner.email)[0]!.text).toContain(open.reference);
    await ctx.app.services.jobs.drain();
    expect(smtp.to(owner.email).filter((mail) => mail.subject.includes('featured'))).toHaveLength(1);
    expect(smtp.to(member.email)).toHaveLength(0);
  });

  it('keeps showing each entry as it was at publication after the listing is edited, withdrawn or expires', async () => {
    const before = (await api('GET', `/issues/${issue.id}`)).json();
    const edit = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${open.id}`, headers: editor.auth, payload: { title: 'Renamed after print', summary: 'Changed' } });
    expect(edit.statusCode).toBe(200);
    const withdraw = await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${secret.id}/withdraw`, headers: secretOwner.auth, payload: {} });
    expect(withdraw.json().status).toBe('withdrawn');
    const after = await api('GET', `/issues/${issue.id}`);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual(before);
    expect(after.json().entries[0].listing.title).toBe(open.title);
    expect(after.json().entries.map((e: { currentStatus: unknown }) => e.currentStatus)).toEqual([null, null]);
    const html = (await api('GET', `/issues/${issue.id}.html`)).body;
    expect(html).not.toContain('Renamed after print');
    expect(html).toContain('Anonymous fish dryer request');

    ctx.clock.advanceDays(400);
    await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/maintenance/expiry-sweep', headers: admin.auth });
    ctx.clock.advanceDays(-400);
    expect((await api('GET', `/issues/${issue.id}`)).json()).toEqual(before);
  });

  it('exports print-ready HTML with a table of contents, every user text escaped, and no anonymous owner', async () => {
    const response = await api('GET', `/issues/${issue.id}/export?format=html`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toMatch(/<html lang="en">[\s\S]*<\/html>\s*$/);
    expect(html).toContain('@page');
    expect(html).toContain('<nav class="toc"');
    expect(html).toContain('href="#entry-1"');
    expect(html).toContain('id="entry-2"');
    // user text arrives escaped, never as markup
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>cold</b>');
    expect(html).not.toContain('<i>special</i>');
    expect(html).toContain('Solar &lt;b&gt;cold&lt;/b&gt; room &amp; &quot;ice&quot; bank');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Note with &lt;img src=x onerror=alert(1)&gt; markup');
    // the printed facts of an entry
    for (const text of [open.reference, 'Thailand', 'Areas of application', 'Agriculture and food', 'Advantages and innovations', 'Specification sought', 'TRL 9', 'On the market', 'Granted', 'Partnership sought', 'Licence agreement']) {
      expect(html, text).toContain(text);
    }
    // anonymity: contact through the centre, never the owner or its patent numbers
    expect(html).toContain('Contact through the centre');
    expect(html).not.toContain(secretOrganizationName);
    expect(html).not.toContain('VN-2-0000123');
    expect(html).toContain('Viet Nam');

    const viaSuffix = await api('GET', `/issues/${issue.id}.html`);
    expect(viaSuffix.body).toBe(html);
  });

  it('exports Markdown and JSON with the right content types and the same anonymity', async () => {
    const md = await api('GET', `/issues/${issue.id}.md`);
    expect(md.statusCode).toBe(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('## Contents');
    expect(md.body).toContain('Solar \\<b\\>cold\\</b\\> room');
    expect(md.body).toContain('Contact through the centre');
    expect(md.body).not.toContain(secretOrganizationName);
    expect(md.body).not.toContain('<script>');
    const viaQuery = await api('GET', `/issues/${issue.id}/export?format=md`);
    expect(viaQuery.body).toBe(md.body);

    const json = await api('GET', `/issues/${issue.id}.json`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json.json();
    expect(body.entries).toHaveLength(2);
    expect(body.entries[1].listing).toMatchObject({ anonymous: true, organization: null, iprNotes: null });
    expect(json.body).not.toContain(secretOrganizationName);
    expect(json.body).not.toContain('contactEmail');
    expect((await api('GET', `/issues/${issue.id}/export?format=json`)).json()).toEqual(body);
  });
});
