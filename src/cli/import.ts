import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { AppError } from '../lib/errors.js';
import type { toImportView } from '../modules/imports/imports.service.js';
import { fail, withCliApp } from './cli-app.js';

// `npm run import -- FILE [--dry-run] [--as-status draft|submitted|published] [--org ORGANIZATION_ID]
// [--as EMAIL] [--json]`: imports listings from a CSV, XLSX or JSON file, as the account --as names
// (an editor, admin or intermediary; by default the oldest admin). The report comes first; without
// --dry-run the rows are then written in batches with a progress bar. On the embedded database,
// stop the service first: PGlite is one process's database.
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'as-status': { type: 'string', default: 'draft' },
    org: { type: 'string' },
    as: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const path = positionals[0];
if (!path) fail('Usage: npm run import -- FILE [--dry-run] [--as-status draft|submitted|published] [--org ORGANIZATION_ID] [--as EMAIL] [--json]');
const asStatus = values['as-status'];
if (asStatus !== 'draft' && asStatus !== 'submitted' && asStatus !== 'published') fail('--as-status must be draft, submitted or published');
let bytes: Buffer;
try {
  bytes = readFileSync(path);
} catch (error) {
  fail(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
}

type ImportView = Awaited<ReturnType<typeof toImportView>>;

function printReport(view: ImportView) {
  const { report } = view;
  const out: string[] = [];
  out.push(`${view.fileName}: ${report.format.toUpperCase()}${report.encoding ? `, ${report.encoding}` : ''}${report.delimiter ? `, separator "${report.delimiter === '\t' ? 'tab' : report.delimiter}"` : ''}`);
  out.push(`Columns: ${report.columns.map((c) => (c.field ? `${c.header} → ${c.field}${c.guessed ? ' (guessed)' : ''}` : `${c.header} (ignored)`)).join('; ')}`);
  const c = report.counts;
  out.push(`Rows: ${c.rows}; valid ${c.valid} (create ${c.create}, update ${c.update}); with errors ${c.errors}; duplicates in the file ${c.duplicatesInFile}; empty ${report.emptyRows.length}`);
  for (const org of report.organizations) out.push(`Organisation ${org.name} (${org.country}): ${org.action}, ${org.rows} rows`);
  for (const error of report.errors) out.push(`Row ${error.row}${error.column ? `, column "${error.column}"` : ''}: ${error.message}`);
  for (const note of report.guessed) out.push(`Guessed: ${note.column} "${note.value}" → ${note.mappedTo} (${note.count} rows: ${note.rows.join(', ')}${note.count > note.rows.length ? ', …' : ''})`);
  for (const note of report.unmapped) out.push(`Not mapped: ${note.column} "${note.value}"${note.mappedTo ? ` (${note.mappedTo})` : ''} (${note.count} rows: ${note.rows.join(', ')})`);
  for (const dup of report.duplicatesInFile) out.push(`Row ${dup.row} repeats row ${dup.sameAsRow}: skipped`);
  for (const dup of report.likelyDuplicates) out.push(`Row ${dup.row} "${dup.title}" looks like ${dup.existingReference} "${dup.existingTitle}" (similarity ${dup.similarity})`);
  process.stdout.write(`${out.join('\n')}\n`);
}

await withCliApp(async (app) => {
  const { users, imports } = app.services;
  const actor = values.as
    ? await users.actorByEmail(values.as)
    : await (async () => {
        const [admin] = (await users.list({ role: 'admin' }, 1, 0)).items;
        return admin ? users.loadActor(admin.id) : null;
      })();
  if (!actor) fail(values.as ? `No active account ${values.as}` : 'No admin account: create one with npm run create-admin, or name an account with --as');
  try {
    const view = await imports.dryRun(actor, { bytes, fileName: basename(path) }, { asStatus, organizationId: values.org });
    if (values.json && values['dry-run']) process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
    else printReport(view);
    if (values['dry-run']) {
      process.stdout.write('Dry run: nothing was written.\n');
      return;
    }
    const bar = new SingleBar({ format: 'Importing |{bar}| {percentage}% | {value}/{total} rows | ETA {eta_formatted}', hideCursor: true }, Presets.shades_classic);
    bar.start(view.totalRows, 0);
    const done = await imports.confirmAndRun(actor, view.id, (processed) => bar.update(processed));
    bar.stop();
    if (values.json) process.stdout.write(`${JSON.stringify(done, null, 2)}\n`);
    const result = done.result!;
    for (const batch of result.batches.filter((b) => !b.ok)) {
      process.stdout.write(`Rows ${batch.firstRow}–${batch.lastRow} were not imported: row ${batch.error?.row}${batch.error?.column ? `, column "${batch.error.column}"` : ''}: ${batch.error?.message}\n`);
    }
    process.stdout.write(
      `Import ${done.status}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged, ${result.failedRows} in failed batches; ${result.organizationsCreated} organisations created.\n`,
    );
    if (result.failedRows) process.exitCode = 2;
  } catch (error) {
    if (error instanceof AppError) fail(`${error.message}${error.issues ? `\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}` : ''}`);
    throw error;
  }
});
