import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { withScratchApp, type ScratchTarget } from '../scratch-database.js';
import { generateDemoData } from '../demo-data/generator.js';
import { countryName } from '../../modules/vocabularies/countries.js';
import { labelOf, SECTORS, STAGES } from '../../modules/vocabularies/enums.js';
import { recordsToCsv, TEMPLATE_COLUMNS, type ListingRecord } from '../../modules/imports/listing-records.js';

// `npm run bench -- import [--rows N] [--as-status draft|published] [--targets pglite,server]`
//
// Builds a CSV of N listings (the demo generator's text, 1 organisation per 5 listings, sectors and
// stages written as labels and countries as names, so every value goes through the vocabulary
// mapping), then times on a fresh database: the dry run (parse, map, match organisations, look
// for duplicates by title), the confirmed import (batches of IMPORT_BATCH_SIZE in transactions,
// every listing through the same listeners as an API write), the work it left to the job queue
// (search index, matching's text analysis, alerts: what the worker does next), and the same file
// again (every row unchanged).


function buildCsv(rows: number) {
  const { organizations, listings } = generateDemoData({ listings: rows });
  const records: ListingRecord[] = listings.map((listing, index) => {
    const organization = organizations[listing.organizationIndex]!;
    return {
      externalRef: `BENCH-${String(index).padStart(6, '0')}`,
      reference: '',
      kind: listing.kind,
      status: '',
      title: listing.title,
      summary: listing.summary,
      description: listing.description,
      advantages: listing.advantages ?? '',
      specificationSought: listing.specificationSought ?? '',
      sectors: listing.sectors.map((code) => labelOf(SECTORS, code)).join('; '),
      keywords: listing.keywords.join('; '),
      stage: labelOf(STAGES, listing.stage),
      trl: String(listing.trl),
      iprStatus: listing.iprStatus,
      iprNotes: listing.iprNotes ?? '',
      partnershipTypes: listing.partnershipTypes.join('; '),
      targetCountries: listing.targetCountries.map((code) => countryName(code) ?? code).join('; '),
      sdgs: listing.sdgs.join('; '),
      anonymous: listing.anonymous ? 'yes' : 'no',
      organizationName: organization.name,
      organizationCountry: countryName(organization.country) ?? organization.country,
      organizationType: organization.type,
      organizationSize: organization.size ?? '',
      organizationWebsite: organization.website ?? '',
      publishedAt: '',
      expiresAt: '',
      updatedAt: '',
    };
  });
  return Buffer.from(recordsToCsv(records, TEMPLATE_COLUMNS));
}

export async function runImportBench(argv: string[]) {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const rows = Number(value('rows') ?? 10_000);
  const asStatus = (value('as-status') ?? 'published') as 'draft' | 'published';
  const targets = (value('targets') ?? 'pglite').split(',') as ScratchTarget[];
  const csv = buildCsv(rows);
  process.stdout.write(`CSV of ${rows} listings: ${(csv.length / 1_048_576).toFixed(1)} MB\n`);
  for (const target of targets) {
    await withScratchApp(target, {}, async (app) => {
      const admin = await app.database.db.transaction((tx) =>
        app.services.users.createUser(tx, { email: 'bench-admin@example.org', name: 'Bench', password: 'bench-password-0000', role: 'admin', organizationId: null, verified: true }),
      );
      const actor = (await app.services.users.loadActor(admin.id))!;
      // Wall time and the process's CPU time: on a shared machine the wall time mostly measures the
      // neighbours, the CPU time what this code costs (PGlite runs in this process, so it counts too).
      const time = async <T>(run: () => Promise<T>) => {
        const start = performance.now();
        const cpuStart = process.cpuUsage();
        const result = await run();
        const cpu = process.cpuUsage(cpuStart);
        return { result, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
      };
      const dry = await time(() => app.services.imports.dryRun(actor, { bytes: csv, fileName: 'bench.csv' }, { asStatus }));
      const report = dry.result.report;
      const write = await time(() => app.services.imports.confirmAndRun(actor, dry.result.id));
      // What the import left to the job queue (the search index, matching's text analysis, alerts),
      // run here as the worker would after it.
      const queued = await time(() => app.services.jobs.drain(10_000));
      const again = await time(async () => {
        const view = await app.services.imports.dryRun(actor, { bytes: csv, fileName: 'bench.csv' }, { asStatus });
        return app.services.imports.confirmAndRun(actor, view.id);
      });
      const line = (label: string, timed: { seconds: number; cpuSeconds: number }) =>
        `  ${label.padEnd(34)} ${timed.seconds.toFixed(1).padStart(6)} s  ${Math.round(rows / timed.seconds).toString().padStart(6)} rows/s  (CPU ${timed.cpuSeconds.toFixed(1)} s)`;
      process.stdout.write(
        [
          `${target}: ${rows} rows (load average ${os.loadavg()[0]!.toFixed(1)} at the end) as ${asStatus}; valid ${report.counts.valid}, errors ${report.counts.errors}, ${report.organizations.length} organisations, ${report.guessed.length} guessed values`,
          line('dry run (parse, map, check)', dry),
          line(`confirmed import (${write.result.result?.created} created)`, write),
          line(`queued work after it (${queued.result} jobs)`, queued),
          line(`same file again, dry run + import (${again.result.result?.unchanged} unchanged)`, again),
        ].join('\n') + '\n',
      );
    });
  }
}
