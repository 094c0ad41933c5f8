import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let source: TestContext;
let target: TestContext;
let editor: TestUser;
let targetEditor: TestUser;

beforeAll(async () => {
  source = await createTestApp();
  target = await createTestApp();
  editor = await createUser(source, { role: 'editor' });
  targetEditor = await createUser(target, { role: 'editor' });
  const owner = await createUser(source, { country: 'TH' });
  await publishListing(source, owner, editor, offerBody({ title: 'Solar cold room, "quoted"; with separators', keywords: ['cold storage', 'solar'] }));
  await publishListing(source, owner, editor, requestBody({ description: 'Line one.\nLine two, with a comma; and a semicolon.' }));
  await publishListing(source, owner, editor, offerBody({ title: 'Anonymous biochar kiln', anonymous: true, iprNotes: 'TH patent 999' }));
});
afterAll(async () => {
  await source.close();
  await target.close();
});

const CONTENT = ['kind', 'title', 'summary', 'description', 'advantages', 'specificationSought', 'sectors', 'keywords', 'stage', 'trl', 'iprStatus', 'iprNotes', 'partnershipTypes', 'targetCountries', 'sdgs', 'anonymous', 'organizationName', 'organizationCountry', 'organizationType', 'organizationSize', 'organizationWebsite'];
const contentOf = (csv: string) =>
  (parse(csv, { bom: true, columns: true }) as Record<string, string>[])
    .map((record) => Object.fromEntries(CONTENT.map((column) => [column, record[column]])))
    .sort((a, b) => a.title!.localeCompare(b.title!));

async function importInto(ctx: TestContext, user: TestUser, body: Buffer | string, contentType: string) {
  const dry = await ctx.app.inject({ method: 'POST', url: '/api/v1/imports?asStatus=published', headers: { ...user.auth, 'content-type': contentType }, payload: body });
  expect(dry.statusCode).toBe(201);
  expect(dry.json().report.errors).toEqual([]);
  await ctx.app.inject({ method: 'POST', url: `/api/v1/imports/${dry.json().id}/confirm`, headers: user.auth });
  await ctx.app.services.jobs.drain();
  return (await ctx.app.inject({ method: 'GET', url: `/api/v1/imports/${dry.json().id}`, headers: user.auth })).json();
}

describe('export', () => {
  it('CSV export → import → export gives the same listings', async () => {
    const exported = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv', headers: editor.auth });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="listings-2026-03-02.csv"/);
    const done = await importInto(target, targetEditor, exported.rawPayload, 'text/csv');
    expect(done.result.created).toBe(3);
    const again = await target.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv', headers: targetEditor.auth });
    expect(contentOf(again.body)).toEqual(contentOf(exported.body));
    expect(contentOf(again.body)).toHaveLength(3);
    // Importing the export again changes nothing: the references key the rows.
    const rerun = await importInto(target, targetEditor, again.rawPayload, 'text/csv');
    expect(rerun.result).toMatchObject({ created: 0, unchanged: 3 });
  });

  it('XLSX and JSON exports import back too (the JSON keeps lists and nesting)', async () => {
    const xlsx = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.xlsx?kind=offer', headers: editor.auth });
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.rowCount).toBe(3);
    const json = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.json?kind=request', headers: editor.auth });
    expect(json.json().total).toBe(1);
    expect(json.json().items[0].sectors).toEqual(['ocean_economy', 'agriculture_food']);
    const fresh = await createTestApp();
    try {
      const freshEditor = await createUser(fresh, { role: 'editor' });
      expect((await importInto(fresh, freshEditor, xlsx.rawPayload, XLSX)).result.created).toBe(2);
      expect((await importInto(fresh, freshEditor, json.rawPayload, 'application/json')).result.created).toBe(1);
      const back = await fresh.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv', headers: freshEditor.auth });
      const original = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv', headers: editor.auth });
      expect(contentOf(back.body)).toEqual(contentOf(original.body));
    } finally {
      await fresh.close();
    }
  });

  it('the public export holds live listings only, without anonymous owners', async () => {
    const owner = await createUser(source);
    const draft = await source.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody({ title: 'Draft not for export' }) });
    expect(draft.statusCode).toBe(201);
    const exported = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv' });
    const records = parse(exported.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((record) => record.title).sort()).toEqual(['Anonymous biochar kiln', 'Low-cost fish drying without diesel', 'Solar cold room, "quoted"; with separators']);
    const anonymous = records.find((record) => record.title === 'Anonymous biochar kiln')!;
    expect(anonymous).toMatchObject({ organizationName: '', organizationWebsite: '', iprNotes: '', organizationCountry: 'TH', externalRef: '' });
    const named = records.find((record) => record.title?.startsWith('Solar'))!;
    expect(named.organizationName).toMatch(/^Org /);
    const json = await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.json' });
    const hidden = json.json().items.find((item: any) => item.anonymous);
    expect(hidden.organization).toBeNull();
    expect(hidden).not.toHaveProperty('contact');
    // Statuses other than published need the right to see them.
    expect((await source.app.inject({ method: 'GET', url: '/api/v1/listings/export.csv?status=draft' })).statusCode).toBe(403);
  });
});
