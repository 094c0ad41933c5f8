import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, publishListing, offerBody, type TestUser } from './helpers/factories.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let ctx: TestContext;
let admin: TestUser;
let editor: TestUser;

beforeAll(async () => {
  // Batches of two rows, so a test can make one batch fail and see the next one written.
  ctx = await createTestApp({ IMPORT_BATCH_SIZE: '2' });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(() => ctx.close());

async function upload(user: TestUser, body: Buffer | string, contentType: string, query = '') {
  return ctx.app.inject({ method: 'POST', url: `/api/v1/imports${query}`, headers: { ...user.auth, 'content-type': contentType }, payload: body });
}

async function confirmAndFinish(user: TestUser, id: string) {
  const confirmed = await ctx.app.inject({ method: 'POST', url: `/api/v1/imports/${id}/confirm`, headers: user.auth });
  expect(confirmed.statusCode).toBe(202);
  expect(confirmed.json().status).toBe('queued');
  await ctx.app.services.jobs.drain();
  const finished = await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: user.auth });
  return finished.json();
}

async function listingsWhere(user: TestUser, query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings?limit=100&${query}`, headers: user.auth });
  return response.json().items as Record<string, any>[];
}

describe('import from CSV: Windows-1252, semicolons, merged headers, empty and repeated rows', () => {
  let reportBody: Record<string, any>;

  it('dry run reads the encoding and separator, maps headers and values, and writes nothing', async () => {
    const response = await upload(editor, fixture('latin1-semicolon.csv'), 'text/csv', '?fileName=latin1-semicolon.csv');
    expect(response.statusCode).toBe(201);
    reportBody = response.json();
    const { report } = reportBody;
    expect(reportBody.status).toBe('dry_run');
    expect(report.encoding).toBe('windows-1252');
    expect(report.delimiter).toBe(';');
    expect(report.columns).toContainEqual({ header: 'Title / Name', field: 'title', guessed: true });
    expect(report.columns).toContainEqual({ header: 'Offer/Request', field: 'kind', guessed: false });
    // The file starts with a blank line, so its header is spreadsheet row 2.
    expect(report.emptyRows).toEqual([4, 8]);
    expect(report.duplicatesInFile).toEqual([{ row: 6, sameAsRow: 3, externalRef: 'LAT-001' }]);
    expect(report.counts).toMatchObject({ rows: 4, valid: 3, errors: 0, duplicatesInFile: 1, create: 3, update: 0 });
    const guess = (column: string, value: string) => report.guessed.find((g: any) => g.column === column && g.value === value)?.mappedTo;
    expect(guess('Focus area', 'Solar energy')).toBe('renewable_energy');
    expect(guess('Target markets', 'Vietnam')).toBe('VN');
    expect(guess('Target markets', 'Laos')).toBe('LA');
    expect(guess('IP status', 'patent pending')).toBe('ipr_applied');
    expect(guess('Type of partnership', 'JV')).toBe('joint_venture');
    expect(guess('Stage of development', 'idea')).toBe('concept');
    expect(guess('TRL', '')).toBe('2 (typical of stage concept)');
    expect(guess('TRL', 'TRL 6')).toBe('6');
    expect(report.organizations.map((o: any) => [o.name, o.country, o.action])).toEqual(
      expect.arrayContaining([
        ['Café Énergie SARL', 'VN', 'create'],
        ['Coopérative Côtière', 'LK', 'create'],
        ['Université de Hué', 'VN', 'create'],
      ]),
    );
    expect(await listingsWhere(editor, 'status=draft,submitted,published')).toHaveLength(0);
  });

  it('confirm writes the rows through the queue; the text keeps its accents', async () => {
    const done = await confirmAndFinish(editor, reportBody.id);
    expect(done.status).toBe('completed');
    expect(done.processedRows).toBe(3);
    expect(done.result).toMatchObject({ created: 3, updated: 0, unchanged: 0, failedRows: 0, organizationsCreated: 3 });
    const items = await listingsWhere(editor, 'status=submitted');
    // Editors do not see drafts; import as draft leaves them to the owners (the admin sees them).
    expect(items).toHaveLength(0);
    const drafts = await listingsWhere(admin, 'status=draft');
    const dryer = drafts.find((item) => item.externalRef === 'LAT-001')!;
    expect(dryer.title).toBe('Séchoir solaire pour café');
    expect(dryer.organization.name).toBe('Café Énergie SARL');
    expect(dryer.sectors).toEqual(['renewable_energy', 'agriculture_food']);
    expect(dryer.targetCountries).toEqual(['VN', 'LA']);
    expect(dryer.partnershipTypes).toEqual(['licence', 'joint_venture']);
    expect(dryer.trl).toBe(6);
    expect(dryer.iprStatus).toBe('ipr_applied');
    expect(dryer.reference).toMatch(/^TO-VN-2026-\d{5}$/);
  });

  it('running the same file again updates by reference instead of duplicating', async () => {
    const again = await upload(editor, fixture('latin1-semicolon.csv'), 'text/csv', '?fileName=latin1-semicolon.csv');
    expect(again.json().report.counts).toMatchObject({ create: 0, update: 3 });
    expect(again.json().report.organizations.every((o: any) => o.action === 'match')).toBe(true);
    const done = await confirmAndFinish(editor, again.json().id);
    expect(done.result).toMatchObject({ created: 0, updated: 0, unchanged: 3, organizationsCreated: 0 });
    expect(await listingsWhere(admin, 'status=draft')).toHaveLength(3);
  });
});

describe('import from CSV with a BOM: errors name row, column and problem', () => {
  it('reports each bad row and imports the good ones as published', async () => {
    const response = await upload(editor, fixture('bom-comma.csv'), 'text/csv', '?asStatus=published&fileName=bom.csv');
    expect(response.statusCode).toBe(201);
    const { report, id } = response.json();
    expect(report.encoding).toBe('UTF-8 (BOM)');
    expect(report.delimiter).toBe(',');
    expect(report.columns[0]).toEqual({ header: 'External reference', field: 'externalRef', guessed: false });
    expect(report.errors).toEqual(
      expect.arrayContaining([
        { row: 3, column: 'Sectors', field: 'sectors', message: '"Astrology" is not a known sector' },
        { row: 3, column: 'TRL', field: 'trl', message: '"twelve" is not a known TRL (1 to 9)' },
        { row: 5, column: 'Technology title (max 200 characters)', field: 'title', message: 'must not be empty' },
      ]),
    );
    expect(report.unmapped).toContainEqual({ column: 'Target countries', value: 'Atlantis', mappedTo: null, count: 1, rows: [2] });
    expect(report.counts).toMatchObject({ rows: 4, valid: 2, errors: 2 });
    const done = await confirmAndFinish(editor, id);
    expect(done.result).toMatchObject({ created: 2, failedRows: 0 });
    const live = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?country=IN' });
    const titles = live.json().items.map((item: any) => item.title);
    expect(titles.sort()).toEqual(['Cold chain monitoring for vaccines', 'Rice-husk gasifier for village power']);
    const gasifier = live.json().items.find((item: any) => item.title.startsWith('Rice'));
    expect(gasifier.description).toBe('The gasifier feeds a gas engine; the char left over is sold as a soil improver.\nIt runs 20 hours a day.');
    expect(gasifier.sectors).toEqual(['bio_energy', 'agriculture_food']);
  });
});

describe('import from JSON and XLSX', () => {
  it('reads JSON items with nested organisations, skipping empty items', async () => {
    const response = await upload(editor, fixture('listings.json'), 'application/json', '?fileName=listings.json');
    expect(response.statusCode).toBe(201);
    const { report, id } = response.json();
    expect(report.format).toBe('json');
    expect(report.emptyRows).toEqual([3]);
    expect(report.errors).toEqual([]);
    expect(report.guessed).toContainEqual({ column: 'trl', value: 'TRL 2', mappedTo: '2', count: 1, rows: [2] });
    const done = await confirmAndFinish(editor, id);
    expect(done.result.created).toBe(2);
    const drafts = await listingsWhere(admin, 'status=draft&country=ID');
    expect(drafts.map((item) => [item.externalRef, item.anonymous, item.organization.type])).toEqual([['J-1', true, 'rnd_institution']]);
  });

  it('reads an XLSX workbook (multipart upload)', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Profiles');
    sheet.addRow(['Reference', 'Type of listing', 'Title', 'Summary', 'Description', 'Advantages', 'Sector', 'Stage', 'TRL', 'IPR', 'Partnership', 'Organisation', 'Country', 'Org type']);
    sheet.addRow(['X-1', 'Offer', 'Biochar kiln for coconut shells', 'A low-smoke kiln turning coconut shells into biochar.', 'Retort kiln with flue-gas recirculation.', 'Half the smoke of pit kilns.', 'Circular economy', 'On the market', 8, 'Know-how', 'Licence', 'Coco Char Co', 'Philippines', 'SME']);
    sheet.addRow([]);
    sheet.addRow(['X-2', 'Offer', 'Solar ice maker', 'Makes ice for fishers with solar power.', 'Off-grid ice maker, 200 kg a day.', 'No diesel.', 'Ocean', 'Prototype', 5, 'none', 'Technical cooperation', 'Coco Char Co', 'Philippines', 'SME']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const boundary = '----ttmboundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="profiles.xlsx"\r\nContent-Type: ${XLSX}\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await upload(editor, body, `multipart/form-data; boundary=${boundary}`);
    expect(response.statusCode).toBe(201);
    const { report, fileName, id } = response.json();
    expect(fileName).toBe('profiles.xlsx');
    expect(report.format).toBe('xlsx');
    expect(report.emptyRows).toEqual([3]);
    expect(report.errors).toEqual([]);
    expect(report.guessed).toContainEqual({ column: 'IPR', value: 'Know-how', mappedTo: 'secret_know_how', count: 1, rows: [2] });
    const done = await confirmAndFinish(editor, id);
    expect(done.result.created).toBe(2);
    const drafts = await listingsWhere(admin, 'status=draft&country=PH');
    expect(drafts.map((item) => [item.externalRef, item.stage, item.trl]).sort()).toEqual([
      ['X-1', 'on_the_market', 8],
      ['X-2', 'under_development', 5],
    ]);
  });
});

describe('a failed batch leaves no rows behind', () => {
  it('rolls back the whole batch (a new organisation included) and writes the others', async () => {
    const csv = (rows: string[][]) => ['ref,kind,title,summary,description,advantages,sectors,stage,trl,ipr,partnership,organisation,country', ...rows.map((r) => r.join(','))].join('\n');
    const row = (ref: string, title: string, summary: string, org = 'Batch Org') => [ref, 'offer', title, summary, 'A description long enough.', 'Better.', 'water', 'lab tested', '4', 'none', 'licence', org, 'TH'];
    const first = await upload(admin, csv([row('B-1', 'Filter one', 'First summary'), row('B-2', 'Filter two', 'Second summary')]), 'text/csv');
    await confirmAndFinish(admin, first.json().id);
    const [two] = (await listingsWhere(admin, 'status=draft')).filter((item) => item.externalRef === 'B-2');
    // B-2 goes to review: an import can no longer edit it.
    const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${two!.id}/submit`, headers: admin.auth, payload: {} });
    expect(submitted.statusCode).toBe(200);

    const second = await upload(
      admin,
      csv([
        row('B-9', 'Ghost filter', 'Would be new', 'Ghost Org'),
        row('B-2', 'Filter two', 'Second summary changed'),
        row('B-1', 'Filter one', 'First summary changed'),
      ]),
      'text/csv',
    );
    expect(second.json().report.organizations).toContainEqual({ name: 'Ghost Org', country: 'TH', action: 'create', organizationId: null, rows: 1 });
    const done = await confirmAndFinish(admin, second.json().id);
    expect(done.status).toBe('completed_with_errors');
    expect(done.result.batches).toEqual([
      { firstRow: 2, lastRow: 3, ok: false, error: { row: 3, column: null, field: null, message: expect.stringMatching(/is submitted and cannot be edited/) } },
      { firstRow: 4, lastRow: 4, ok: true, error: null },
    ]);
    expect(done.result).toMatchObject({ created: 0, updated: 1, failedRows: 2, organizationsCreated: 0 });
    const all = await listingsWhere(admin, 'status=draft,submitted');
    expect(all.find((item) => item.externalRef === 'B-9')).toBeUndefined();
    expect(all.find((item) => item.externalRef === 'B-2')!.summary).toBe('Second summary');
    expect(all.find((item) => item.externalRef === 'B-1')!.summary).toBe('First summary changed');
    const ghosts = await ctx.app.inject({ method: 'GET', url: '/api/v1/organizations?q=Ghost', headers: admin.auth });
    expect(ghosts.json().total).toBe(0);
  });
});

describe('who may import', () => {
  it('intermediaries import for their clients only, never as published; members not at all', async () => {
    const intermediary = await createUser(ctx, { role: 'intermediary', withOrganization: true });
    const clientResponse = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: intermediary.auth,
      payload: { name: 'Client Seeds Ltd', type: 'sme', country: 'KH' },
    });
    expect(clientResponse.statusCode).toBe(201);
    const csv = [
      'ref,kind,title,summary,description,advantages,sectors,stage,trl,ipr,partnership,organisation,country',
      'C-1,offer,Seed dryer,A seed dryer.,Dries seeds with biomass heat.,Cheap.,agriculture,lab tested,4,none,licence,client seeds ltd,Cambodia',
      'C-2,offer,Other dryer,Another dryer.,Dries more seeds.,Cheaper.,agriculture,lab tested,4,none,licence,Stranger Co,Cambodia',
    ].join('\n');
    const published = await upload(intermediary, csv, 'text/csv', '?asStatus=published');
    expect(published.statusCode).toBe(403);
    const response = await upload(intermediary, csv, 'text/csv', '?asStatus=submitted');
    expect(response.statusCode).toBe(201);
    expect(response.json().report.errors).toEqual([
      { row: 3, column: null, field: 'organizationName', message: '"Stranger Co" (KH) is not your organisation or a client you represent' },
    ]);
    const done = await confirmAndFinish(intermediary, response.json().id);
    expect(done.result.created).toBe(1);
    const mine = await listingsWhere(intermediary, 'mine=true');
    expect(mine.map((item) => [item.title, item.status, item.organization.name])).toEqual([['Seed dryer', 'submitted', 'Client Seeds Ltd']]);

    const member = await createUser(ctx);
    expect((await upload(member, csv, 'text/csv')).statusCode).toBe(403);
    // Another user's import is not found, not forbidden.
    expect((await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${response.json().id}`, headers: editor.auth })).statusCode).toBe(404);
  });

  it('reports likely duplicates of existing listings by title', async () => {
    const owner = await createUser(ctx);
    await publishListing(ctx, owner, editor, offerBody({ title: 'Solar powered cold room for smallholder farmers' }));
    const csv = [
      'ref,kind,title,summary,description,advantages,sectors,stage,trl,ipr,partnership,organisation,country',
      'D-1,offer,Solar-powered cold rooms for smallholder farmers,Cold room.,A solar cold room.,No diesel.,agriculture,on the market,9,none,licence,Dup Org,TH',
    ].join('\n');
    const response = await upload(editor, csv, 'text/csv');
    expect(response.json().report.likelyDuplicates).toEqual([
      expect.objectContaining({ row: 2, title: 'Solar-powered cold rooms for smallholder farmers', existingTitle: 'Solar powered cold room for smallholder farmers' }),
    ]);
  });
});

describe('templates', () => {
  it('serves CSV and XLSX templates that import cleanly', async () => {
    const csv = await ctx.app.inject({ method: 'GET', url: '/api/v1/imports/template.csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body).toContain('externalRef,kind,title,summary');
    const checked = await upload(editor, csv.rawPayload, 'text/csv');
    expect(checked.json().report.errors).toEqual([]);
    expect(checked.json().report.counts.valid).toBe(1);

    const xlsx = await ctx.app.inject({ method: 'GET', url: '/api/v1/imports/template.xlsx' });
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).getCell(3).value).toBe('title');
    const checkedXlsx = await upload(editor, xlsx.rawPayload, XLSX);
    expect(checkedXlsx.json().report.errors).toEqual([]);
    expect(checkedXlsx.json().report.counts.valid).toBe(1);
  });
});
