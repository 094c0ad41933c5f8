import { eq, inArray, sql } from 'drizzle-orm';
import { listingMatchFeatures, matchingTermCounts } from '../../../drizzle/matching.js';
import type { Executor } from '../../db/client.js';

export type FeaturesRow = typeof listingMatchFeatures.$inferSelect;

const COUNT_BATCH = 1000;

export function findFeatures(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([] as FeaturesRow[]);
  return db.select().from(listingMatchFeatures).where(inArray(listingMatchFeatures.listingId, listingIds));
}

/**
 * Stores listings' analyses and moves the term counts from the stems they held to those they hold
 * now. Two writers analysing one listing at the same moment may both count it: the counts are a
 * guide to which words are rare, and a listing counted twice does not change that.
 */
export async function saveFeatures(db: Executor, rows: (typeof listingMatchFeatures.$inferInsert & { stems: string[] })[]) {
  if (rows.length === 0) return;
  // Sorted, so two writers of overlapping sets lock rows in one order and never deadlock.
  const sorted = [...rows].sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
  const previous = await db
    .select({ stems: sql<string[] | null>`${listingMatchFeatures.features}->'stems'` })
    .from(listingMatchFeatures)
    .where(inArray(listingMatchFeatures.listingId, sorted.map((row) => row.listingId)))
    .orderBy(listingMatchFeatures.listingId)
    .for('update');
  const delta = new Map<string, number>();
  for (const { stems } of previous) for (const stem of stems ?? []) delta.set(stem, (delta.get(stem) ?? 0) - 1);
  for (const { stems } of sorted) for (const stem of stems) delta.set(stem, (delta.get(stem) ?? 0) + 1);
  await db
    .insert(listingMatchFeatures)
    .values(sorted.map(({ stems: _stems, ...row }) => row))
    .onConflictDoUpdate({
      target: listingMatchFeatures.listingId,
      set: {
        listingVersion: sql`excluded.listing_version`,
        features: sql`excluded.features`,
        computedAt: sql`excluded.computed_at`,
      },
    });
  const changes = [...delta].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let start = 0; start < changes.length; start += COUNT_BATCH) {
    await db
      .insert(matchingTermCounts)
      .values(changes.slice(start, start + COUNT_BATCH).map(([stem, listings]) => ({ stem, listings })))
      .onConflictDoUpdate({ target: matchingTermCounts.stem, set: { listings: sql`${matchingTermCounts.listings} + excluded.listings` } });
  }
  const decreased = changes.filter(([, n]) => n < 0).map(([stem]) => stem);
  if (decreased.length) await db.delete(matchingTermCounts).where(sql`${inArray(matchingTermCounts.stem, decreased)} and ${matchingTermCounts.listings} <= 0`);
}

/** The listing changed without its text changing: its stored analysis holds for the new version. */
export async function markFeaturesCurrent(db: Executor, listingId: string, listingVersion: number) {
  await db.update(listingMatchFeatures).set({ listingVersion }).where(eq(listingMatchFeatures.listingId, listingId));
}

/** How many analysed listings hold each stem (absent: none). */
export async function termCounts(db: Executor, stems: string[]) {
  if (stems.length === 0) return new Map<string, number>();
  const rows = await db.select().from(matchingTermCounts).where(inArray(matchingTermCounts.stem, stems));
  return new Map(rows.map((row) => [row.stem, row.listings]));
}
