import { randomUUID } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, PASSWORD, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// The OpenAPI document is the contract client generators build from: every answer the service
// gives must be valid against the operation's schema for its status and media type. A realistic
// flow runs through app.inject, and each answer is checked with ajv in strict mode.

type JsonSchema = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let ctx: TestContext;
let document: Document;
let ajv: Ajv;
const validators = new Map<string, ValidateFunction>();
/** Every answer checked: operation, status and media type. */
const checked: { operationId: string; status: number; mediaType: string | null }[] = [];

/** The path template of the document that names this URL (static segments win over parameters). */
function templateOf(url: string): string {
  const path = url.split('?')[0]!;
  const templates = Object.keys(document.paths).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  const found = templates.find((template) => {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/.]+');
    return new RegExp(`^${pattern}$`).test(path);
  });
  if (!found) throw new Error(`no path of the OpenAPI document matches ${path}`);
  return found;
}

function validatorFor(key: string, schema: JsonSchema) {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(key, validate);
  }
  return validate;
}

/** Checks the answer against the document: a declared status, its media type, its schema. */
function checkAgainstDocument(method: string, url: string, response: LightMyRequestResponse) {
  const template = templateOf(url);
  const operation = document.paths[template]![method.toLowerCase()];
  const where = `${method} ${template} → ${response.statusCode}`;
  expect(operation, `${method} ${template} is not in the document`).toBeDefined();
  const declared = operation!.responses[String(response.statusCode)] ?? operation!.responses.default;
  expect(declared, `${where}: status not declared`).toBeDefined();
  const contentType = response.headers['content-type'];
  const mediaType = typeof contentType === 'string' ? contentType.split(';')[0]!.trim() : null;
  checked.push({ operationId: operation!.operationId!, status: response.statusCode, mediaType });
  if (!declared!.content) {
    expect(response.body, `${where}: the document declares no content`).toBe('');
    return;
  }
  expect(mediaType, `${where}: answered without a content type`).not.toBeNull();
  const media = declared!.content[mediaType!];
  expect(media, `${where}: answered ${mediaType}, the document declares ${Object.keys(declared!.content).join(', ')}`).toBeDefined();
  const body: unknown = mediaType === 'application/json' ? response.json() : response.body;
  const validate = validatorFor(`${method} ${template} ${response.statusCode} ${mediaType}`, media!.schema);
  expect(validate(body), `${where} (${mediaType}): ${ajv.errorsText(validate.errors)}\n${response.body.slice(0, 500)}`).toBe(true);
}

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, user?: TestUser | null, payload?: object, expected?: number) {
  const options: InjectOptions = { method, url: `/api/v1${url}`, headers: user ? user.auth : {}, ...(payload ? { payload } : {}) };
  const response = await ctx.app.inject(options);
  if (expected !== undefined) expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(expected);
  checkAgainstDocument(method, `/api/v1${url}`, response);
  return response;
}

beforeAll(async () => {
  ctx = await createTestApp();
  const served = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
  expect(served.statusCode).toBe(200);
  document = served.json();
  ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
});
afterAll(() => ctx?.close());

describe('the OpenAPI document', () => {
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  it('gives every operation a unique camelCase operationId, a summary and its security', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    for (const { path, method, operation } of operations()) {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(operation.summary, `${method} ${path}`).toBeTruthy();
      expect(operation.security, `${method} ${path}`).toBeDefined();
    }
    expect(new Set(ids).size).toBe(ids.length);
    const idOf = (method: string, path: string) => document.paths[path]![method]!.operationId;
    expect(idOf('get', '/api/v1/listings')).toBe('listListings');
    expect(idOf('post', '/api/v1/listings')).toBe('createListing');
    expect(idOf('get', '/api/v1/listings/{id}')).toBe('getListing');
    expect(idOf('post', '/api/v1/listings/{id}/publish')).toBe('publishListing');
    expect(idOf('delete', '/api/v1/saved-searches/{id}')).toBe('deleteSavedSearch');
  });

  it('lists no hidden route (the Swagger UI\'s own)', () => {
    expect(Object.keys(document.paths).filter((path) => path.startsWith('/docs'))).toEqual([]);
  });

  it('lets anyone call the public routes, with or without a token, and asks for one on the others', () => {
    expect(document.paths['/api/v1/search']!.get!.security).toEqual([{}, { bearerAuth: [] }]);
    expect(document.paths['/api/v1/listings']!.post!.security).toEqual([{ bearerAuth: [] }]);
  });

  it('declares HTML, Markdown and CSV answers under their media types', () => {
    const mediaTypes = (path: string) => Object.keys(document.paths[path]!.get!.responses['200']!.content!);
    expect(mediaTypes('/api/v1/techmonitor/issues/{id}.html')).toEqual(['text/html']);
    expect(mediaTypes('/api/v1/techmonitor/issues/{id}.md')).toEqual(['text/markdown']);
    expect(mediaTypes('/api/v1/techmonitor/issues/{id}.json')).toEqual(['application/json']);
    expect(mediaTypes('/api/v1/techmonitor/issues/{id}/export').sort()).toEqual(['application/json', 'text/html', 'text/markdown']);
    expect(mediaTypes('/api/v1/reports/summary.csv')).toEqual(['text/csv']);
    expect(mediaTypes('/api/v1/techmonitor/unsubscribe')).toEqual(['text/html']);
    expect(document.paths['/api/v1/techmonitor/issues/{id}.html']!.get!.responses['404']!.content).toHaveProperty(['application/json']);
  });
});

describe('answers of a realistic flow, each valid against the document', () => {
  it('registers, publishes, searches, matches, expresses interest, makes a Tech Monitor issue, reports and administers', async () => {
    const editor = await createUser(ctx, { role: 'editor' });
    const admin = await createUser(ctx, { role: 'admin' });
    const owner = await createUser(ctx, { country: 'TH' });
    const seeker = await createUser(ctx, { country: 'LK' });
    const broker = await createUser(ctx, { role: 'intermediary' });
    const colleague = await createUser(ctx, { organizationId: seeker.organizationId });

    await call('GET', '/vocabularies', null, undefined, 200);
    const health = await ctx.app.inject({ method: 'GET', url: '/health' });
    checkAgainstDocument('GET', '/health', health);

    // Accounts: an organisation without a size answers `size: null` (a nullable enum).
    const email = `flow-${randomUUID().slice(0, 8)}@example.org`;
    await call('POST', '/auth/register', null, { email, password: PASSWORD, name: 'Flow Tester', organization: { name: 'Flow Labs', type: 'sme', size: null, country: 'th' } }, 202);
    const session = (await call('POST', '/auth/login', null, { email, password: PASSWORD }, 200)).json();
    const registered: TestUser = {
      id: session.user.id,
      email,
      token: session.accessToken,
      refreshToken: session.refreshToken,
      organizationId: session.user.organizationId,
      auth: { authorization: `Bearer ${session.accessToken}` },
    };
    await call('GET', '/me', registered, undefined, 200);
    await call('GET', `/organizations/${registered.organizationId}`, registered, undefined, 200);
    await call('PATCH', `/organizations/${registered.organizationId}`, registered, { website: 'https://flow.example' }, 200);
    const refreshed = (await call('POST', '/auth/refresh', null, { refreshToken: registered.refreshToken }, 200)).json();
    await call('POST', '/auth/logout', null, { refreshToken: refreshed.refreshToken }, 200);
    await call('POST', '/auth/password-reset', null, { email }, 202);

    // Listings: create, edit, submit, publish; an anonymous one too.
    const draft = (await call('POST', '/listings', owner, offerBody({ title: 'COVID-19 antigen test strip reader' }), 201)).json();
    await call('PATCH', `/listings/${draft.id}`, owner, { summary: 'Reads COVID-19 and influenza antigen strips with a phone camera, offline.' }, 200);
    await call('POST', `/listings/${draft.id}/submit`, owner, {}, 200);
    await call('POST', `/listings/${draft.id}/publish`, editor, {}, 200);
    const offer = await publishListing(ctx, owner, editor, offerBody());
    const request = await publishListing(ctx, seeker, editor, requestBody());
    await publishListing(ctx, owner, editor, offerBody({ title: 'Solar fish dryer with a biomass back-up', anonymous: true }));
    await ctx.app.services.jobs.drain();
    await call('GET', '/listings?limit=5', null, undefined, 200);
    await call('GET', '/listings?status=published', owner, undefined, 200);
    await call('GET', `/listings/${offer.id}`, null, undefined, 200);
    await call('GET', `/listings/${draft.id}/history`, owner, undefined, 200);
    const returned = (await call('POST', '/listings', owner, offerBody({ title: 'Forward/reverse osmosis skid' }), 201)).json();
    await call('POST', `/listings/${returned.id}/submit`, owner, {}, 200);
    await call('POST', `/listings/${returned.id}/return`, editor, { note: 'Please name the membrane supplier.' }, 200);
    await call('POST', `/listings/${returned.id}/submit`, owner, {}, 200);
    await call('POST', `/listings/${returned.id}/reject`, editor, { note: 'Out of scope.' }, 200);
    await call('POST', `/listings/${returned.id}/archive`, owner, {}, 200);
    const held = await publishListing(ctx, owner, editor, offerBody({ title: 'PM2.5 sensor for classrooms' }));
    await call('POST', `/listings/${held.id}/hold`, editor, { note: 'The contact bounced.' }, 200);
    await call('POST', `/listings/${held.id}/withdraw`, owner, {}, 200);
    await call('POST', `/listings/${held.id}/renew`, owner, {});

    // Search and matching.
    const found = (await call('GET', `/search?q=${encodeURIComponent('COVID-19 antigen test strip reader')}`, null, undefined, 200)).json();
    expect(found.items.map((item: { id: string }) => item.id)).toContain(draft.id);
    await call('GET', '/search?q=solar%20dryer&sector=agriculture_food&sort=newest', null, undefined, 200);
    await call('GET', '/search', null, undefined, 200);
    await call('GET', `/listings/${request.id}/matches`, null, undefined, 200);
    await call('GET', `/listings/${offer.id}/matches`, owner, undefined, 200);

    // Expressions of interest: one declined (a decline reason), one accepted (an introduction).
    const declined = (await call('POST', '/interests', seeker, { listingId: offer.id, message: 'We would like to license this for 30 villages.' }, 201)).json();
    await call('GET', `/interests/${declined.id}`, owner, undefined, 200);
    await call('POST', `/interests/${declined.id}/decline`, owner, { reason: 'too_early', note: 'Come back next year.' }, 200);
    const accepted = (await call('POST', '/interests', seeker, { listingId: draft.id, message: 'Could it read our own strips?' }, 201)).json();
    await call('POST', `/interests/${accepted.id}/accept`, owner, {}, 200);
    const withdrawn = (await call('POST', '/interests', colleague, { listingId: offer.id, message: 'Interested in a pilot.' }, 201)).json();
    await call('POST', `/interests/${withdrawn.id}/withdraw`, colleague, {}, 200);
    await call('GET', '/interests', seeker, undefined, 200);
    const introductions = (await call('GET', '/introductions', owner, undefined, 200)).json();
    const introduction = introductions.items[0];
    await call('GET', `/introductions/${introduction.id}`, owner, undefined, 200);
    await call('POST', `/introductions/${introduction.id}/agreement`, owner, { type: 'licence', date: '2026-03-02' }, 200);
    await call('POST', `/introductions/${introduction.id}/close`, seeker, {}, 200);
    await call('GET', `/introductions/${introduction.id}/history`, seeker, undefined, 200);

    // Saved searches.
    const saved = (await call('POST', '/saved-searches', seeker, { name: 'Solar dryers', query: 'solar dryer' }, 201)).json();
    await call('GET', '/saved-searches', seeker, undefined, 200);
    await call('GET', `/saved-searches/${saved.id}`, seeker, undefined, 200);
    await call('PATCH', `/saved-searches/${saved.id}`, seeker, { frequency: 'instant' }, 200);
    await call('DELETE', `/saved-searches/${saved.id}`, seeker, undefined, 204);
    await call('GET', '/saved-searches/unsubscribe?token=not-a-real-token-at-all', null, undefined, 400);

    // The Tech Monitor: an issue made, filled, frozen, published and exported.
    const issue = (
      await call(
        'POST',
        '/techmonitor/issues',
        editor,
        {
          volume: 41,
          number: 1,
          title: 'Technologies for food security',
          theme: { text: 'Post-harvest technologies: cold storage, drying, processing', sectors: ['agriculture_food'] },
          periodStart: '2026-10-01',
          periodEnd: '2026-12-31',
          targetOffers: 2,
          targetRequests: 1,
        },
        201,
      )
    ).json();
    await call('GET', `/techmonitor/issues/${issue.id}/suggestions`, editor, undefined, 200);
    const withEntry = (await call('POST', `/techmonitor/issues/${issue.id}/entries`, editor, { listingId: offer.id, version: issue.version }, 201)).json();
    const withTwo = (await call('POST', `/techmonitor/issues/${issue.id}/entries`, editor, { listingId: request.id, version: withEntry.version ?? issue.version + 1 })).json();
    const current = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json();
    expect(withTwo).toBeTruthy();
    await call('PATCH', `/techmonitor/issues/${issue.id}`, editor, { title: 'Technologies for food security and cold chains', version: current.version }, 200);
    const [first, second] = current.entries as { id: string }[];
    let version = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json().version;
    await call('PATCH', `/techmonitor/issues/${issue.id}/entries/${first!.id}`, editor, { note: 'Lead story', version }, 200);
    version = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json().version;
    await call('POST', `/techmonitor/issues/${issue.id}/reorder`, editor, { entryIds: [second!.id, first!.id], version }, 200);
    version = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json().version;
    await call('POST', `/techmonitor/issues/${issue.id}/lock`, editor, { version }, 200);
    version = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json().version;
    await call('POST', `/techmonitor/issues/${issue.id}/unlock`, editor, { version }, 200);
    const edited = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json();
    await call('POST', `/techmonitor/issues/${issue.id}/lock`, editor, { version: edited.version }, 200);
    const locked = (await call('GET', `/techmonitor/issues/${issue.id}`, editor, undefined, 200)).json();
    await call('POST', `/techmonitor/issues/${issue.id}/publish`, editor, { version: locked.version }, 200);
    await call('GET', '/techmonitor/issues', null, undefined, 200);
    await call('GET', `/techmonitor/issues/${issue.id}`, null, undefined, 200);
    await call('GET', `/techmonitor/issues/${issue.id}.html`, null, undefined, 200);
    await call('GET', `/techmonitor/issues/${issue.id}.md`, null, undefined, 200);
    await call('GET', `/techmonitor/issues/${issue.id}.json`, null, undefined, 200);
    for (const format of ['html', 'md', 'json']) await call('GET', `/techmonitor/issues/${issue.id}/export?format=${format}`, null, undefined, 200);
    await call('POST', '/techmonitor/subscribers', null, { email: `reader-${randomUUID().slice(0, 8)}@example.org` }, 202);
    await call('POST', `/techmonitor/issues/${issue.id}/send`, editor, {}, 202);
    await call('GET', `/techmonitor/issues/${issue.id}/delivery`, editor, undefined, 200);
    await call('GET', '/techmonitor/unsubscribe?token=not-a-real-token-at-all', null, undefined, 400);
    await call('POST', '/techmonitor/subscribers/confirm', null, { token: 'not-a-real-token-at-all' }, 400);

    // Reports and administration.
    await call('GET', '/reports/summary?from=2026-01-01&to=2026-12-31', editor, undefined, 200);
    await call('GET', '/reports/summary.csv?from=2026-01-01&to=2026-12-31', editor, undefined, 200);
    await call('GET', '/admin/users?limit=5', admin, undefined, 200);
    await call('PATCH', `/admin/users/${registered.id}`, admin, { role: 'intermediary' }, 200);
    await call('POST', `/admin/users/${broker.id}/clients`, admin, { organizationId: owner.organizationId }, 201);
    await call('DELETE', `/admin/users/${broker.id}/clients/${owner.organizationId}`, admin, undefined, 200);
    await call('GET', '/admin/jobs?queue=search&status=pending', admin, undefined, 200);
    await call('GET', '/admin/search/status', admin, undefined, 200);
    await call('GET', '/admin/mail', admin, undefined, 200);
    await call('POST', '/admin/maintenance/expiry-sweep', admin, {}, 200);
    await call('POST', '/admin/maintenance/alert-digest', admin, {}, 200);
    await call('POST', '/admin/techmonitor/bounces', admin, { email: 'gone@example.org', reason: 'mailbox unknown' }, 200);
    await call('GET', '/organizations?limit=5', admin, undefined, 200);
    await call('POST', '/organizations', admin, { name: 'Mekong Agritech', type: 'sme', country: 'vn' }, 201);
    await call('POST', '/admin/jobs/987654321/retry', admin, {}, 404);
    await call('POST', `/admin/mail/${randomUUID()}/retry`, admin, {}, 404);

    // Errors answer in the shape the document gives them.
    await call('GET', `/listings/${randomUUID()}`, null, undefined, 404);
    await call('GET', '/me', null, undefined, 401);
    await call('GET', '/admin/users', seeker, undefined, 403);
    await call('GET', '/search?sector=moon_mining', null, undefined, 400);

    const operationsSeen = new Set(checked.map((entry) => entry.operationId));
    expect(checked.length).toBeGreaterThanOrEqual(100);
    expect(operationsSeen.size).toBeGreaterThanOrEqual(78);
    const answered = checked.filter((entry) => entry.status !== 204).map((entry) => entry.mediaType);
    expect(new Set(answered)).toEqual(new Set(['application/json', 'text/html', 'text/markdown', 'text/csv']));
  }, 180_000);
});
