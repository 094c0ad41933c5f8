import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let owner: TestUser;
let colleague: TestUser;
let stranger: TestUser;
let broker: TestUser;
let otherBroker: TestUser;
let editor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  owner = await createUser(ctx);
  colleague = await createUser(ctx, { organizationId: owner.organizationId });
  stranger = await createUser(ctx);
  broker = await createUser(ctx, { role: 'intermediary' });
  otherBroker = await createUser(ctx, { role: 'intermediary' });
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
  const link = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/users/${broker.id}/clients`, headers: admin.auth, payload: { organizationId: owner.organizationId } });
  expect(link.statusCode).toBe(201);
});
afterAll(() => ctx.close());

const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });

describe('who may create listings', () => {
  it('a member creates for its own organisation only', async () => {
    expect((await inject('POST', '/listings', owner, offerBody())).statusCode).toBe(201);
    const forOther = await inject('POST', '/listings', owner, offerBody({ organizationId: stranger.organizationId }));
    expect(forOther.statusCode).toBe(403);
  });

  it('an intermediary creates for a client it represents, not for a stranger', async () => {
    const forClient = await inject('POST', '/listings', broker, requestBody({ organizationId: owner.organizationId }));
    expect(forClient.statusCode).toBe(201);
    expect(forClient.json()).toMatchObject({ organizationId: owner.organizationId, postedById: broker.id });
    const forStranger = await inject('POST', '/listings', broker, requestBody({ organizationId: stranger.organizationId }));
    expect(forStranger.statusCode).toBe(403);
    const noOrg = await inject('POST', '/listings', broker, requestBody());
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().issues[0].path).toBe('organizationId');
  });

  it('an anonymous visitor cannot create', async () => {
    const response = await inject('POST', '/listings', undefined, offerBody());
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, code: 'unauthorized' });
  });
});

describe('role × action × ownership', () => {
  let draftId: string;
  beforeAll(async () => {
    draftId = (await inject('POST', '/listings', owner, offerBody())).json().id;
  });

  it('edits: owner, colleague and client intermediary yes; stranger, other intermediary no', async () => {
    for (const user of [owner, colleague, broker]) {
      expect((await inject('PATCH', `/listings/${draftId}`, user, { title: `Edited by ${user.email}` })).statusCode).toBe(200);
    }
    // A draft is invisible to outsiders: they get 404, not a hint that it exists.
    for (const user of [stranger, otherBroker]) {
      expect((await inject('PATCH', `/listings/${draftId}`, user, { title: 'Hijack' })).statusCode).toBe(404);
    }
    expect((await inject('PATCH', `/listings/${draftId}`, undefined, { title: 'Hijack' })).statusCode).toBe(401);
  });

  it('submits: owner side only; then only editors publish, return or reject', async () => {
    expect((await inject('POST', `/listings/${draftId}/submit`, stranger, {})).statusCode).toBe(404);
    expect((await inject('POST', `/listings/${draftId}/submit`, broker, {})).statusCode).toBe(200);
    for (const user of [owner, broker, stranger]) {
      const response = await inject('POST', `/listings/${draftId}/publish`, user, {});
      expect(response.statusCode, user.email).toBe(user === stranger ? 404 : 403);
    }
    expect((await inject('POST', `/listings/${draftId}/return`, owner, { note: 'self-return' })).statusCode).toBe(403);
    expect((await inject('POST', `/listings/${draftId}/publish`, editor, {})).statusCode).toBe(200);
  });

  it('withdraws and renews: owner side and editors; not strangers', async () => {
    expect((await inject('POST', `/listings/${draftId}/withdraw`, stranger, {})).statusCode).toBe(403);
    expect((await inject('POST', `/listings/${draftId}/withdraw`, otherBroker, {})).statusCode).toBe(403);
    expect((await inject('POST', `/listings/${draftId}/renew`, stranger, {})).statusCode).toBe(403);
    expect((await inject('POST', `/listings/${draftId}/withdraw`, colleague, {})).statusCode).toBe(200);
  });

  it('history: owner side, editors and admins; not strangers or the public', async () => {
    for (const user of [owner, broker, editor, admin]) expect((await inject('GET', `/listings/${draftId}/history`, user)).statusCode).toBe(200);
    expect((await inject('GET', `/listings/${draftId}/history`, stranger)).statusCode).toBe(404);
    expect((await inject('GET', `/listings/${draftId}/history`)).statusCode).toBe(401);
  });

  it('editors do not see drafts; admins do', async () => {
    const draft = (await inject('POST', '/listings', owner, offerBody())).json();
    expect((await inject('GET', `/listings/${draft.id}`, editor)).statusCode).toBe(404);
    expect((await inject('GET', `/listings/${draft.id}`, admin)).statusCode).toBe(200);
    const editorList = await inject('GET', '/listings?status=draft', editor);
    expect(editorList.json().items.map((l: { id: string }) => l.id)).not.toContain(draft.id);
  });
});

describe('what the public sees', () => {
  it('never drafts, submitted or withdrawn listings', async () => {
    const draft = (await inject('POST', '/listings', owner, offerBody({ title: 'Secret draft' }))).json();
    expect((await inject('GET', `/listings/${draft.id}`)).statusCode).toBe(404);
    const list = await inject('GET', '/listings?limit=100');
    expect(list.json().items.every((l: { status: string }) => l.status === 'published')).toBe(true);
    expect(list.body).not.toContain('Secret draft');
    const askDrafts = await inject('GET', '/listings?status=draft');
    expect(askDrafts.statusCode).toBe(403);
  });

  it('no contact data on a published listing, to visitors or strangers', async () => {
    const published = await publishListing(ctx, owner, editor);
    for (const user of [undefined, stranger]) {
      const response = await inject('GET', `/listings/${published.id}`, user);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.contact).toBeUndefined();
      expect(body.createdById).toBeUndefined();
      expect(response.body).not.toContain(owner.email);
      expect(response.body).not.toMatch(/contactEmail|contactPhone/);
    }
    const ownView = await inject('GET', `/listings/${published.id}`, owner);
    expect(ownView.json().contact.email).toBe(owner.email);
  });

  it('an anonymous listing hides its organisation, contacts and patent numbers', async () => {
    const anonOwner = await createUser(ctx, { country: 'VN' });
    const published = await publishListing(ctx, anonOwner, editor, offerBody({ anonymous: true, iprNotes: 'Patent VN-998877' }));
    const orgName = (await inject('GET', `/organizations/${anonOwner.organizationId}`, anonOwner)).json().name as string;
    for (const user of [undefined, stranger, otherBroker]) {
      const one = await inject('GET', `/listings/${published.id}`, user);
      expect(one.json()).toMatchObject({ anonymous: true, organization: null, iprNotes: null, country: 'VN' });
      for (const secret of [orgName, anonOwner.organizationId!, 'VN-998877', anonOwner.email]) expect(one.body).not.toContain(secret);
      const list = await inject('GET', '/listings?limit=100', user);
      expect(list.json().items.map((l: { id: string }) => l.id)).toContain(published.id);
      expect(list.body).not.toContain(orgName);
      const byOrg = await inject('GET', `/listings?organizationId=${anonOwner.organizationId}&limit=100`, user);
      expect(byOrg.json().items.map((l: { id: string }) => l.id)).not.toContain(published.id);
    }
    const own = await inject('GET', `/listings/${published.id}`, anonOwner);
    expect(own.json().organization.name).toBe(orgName);
    const editorView = await inject('GET', `/listings/${published.id}`, editor);
    expect(editorView.json().organization.name).toBe(orgName);
  });

  it('organisation contacts only for its members, intermediaries, editors and admins', async () => {
    const publicView = await inject('GET', `/organizations/${owner.organizationId}`);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json().contactEmail).toBeUndefined();
    expect((await inject('GET', `/organizations/${owner.organizationId}`, stranger)).json().contactEmail).toBeUndefined();
    for (const user of [owner, broker, editor, admin]) {
      expect((await inject('GET', `/organizations/${owner.organizationId}`, user)).json().contactEmail).toMatch(/@example\.org$/);
    }
  });

  it('organisations are edited by their members, intermediaries and admins only', async () => {
    expect((await inject('PATCH', `/organizations/${owner.organizationId}`, stranger, { website: 'https://evil.example' })).statusCode).toBe(403);
    expect((await inject('PATCH', `/organizations/${owner.organizationId}`, editor, { website: 'https://evil.example' })).statusCode).toBe(403);
    expect((await inject('PATCH', `/organizations/${owner.organizationId}`, broker, { website: 'https://client.example' })).statusCode).toBe(200);
    expect((await inject('PATCH', `/organizations/${owner.organizationId}`, admin, { website: 'https://admin.example' })).statusCode).toBe(200);
  });
});

describe('intermediaries and their clients', () => {
  it('see their clients’ listings in any status with mine=true, and no one else’s', async () => {
    const clientDraft = (await inject('POST', '/listings', owner, offerBody({ title: 'Client draft' }))).json();
    const strangerDraft = (await inject('POST', '/listings', stranger, offerBody({ title: 'Stranger draft' }))).json();
    const mine = await inject('GET', '/listings?mine=true&limit=100', broker);
    const ids = mine.json().items.map((l: { id: string }) => l.id);
    expect(ids).toContain(clientDraft.id);
    expect(ids).not.toContain(strangerDraft.id);
    const me = await inject('GET', '/me', broker);
    expect(me.json().clientOrganizationIds).toEqual([owner.organizationId]);
  });

  it('an intermediary creates a new client organisation and may act for it', async () => {
    const created = await inject('POST', '/organizations', broker, { name: 'New Client Fisheries', type: 'sme', country: 'LK' });
    expect(created.statusCode).toBe(201);
    const listing = await inject('POST', '/listings', broker, requestBody({ organizationId: created.json().id }));
    expect(listing.statusCode).toBe(201);
    expect((await inject('POST', '/organizations', owner, { name: 'Self-made', type: 'sme', country: 'LK' })).statusCode).toBe(403);
  });
});
