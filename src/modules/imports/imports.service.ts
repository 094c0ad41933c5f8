import type { FastifyBaseLogger } from 'fastify';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import { safeErrorMessage } from '../../lib/log-safety.js';
import type { Actor } from '../../plugins/auth.js';
import type { Job, JobQueue, QueueDefinition } from '../jobs/job-queue.js';
import { ImportItemError, type ListingService } from '../listings/listings.service.js';
import type { OrganizationRow, OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import type { OrganizationSize, OrganizationType } from '../vocabularies/enums.js';
import { parseImportFile } from './import-file.js';
import { emptyReport, mapFile } from './import-rows.js';
import * as repo from './imports.repository.js';
import type { ImportReport, ImportResult, ImportRow, RowIssue } from './imports.schemas.js';
import { IMPORT_FIELDS, type ImportField } from './listing-columns.js';

export const IMPORTS_QUEUE = 'imports';

type ImportStatus = 'draft' | 'submitted' | 'published';

export interface ImportServiceDeps {
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  jobs: JobQueue;
  listings: ListingService;
  organizations: OrganizationService;
  users: UserService;
  /** Rows written per transaction. */
  batchSize: number;
}

/** The stored rows: as the dry run checked them. */
interface StoredRows {
  rows: ImportRow[];
}

const orgKey = (name: string, country: string) => `${name.trim().toLowerCase()}\u0000${country}`;
const rowOrgKey = (row: ImportRow) => orgKey(row.organization!.name, row.organization!.country);
const DUPLICATE_SIMILARITY = 0.6;
/** How long a dry run may be confirmed; after that its stored rows are deleted and the file must be sent again. */
export const DRY_RUN_TTL_MS = 24 * 3_600_000;
const SIMILARITY_CHUNK = 1000;

/** Who imports listings (for themselves, their clients, or anyone: editors); members do not. */
export const mayImport = (role: string) => role === 'admin' || role === 'editor' || role === 'intermediary';

/** A row's failure, with the row and column it happened at, that rolls its batch back. */
class RowFailure extends Error {
  constructor(
    readonly issue: RowIssue,
    cause: unknown,
  ) {
    super(issue.message, { cause });
  }
}

/**
 * Bulk imports of listings and their organisations. A dry run parses and checks the file and
 * stores a report and the rows it would write; confirming queues the import, which writes the rows
 * in batches, each batch in one transaction.
 */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Editors, admins and intermediaries import; members are refused (the pages ask before showing the form). */
  checkMayImport(actor: Actor) {
    if (!mayImport(actor.role)) throw new Forbidden('Only editors and intermediaries import listings');
  }

  /** The organisations an intermediary may import for (its own and its clients'); null: any (editors). */
  async organizationsFor(actor: Actor) {
    this.checkMayImport(actor);
    if (actor.role === 'admin' || actor.role === 'editor') return null;
    return this.deps.organizations.findMany(await this.deps.users.organizationsActedFor(actor));
  }

  /** The actor's latest imports, newest first (without their rows). */
  async recent(actor: Actor, limit = 10) {
    this.checkMayImport(actor);
    return (await repo.importsOf(this.db, actor.id, limit)).map(toImportView);
  }

  /** The scheduled clean-up: unconfirmed dry runs past their time, and the stored rows of finished imports. */
  async purgeExpired() {
    const before = new Date(this.deps.clock.now().getTime() - DRY_RUN_TTL_MS);
    return { dryRuns: await repo.deleteDryRunsBefore(this.db, before), emptied: await repo.dropRowsOfFinishedBefore(this.db, before) };
  }

  async dryRun(
    actor: Actor,
    file: { bytes: Buffer; fileName: string; contentType?: string },
    options: { asStatus: ImportStatus; organizationId?: string },
  ) {
    this.checkMayImport(actor);
    const privileged = actor.role === 'admin' || actor.role === 'editor';
    if (options.asStatus === 'published' && !privileged) throw new Forbidden('Only editors import listings as published');
    if (options.organizationId) {
      if (!(await this.deps.organizations.find(options.organizationId))) throw invalidField('organizationId', 'names no organisation');
      if (!privileged && !(await this.deps.users.actsFor(actor, options.organizationId))) {
        throw new Forbidden('You may import only for your organisation or clients you represent');
      }
    }
    const parsed = await parseImportFile(file.bytes, file.fileName, file.contentType);
    const mapped = mapFile(parsed);
    const base = emptyReport(parsed, mapped);
    const errors = [...base.errors];

    const resolution = await this.resolveOrganizations(actor, mapped.rows, options.organizationId ?? null);
    errors.push(...resolution.errors);
    const rows = mapped.rows.filter((row) => !resolution.failedRows.has(row.row));

    const orgIdOfRow = (row: ImportRow) => resolution.organizationIdOf(row);
    const known = await this.deps.listings.existingExternalRefs(
      [...new Set(rows.map(orgIdOfRow).filter((id): id is string => id !== null))],
      rows.map((row) => row.externalRef),
    );
    const existing = new Set(known.map((entry) => `${entry.organizationId}\u0000${entry.externalRef}`));
    const isUpdate = (row: ImportRow) => {
      const organizationId = orgIdOfRow(row);
      return organizationId !== null && existing.has(`${organizationId}\u0000${row.externalRef}`);
    };
    const creations = rows.filter((row) => !isUpdate(row));
    const likelyDuplicates: ImportReport['likelyDuplicates'] = [];
    for (let start = 0; start < creations.length; start += SIMILARITY_CHUNK) {
      const chunk = creations.slice(start, start + SIMILARITY_CHUNK);
      for (const match of await this.deps.listings.similarTitles(chunk.map((row) => row.content.title), DUPLICATE_SIMILARITY)) {
        const row = chunk[match.index]!;
        likelyDuplicates.push({ row: row.row, title: row.content.title, existingId: match.id, existingReference: match.reference, existingTitle: match.title, similarity: Math.round(match.similarity * 100) / 100 });
      }
    }
    errors.sort((a, b) => a.row - b.row);
    const report: ImportReport = {
      ...base,
      errors,
      likelyDuplicates,
      organizations: resolution.summary,
      counts: {
        rows: parsed.rows.length,
        valid: rows.length,
        errors: new Set(errors.map((error) => error.row)).size,
        duplicatesInFile: mapped.duplicatesInFile.length,
        create: creations.length,
        update: rows.length - creations.length,
      },
    };
    const now = this.deps.clock.now();
    const stored = await repo.insertImport(this.db, {
      createdById: actor.id,
      fileName: file.fileName,
      format: parsed.format,
      asStatus: options.asStatus,
      organizationId: options.organizationId ?? null,
      status: 'dry_run',
      rows: { rows } satisfies StoredRows,
      report,
      totalRows: rows.length,
      createdAt: now,
      updatedAt: now,
    });
    return toImportView(stored);
  }

  /**
   * Which organisation each row belongs to: the one named by the options, or by the row's name and
   * country. Editors match any organisation and create missing ones; intermediaries may import only
   * for their own organisation and the clients they represent.
   */
  private async resolveOrganizations(actor: Actor, rows: ImportRow[], organizationId: string | null, db: Executor = this.db) {
    const errors: RowIssue[] = [];
    const failedRows = new Set<number>();
    const summary: ImportReport['organizations'] = [];
    if (organizationId) {
      const organization = (await this.deps.organizations.find(organizationId, db))!;
      summary.push({ name: organization.name, country: organization.country, action: 'match', organizationId, rows: rows.length });
      return { errors, failedRows, summary, organizationIdOf: () => organizationId };
    }
    const privileged = actor.role === 'admin' || actor.role === 'editor';
    const allowed = privileged ? null : new Set(await this.deps.users.organizationsActedFor(actor, db));
    const named = rows.filter((row) => row.organization);
    const candidates = await this.deps.organizations.findByNames([...new Set(named.map((row) => row.organization!.name))], db);
    const byKey = new Map<string, OrganizationRow>();
    for (const organization of candidates) {
      if (allowed && !allowed.has(organization.id)) continue;
      const key = orgKey(organization.name, organization.country);
      if (!byKey.has(key)) byKey.set(key, organization);
    }
    const entries = new Map<string, ImportReport['organizations'][number]>();
    for (const row of rows) {
      if (!row.organization) {
        errors.push({ row: row.row, column: null, field: 'organizationName', message: 'names no organisation: add an organisation column, or import for one organisation' });
        failedRows.add(row.row);
        continue;
      }
      const key = orgKey(row.organization.name, row.organization.country);
      const match = byKey.get(key);
      if (!match && !privileged) {
        errors.push({ row: row.row, column: null, field: 'organizationName', message: `"${row.organization.name}" (${row.organization.country}) is not your organisation or a client you represent` });
        failedRows.add(row.row);
        continue;
      }
      const entry = entries.get(key) ?? {
        name: match?.name ?? row.organization.name,
        country: row.organization.country,
        action: match ? ('match' as const) : ('create' as const),
        organizationId: match?.id ?? null,
        rows: 0,
      };
      entry.rows++;
      entries.set(key, entry);
    }
    summary.push(...entries.values());
    return {
      errors,
      failedRows,
      summary,
      organizationIdOf: (row: ImportRow) => (row.organization ? (byKey.get(orgKey(row.organization.name, row.organization.country))?.id ?? null) : null),
    };
  }

  async get(actor: Actor, id: string) {
    const row = await repo.findImport(this.db, id);
    if (!row || !(row.createdById === actor.id || actor.role === 'admin')) throw new NotFound('Import');
    return toImportView(row);
  }

  /** Queues the import the dry run described; the worker writes it (GET shows its progress). */
  async confirm(actor: Actor, id: string) {
    return this.db.transaction(async (tx) => {
      const row = await repo.findImport(tx, id);
      if (!row || row.createdById !== actor.id) throw new NotFound('Import');
      if (row.status !== 'dry_run') throw new Conflict(`This import is already ${row.status}`, 'import_confirmed');
      this.checkNotExpired(row);
      const updated = await repo.updateImport(tx, id, { status: 'queued', updatedAt: this.deps.clock.now() });
      await this.deps.jobs.enqueue(tx, IMPORTS_QUEUE, { importId: id }, { dedupeKey: id, maxAttempts: 3 });
      return toImportView(updated);
    });
  }

  private checkNotExpired(row: repo.ListingImportRow) {
    if (this.deps.clock.now().getTime() - row.createdAt.getTime() > DRY_RUN_TTL_MS) {
      throw new Conflict('This dry run has expired: upload the file again', 'import_expired');
    }
  }

  /** Confirms and writes at once, in this process (the command line). */
  async confirmAndRun(actor: Actor, id: string, onProgress?: (processed: number, total: number) => void) {
    const row = await repo.findImport(this.db, id);
    if (!row || row.createdById !== actor.id) throw new NotFound('Import');
    if (row.status !== 'dry_run') throw new Conflict(`This import is already ${row.status}`, 'import_confirmed');
    this.checkNotExpired(row);
    return this.run(id, onProgress);
  }

  queueDefinition(): QueueDefinition {
    return {
      batchSize: 1,
      handler: async (jobs: Job[]) => {
        for (const job of jobs) {
          const importId = (job.payload as { importId?: unknown }).importId;
          if (typeof importId === 'string') await this.run(importId);
        }
      },
    };
  }

  /**
   * Writes the rows in batches. A batch is one transaction: a row that fails (its listing was
   * submitted meanwhile, a rule the dry run could not see) rolls the whole batch back, organisations
   * created for it included, and the report names the row. Running again after a crash is safe:
   * rows already written match their reference and update (or leave) their listing.
   */
  async run(id: string, onProgress?: (processed: number, total: number) => void) {
    const stored = await repo.findImport(this.db, id);
    if (!stored) throw new NotFound('Import');
    const actor = await this.deps.users.loadActor(stored.createdById);
    if (!actor) {
      return toImportView(await repo.updateImport(this.db, id, { status: 'failed', finishedAt: this.deps.clock.now(), updatedAt: this.deps.clock.now() }));
    }
    const { rows } = (await repo.findImportRows(this.db, id)) as StoredRows;
    const report = stored.report as ImportReport;
    const headerOf = (field: string | null) => report.columns.find((column) => column.field === field)?.header ?? field;
    await repo.updateImport(this.db, id, { status: 'running', processedRows: 0, updatedAt: this.deps.clock.now() });
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, failedRows: 0, batches: [], organizationsCreated: 0 };
    const organizationIds = new Map<string, string>();
    const privileged = actor.role === 'admin' || actor.role === 'editor';
    const allowed = privileged ? null : new Set(await this.deps.users.organizationsActedFor(actor));
    let processed = 0;
    for (let start = 0; start < rows.length; start += this.deps.batchSize) {
      const batch = rows.slice(start, start + this.deps.batchSize);
      const createdHere = new Map<string, string>();
      const outcome = { created: 0, updated: 0, unchanged: 0 };
      try {
        await this.db.transaction(async (tx) => {
          const items = [];
          // The batch's organisations not met before, looked up in one statement.
          const unseen = batch.flatMap((row) => (row.organization && !organizationIds.has(orgKey(row.organization.name, row.organization.country)) ? [row.organization.name] : []));
          for (const match of unseen.length ? await this.deps.organizations.findByNames([...new Set(unseen)], tx) : []) {
            const key = orgKey(match.name, match.country);
            if ((!allowed || allowed.has(match.id)) && !organizationIds.has(key)) organizationIds.set(key, match.id);
          }
          if (!stored.organizationId) await this.createOrganizations(tx, batch, organizationIds, createdHere, allowed, headerOf);
          for (const row of batch) {
            const organizationId = stored.organizationId ?? organizationIds.get(rowOrgKey(row)) ?? createdHere.get(rowOrgKey(row))!;
            items.push({ organizationId, externalRef: row.externalRef, externalSource: stored.fileName, status: stored.asStatus as ImportStatus, content: row.content });
          }
          try {
            Object.assign(outcome, await this.deps.listings.importBatch(tx, actor, items));
          } catch (error) {
            if (!(error instanceof ImportItemError)) throw error;
            throw new RowFailure(describeFailure(batch[error.index]!.row, error.cause, headerOf), error.cause);
          }
        });
        for (const [key, organizationId] of createdHere) organizationIds.set(key, organizationId);
        result.created += outcome.created;
        result.updated += outcome.updated;
        result.unchanged += outcome.unchanged;
        result.organizationsCreated += createdHere.size;
        result.batches.push({ firstRow: batch[0]!.row, lastRow: batch.at(-1)!.row, ok: true, error: null });
      } catch (error) {
        const issue = error instanceof RowFailure ? error.issue : describeFailure(batch[0]!.row, error, headerOf);
        const cause = error instanceof RowFailure ? error.cause : error;
        // The message only, made safe: a database error's detail can quote the row's values, and
        // drizzle's message lists the statement's parameters (the row's values too).
        this.deps.log.warn({ importId: id, row: issue.row, error: cause instanceof Error ? safeErrorMessage(cause) : issue.message }, 'import batch rolled back');
        result.failedRows += batch.length;
        result.batches.push({ firstRow: batch[0]!.row, lastRow: batch.at(-1)!.row, ok: false, error: issue });
      }
      processed += batch.length;
      await repo.setProgress(this.db, id, processed, this.deps.clock.now());
      onProgress?.(processed, rows.length);
    }
    const now = this.deps.clock.now();
    const finished = await repo.updateImport(this.db, id, {
      status: result.failedRows ? 'completed_with_errors' : 'completed',
      result,
      finishedAt: now,
      updatedAt: now,
    });
    return toImportView(finished);
  }

  /**
   * Creates the batch's organisations not met before, in one statement (editors; for an
   * intermediary a row naming an organisation it does not act for fails its batch).
   */
  private async createOrganizations(
    tx: Executor,
    batch: ImportRow[],
    known: Map<string, string>,
    createdHere: Map<string, string>,
    allowed: Set<string> | null,
    headerOf: (field: string | null) => string | null,
  ) {
    const missing = new Map<string, NonNullable<ImportRow['organization']>>();
    for (const row of batch) {
      const organization = row.organization;
      if (!organization) throw new RowFailure(describeFailure(row.row, invalidField('organizationName', 'names no organisation'), headerOf), null);
      const key = rowOrgKey(row);
      if (known.has(key) || missing.has(key)) continue;
      if (allowed) {
        const error = new Forbidden(`"${organization.name}" (${organization.country}) is not your organisation or a client you represent`);
        throw new RowFailure(describeFailure(row.row, error, headerOf), error);
      }
      missing.set(key, organization);
    }
    const created = await this.deps.organizations.createManyInTx(
      tx,
      [...missing.values()].map((organization) => ({
        name: organization.name,
        country: organization.country,
        type: (organization.type ?? 'other') as OrganizationType,
        size: (organization.size ?? null) as OrganizationSize | null,
        website: organization.website,
      })),
    );
    for (const row of created) createdHere.set(orgKey(row.name, row.country), row.id);
  }
}

function describeFailure(row: number, error: unknown, headerOf: (field: string | null) => string | null): RowIssue {
  if (error instanceof AppError) {
    const path = error.issues?.[0]?.path ?? null;
    const field = path && (IMPORT_FIELDS as readonly string[]).includes(path) ? (path as ImportField) : null;
    return { row, column: field ? headerOf(field) : null, field, message: error.message };
  }
  // Unexpected database errors are logged by the caller; the report does not echo SQL.
  return { row, column: null, field: null, message: 'could not be written (unexpected error; see the service log)' };
}

export function toImportView(row: repo.ListingImportRow) {
  return {
    id: row.id,
    status: row.status as never,
    fileName: row.fileName,
    format: row.format as 'csv' | 'xlsx' | 'json',
    asStatus: row.asStatus as ImportStatus,
    organizationId: row.organizationId,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    report: row.report as ImportReport,
    result: (row.result as ImportResult | null) ?? null,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
  };
}
