import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The import pages (/my/import) through a browser without JavaScript: upload, dry-run report,
// confirm, progress, result; the permission rules of the API import.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url));

let ctx: TestContext;
let editor: TestUser;

beforeAll(async () => {
  // A small upload limit, so a test can go over it.
  ctx = await createTestApp({ IMPORT_BATCH_SIZE: '2', IMPORT_MAX_BYTES: '20000' });
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(() => ctx.close());

/** The text of a page without its markup (entities decoded), for reading messages. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const HEADER = 'externalRef,kind,title,summary,description,advantages,sectors,keywords,stage,trl,iprStatus,partnershipTypes,targetCountries,sdgs';
const offerRow = (ref: string, title: string, extra: { sectors?: string; trl?: string } = {}) =>
  [
    ref,
    'offer',
    title,
    `"${title}: a short summary of what the technology does for its users."`,
    `"${title}. A longer description of how it works, where it was tested and who uses it already."`,
    'Cheaper to run than what it replaces.',
    extra.sectors ?? 'Water and sanitation',
    'filter; village',
    'On the market',
    extra.trl ?? '8',
    'Granted',
    'Licence agreement',
    'Vietnam',
    '6',
  ].join(',');

describe('who may import', () => {
  it('refuses members, before reading any file', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    const page = await web.get('/my/import');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('Only editors and intermediaries import listings');
    await web.get('/my');
    expect(web.lastPage).not.toContain('href="/my/import"');
    const upload = await web.upload('/my/import', { asStatus: 'draft' }, { file: { name: 'a.csv', content: `${HEADER}\n${offerRow('M-1', 'Member water filter')}\n`, type: 'text/csv' } });
    expect(upload.statusCode).toBe(403);
  });

  it('sends visitors to the log-in page', async () => {
    const visitor = new WebClient(ctx);
    const page = await visitor.get('/my/import');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fmy%2Fimport');
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const web = await WebClient.signedIn(ctx, editor);
    await web.get('/my/import');
    const forged = await web.upload('/my/import', {}, { file: { name: 'a.csv', content: `${HEADER}\n${offerRow('X-1', 'Forged water filter')}\n` } }, { csrf: 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('This form has expired');
    const missing = await web.upload('/my/import', {}, { file: { name: 'a.csv', content: `${HEADER}\n${offerRow('X-1', 'Forged water filter')}\n` } }, { csrf: null });
    expect(missing.statusCode).toBe(403);
  });
});

describe('an intermediary imports for a client', () => {
  let broker: TestUser;
  let client: TestUser;
  let web: WebClient;
  const file = `${HEADER}\n${offerRow('CL-1', 'Ceramic water filter for villages')}\n${offerRow('CL-2', 'Arsenic removal cartridge', { sectors: 'Astrology' })}\n${offerRow('CL-3', 'Rainwater first-flush diverter', { trl: 'twelve' })}\n${offerRow('CL-4', 'Solar water pasteuriser')}\n`;

  beforeAll(async () => {
    broker = await createUser(ctx, { role: 'intermediary' });
    client = await createUser(ctx);
    await ctx.app.services.organizations.addClient(ctx.database.db, broker.id, client.organizationId!);
    web = await WebClient.signedIn(ctx, broker);
  });

  it('shows the form with the templates, the client to import for, and no "published" for intermediaries', async () => {
    const page = await web.get('/my/import');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('href="/api/v1/imports/template.csv"');
    expect(page.body).toContain('href="/api/v1/imports/template.xlsx"');
    expect(page.body).toContain(`value="${client.organizationId}"`);
    expect(page.body).toContain('value="submitted"');
    expect(page.body).not.toContain('value="published"');
    const template = await web.get('/api/v1/imports/template.csv');
    expect(template.statusCode).toBe(200);
    expect(template.body).toContain('externalRef');
  });

  it('asks for a file when none was chosen', async () => {
    await web.get('/my/import');
    const empty = await web.upload('/my/import', { asStatus: 'draft' }, { file: { name: '', content: '' } });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Choose a file to upload');
  });

  it('says beside the fields when the status or the organisation is not one offered', async () => {
    await web.get('/my/import');
    const file = { file: { name: 'a.csv', content: `${HEADER}\n${offerRow('OPT-1', 'Option water filter')}\n`, type: 'text/csv' } };
    const bad = await web.upload('/my/import', { asStatus: 'archived', organizationId: 'not-an-id' }, file);
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Create the new listings as needs one of the choices');
    expect(bad.body).toContain('id="organizationId-error"');
  });

  it('says so beside the field when the file is over the limit', async () => {
    await web.get('/my/import');
    const rows = Array.from({ length: 80 }, (_, index) => offerRow(`BIG-${index}`, `Large file water filter ${index}`)).join('\n');
    const big = await web.upload('/my/import', { asStatus: 'draft' }, { file: { name: 'big.csv', content: `${HEADER}\n${rows}\n`, type: 'text/csv' } });
    expect(big.statusCode).toBe(413);
    expect(text(big.body)).toContain('The file is larger than 20 KB: split it into smaller files');
  });

  it('shows the dry run first: rows to create, each error with its row and column, guessed values; nothing written', async () => {
    await web.get('/my/import');
    const uploaded = await web.upload('/my/import', { asStatus: 'draft', organizationId: client.organizationId! }, { file: { name: 'clients.csv', content: file, type: 'text/csv' } });
    expect(uploaded.statusCode).toBe(303);
    const report = await web.get(uploaded.headers.location as string);
    expect(report.statusCode).toBe(200);
    const words = text(report.body);
    expect(words).toContain('Check of clients.csv');
    expect(words).toMatch(/New listings 2 /);
    expect(words).toMatch(/Rows with errors 2 /);
    // Row numbers as a spreadsheet shows them (the header is row 1), the column as headed in the file.
    expect(words).toContain('3 sectors "Astrology" is not a known sector');
    expect(words).toContain('4 trl "twelve" is not a known TRL (1 to 9)');
    expect(words).toContain('Values mapped by a guess');
    expect(words).toContain('Import 2 listings');
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true', headers: broker.auth });
    expect(mine.json().total).toBe(0);
  });

  it('confirms, shows the progress while the import runs, then the result; the listings exist', async () => {
    const id = (web.lastPage.match(/action="\/my\/import\/([0-9a-f-]+)\/confirm"/) ?? [])[1]!;
    const confirmed = await web.post(`/my/import/${id}/confirm`);
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers.location).toBe(`/my/import/${id}`);
    const progress = await web.get(`/my/import/${id}`);
    expect(progress.body).toContain('<progress');
    expect(progress.body).toContain(`hx-get="/my/import/${id}/progress"`);
    // Without JavaScript the page reloads itself.
    expect(progress.body).toMatch(/<noscript><meta http-equiv="refresh" content="\d+"\/?><\/noscript>/);
    const fragment = await web.get(`/my/import/${id}/progress`);
    expect(fragment.body).toContain('id="import-progress-bar"');
    expect(fragment.body).not.toContain('<html');
    expect(fragment.headers['hx-refresh']).toBeUndefined();

    await ctx.app.services.jobs.drain();
    const done = await web.get(`/my/import/${id}/progress`);
    expect(done.headers['hx-refresh']).toBe('true');
    const result = await web.get(`/my/import/${id}`);
    const words = text(result.body);
    expect(words).toContain('Import of clients.csv');
    expect(words).toMatch(/Created 2 /);
    expect(words).not.toContain('<progress');
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true&limit=100', headers: broker.auth });
    expect(mine.json().items.map((item: { title: string }) => item.title).sort()).toEqual(['Ceramic water filter for villages', 'Solar water pasteuriser']);
    expect(mine.json().items.every((item: { organizationId: string; status: string }) => item.organizationId === client.organizationId && item.status === 'draft')).toBe(true);
  });

  it('uploading the same file again updates by reference instead of duplicating', async () => {
    await web.get('/my/import');
    const changed = file.replace('Ceramic water filter for villages: a short summary', 'Ceramic water filter for villages: a revised summary');
    const uploaded = await web.upload('/my/import', { asStatus: 'draft', organizationId: client.organizationId! }, { file: { name: 'clients.csv', content: changed, type: 'text/csv' } });
    const report = await web.get(uploaded.headers.location as string);
    expect(text(report.body)).toMatch(/New listings 0 Listings updated 2 /);
    const id = (uploaded.headers.location as string).split('/').pop()!;
    await web.post(`/my/import/${id}/confirm`);
    await ctx.app.services.jobs.drain();
    const result = text((await web.get(`/my/import/${id}`)).body);
    expect(result).toMatch(/Created 0 Updated 1 Unchanged 1 /);
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true&limit=100', headers: broker.auth });
    expect(mine.json().total).toBe(2);
    expect(mine.json().items.find((item: { title: string }) => item.title.startsWith('Ceramic')).summary).toContain('a revised summary');
    // The page lists the person's imports.
    const form = await web.get('/my/import');
    expect(form.body.match(/href="\/my\/import\/[0-9a-f-]+"/g)).toHaveLength(2);
  });

  it('refuses an organisation the intermediary does not act for, and rows naming one', async () => {
    const stranger = await createUser(ctx);
    await web.get('/my/import');
    const foreign = await web.upload('/my/import', { asStatus: 'draft', organizationId: stranger.organizationId! }, { file: { name: 'x.csv', content: file, type: 'text/csv' } });
    expect(foreign.statusCode).toBe(400);
    expect(text(foreign.body)).toContain('You may import only for your organisation or clients you represent');

    await web.get('/my/import');
    const named = `${HEADER},organizationName,organizationCountry\n${offerRow('ST-1', 'Stranger water filter')},Somebody Else Ltd,Thailand\n`;
    const uploaded = await web.upload('/my/import', { asStatus: 'draft' }, { file: { name: 'named.csv', content: named, type: 'text/csv' } });
    const report = text((await web.get(uploaded.headers.location as string)).body);
    expect(report).toContain('2 (the row) "Somebody Else Ltd" (TH) is not your organisation or a client you represent');
    expect(report).toContain('No row can be imported');
  });

  it('shows an import to the person who uploaded it only', async () => {
    const other = await createUser(ctx, { role: 'intermediary' });
    const otherWeb = await WebClient.signedIn(ctx, other);
    const mine = await web.get('/my/import');
    const someId = (mine.body.match(/href="\/my\/import\/([0-9a-f-]{36})"/) ?? [])[1]!;
    expect((await web.get(`/my/import/${someId}`)).statusCode).toBe(200);
    const page = await otherWeb.get(`/my/import/${someId}`);
    expect(page.statusCode).toBe(404);
    await otherWeb.get('/my/import');
    const confirm = await otherWeb.post(`/my/import/${someId}/confirm`);
    expect(confirm.statusCode).toBe(404);
  });
});

describe('an editor imports as published', () => {
  it('publishes the valid rows of a messy file; search finds them once the queue has run', async () => {
    const web = await WebClient.signedIn(ctx, editor);
    const page = await web.get('/my/import');
    expect(page.body).toContain('value="published"');
    const uploaded = await web.upload('/my/import', { asStatus: 'published' }, { file: { name: 'bom.csv', content: fixture('bom-comma.csv'), type: 'text/csv' } });
    expect(uploaded.statusCode).toBe(303);
    const report = await web.get(uploaded.headers.location as string);
    const words = text(report.body);
    expect(words).toContain('3 Sectors "Astrology" is not a known sector');
    expect(words).toContain('5 Technology title (max 200 characters) must not be empty');
    expect(words).toContain('Values that could not be mapped');
    expect(words).toContain('Atlantis');
    const id = (uploaded.headers.location as string).split('/').pop()!;
    await web.post(`/my/import/${id}/confirm`);
    await ctx.app.services.jobs.drain();
    expect(text((await web.get(`/my/import/${id}`)).body)).toMatch(/Created 2 /);
    const found = await ctx.app.inject({ method: 'GET', url: '/api/v1/search?q=gasifier' });
    expect(found.json().items.map((item: { title: string }) => item.title)).toContain('Rice-husk gasifier for village power');
    const gasifier = found.json().items.find((item: { title: string }) => item.title.startsWith('Rice'));
    const matches = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${gasifier.id}/matches` });
    expect(matches.statusCode).toBe(200);
  });

  it('the search page links to exports under its filters: public fields for visitors, every field for editors', async () => {
    const visitor = new WebClient(ctx);
    const page = await visitor.get('/search?q=gasifier&country=IN&kind=offer');
    expect(page.body).toContain('href="/search/export.csv?country=IN&amp;kind=offer"');
    expect(page.body).toContain('href="/search/export.xlsx?country=IN&amp;kind=offer"');
    const exported = await visitor.get('/search/export.csv?country=IN&kind=offer');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="listings-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(exported.body).toContain('Rice-husk gasifier for village power');
    // The same file as the API's for the same visitor.
    expect(exported.body).toBe((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv?country=IN&kind=offer' })).body);
    const json = await visitor.get('/search/export.json?country=IN&kind=offer');
    expect(JSON.parse(json.body).items.map((item: { title: string }) => item.title)).toContain('Rice-husk gasifier for village power');
    expect((await visitor.get('/search/export.pdf')).statusCode).toBe(404);
    expect((await visitor.get('/search/export.csv?trlMin=12')).statusCode).toBe(400);

    const staff = await WebClient.signedIn(ctx, editor);
    expect((await staff.get('/search?country=IN')).body).toContain('with every field, as an editor sees it');
    const full = await staff.get('/search/export.csv?country=IN&kind=offer');
    expect(full.body).toBe((await ctx.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv?country=IN&kind=offer', headers: editor.auth })).body);
    expect(full.body).not.toBe(exported.body);
  });

  it('a dry run left unconfirmed expires: it can no longer be imported, and the clean-up deletes it', async () => {
    const web = await WebClient.signedIn(ctx, editor);
    await web.get('/my/import');
    const uploaded = await web.upload('/my/import', { asStatus: 'draft' }, { file: { name: 'late.csv', content: `${HEADER}\n${offerRow('LATE-1', 'Late water filter')}\n`, type: 'text/csv' } });
    const location = uploaded.headers.location as string;
    ctx.clock.advanceMs(25 * 3_600_000);
    // A day later: a new session, and the report still there until the clean-up runs.
    const later = await WebClient.signedIn(ctx, editor);
    expect((await later.get(location)).statusCode).toBe(200);
    const late = await later.post(`${location}/confirm`);
    expect(late.statusCode).toBe(409);
    expect(text(late.body)).toContain('This dry run has expired: upload the file again');
    const purged = await ctx.app.services.imports.purgeExpired();
    expect(purged.dryRuns).toBeGreaterThanOrEqual(1);
    expect((await later.get(location)).statusCode).toBe(404);
  });
});
