import { eq } from 'drizzle-orm';
import { listingImports } from '../../../drizzle/partners.js';
import type { Executor } from '../../db/client.js';

export type ListingImportRow = typeof listingImports.$inferSelect;
export type NewListingImport = typeof listingImports.$inferInsert;

export async function insertImport(db: Executor, values: NewListingImport) {
  const [row] = await db.insert(listingImports).values(values).returning();
  return row!;
}

export async function findImport(db: Executor, id: string) {
  const [row] = await db.select().from(listingImports).where(eq(listingImports.id, id));
  return row ?? null;
}

export async function updateImport(db: Executor, id: string, values: Partial<NewListingImport>) {
  const [row] = await db.update(listingImports).set(values).where(eq(listingImports.id, id)).returning();
  return row!;
}
