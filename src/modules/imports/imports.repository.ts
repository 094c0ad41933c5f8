import { and, desc, eq, getTableColumns, inArray, lt, sql } from 'drizzle-orm';
import { listingImports } from '../../../drizzle/partners.js';
import type { Executor } from '../../db/client.js';

export type NewListingImport = typeof listingImports.$inferInsert;

// The stored rows (megabytes for a large file) are read once, by the run that writes them; every
// other read and write (progress, the page that follows it, the report) leaves them out.
const { rows: _rows, ...viewColumns } = getTableColumns(listingImports);
export type ListingImportRow = Omit<typeof listingImports.$inferSelect, 'rows'>;

export async function insertImport(db: Executor, values: NewListingImport): Promise<ListingImportRow> {
  const [row] = await db.insert(listingImports).values(values).returning(viewColumns);
  return row!;
}

export async function findImport(db: Executor, id: string): Promise<ListingImportRow | null> {
  const [row] = await db.select(viewColumns).from(listingImports).where(eq(listingImports.id, id));
  return row ?? null;
}

export async function findImportRows(db: Executor, id: string): Promise<unknown> {
  const [row] = await db.select({ rows: listingImports.rows }).from(listingImports).where(eq(listingImports.id, id));
  return row?.rows ?? null;
}

export async function updateImport(db: Executor, id: string, values: Partial<NewListingImport>): Promise<ListingImportRow> {
  const [row] = await db.update(listingImports).set(values).where(eq(listingImports.id, id)).returning(viewColumns);
  return row!;
}

/** Progress only: nothing read back. */
export async function setProgress(db: Executor, id: string, processedRows: number, now: Date) {
  await db.update(listingImports).set({ processedRows, updatedAt: now }).where(eq(listingImports.id, id));
}

/** A person's latest imports, newest first. */
export function importsOf(db: Executor, userId: string, limit: number): Promise<ListingImportRow[]> {
  return db.select(viewColumns).from(listingImports).where(eq(listingImports.createdById, userId)).orderBy(desc(listingImports.createdAt)).limit(limit);
}

/** Dry runs never confirmed, created before `before`: their stored rows go. */
export async function deleteDryRunsBefore(db: Executor, before: Date) {
  const deleted = await db
    .delete(listingImports)
    .where(and(eq(listingImports.status, 'dry_run'), lt(listingImports.createdAt, before)))
    .returning({ id: listingImports.id });
  return deleted.length;
}

/** Finished imports keep their report and result; their stored rows are no longer needed. */
export async function dropRowsOfFinishedBefore(db: Executor, before: Date) {
  const updated = await db
    .update(listingImports)
    .set({ rows: { rows: [] } })
    .where(
      and(
        inArray(listingImports.status, ['completed', 'completed_with_errors', 'failed']),
        lt(listingImports.finishedAt, before),
        sql`jsonb_array_length(${listingImports.rows} -> 'rows') > 0`,
      ),
    )
    .returning({ id: listingImports.id });
  return updated.length;
}
