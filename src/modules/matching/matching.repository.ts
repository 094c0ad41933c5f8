import { inArray, sql } from 'drizzle-orm';
import { listingMatchFeatures } from '../../../drizzle/matching.js';
import type { Executor } from '../../db/client.js';

export type FeaturesRow = typeof listingMatchFeatures.$inferSelect;

export function findFeatures(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([] as FeaturesRow[]);
  return db.select().from(listingMatchFeatures).where(inArray(listingMatchFeatures.listingId, listingIds));
}

export async function upsertFeatures(db: Executor, rows: (typeof listingMatchFeatures.$inferInsert)[]) {
  if (rows.length === 0) return;
  // Sorted, so two writers of overlapping sets lock rows in one order and never deadlock.
  const sorted = [...rows].sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
  await db
    .insert(listingMatchFeatures)
    .values(sorted)
    .onConflictDoUpdate({
      target: listingMatchFeatures.listingId,
      set: {
        listingVersion: sql`excluded.listing_version`,
        features: sql`excluded.features`,
        computedAt: sql`excluded.computed_at`,
      },
    });
}
