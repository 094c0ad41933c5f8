import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { listingMatchFeatures, matchingStemCounts } from '../../../drizzle/matching.js';
import { anyOf, type Executor } from '../../db/client.js';

const COUNT_BATCH = 1000;

/**
 * Stored analyses. With `sharedWith`, each holds of its stems only those in that list: all that
 * scoring a candidate against one listing reads of them, at a fraction of the size.
 */
export async function findFeatures(db: Executor, listingIds: string[], sharedWith?: string[]) {
  if (listingIds.length === 0) return [];
  const all = listingMatchFeatures.stems;
  const stems = sharedWith?.length
    ? sql<string[] | null>`array(select s from unnest(${all}) as s where ${anyOf(sql`s`, sharedWith, 'text')})`
    : sharedWith
      ? sql<string[] | null>`array[]::text[]`
      : all;
  return db
    .select({
      listingId: listingMatchFeatures.listingId,
      listingVersion: listingMatchFeatures.listingVersion,
      features: listingMatchFeatures.features,
      hasStems: sql<boolean>`${all} is not null`,
      stems,
    })
    .from(listingMatchFeatures)
    .where(anyOf(listingMatchFeatures.listingId, listingIds, 'uuid'));
}

/** The listing version each stored analysis was made from. */
export function findFeatureVersions(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return Promise.resolve([]);
  return db
    .select({ listingId: listingMatchFeatures.listingId, listingVersion: listingMatchFeatures.listingVersion })
    .from(listingMatchFeatures)
    .where(inArray(listingMatchFeatures.listingId, listingIds));
}

/**
 * Stores listings' analyses and moves the stem counts from the stems they held to those they hold
 * now. Two writers analysing one listing at the same moment may both count it: the counts are a
 * guide to which words are rare, and a listing counted twice does not change that.
 */
export async function saveFeatures(db: Executor, rows: (typeof listingMatchFeatures.$inferInsert & { kind: string; stems: string[] })[]) {
  if (rows.length === 0) return;
  // Sorted, so two writers of overlapping sets lock rows in one order and never deadlock.
  const sorted = [...rows].sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
  const kindOf = new Map(sorted.map((row) => [row.listingId, row.kind]));
  const previous = await db
    .select({ listingId: listingMatchFeatures.listingId, stems: listingMatchFeatures.stems })
    .from(listingMatchFeatures)
    .where(inArray(listingMatchFeatures.listingId, sorted.map((row) => row.listingId)))
    .orderBy(listingMatchFeatures.listingId)
    .for('update');
  const delta = new Map<string, { stem: string; kind: string; n: number }>();
  const count = (stem: string, kind: string, n: number) => {
    const key = `${kind}\u0000${stem}`;
    const entry = delta.get(key) ?? { stem, kind, n: 0 };
    entry.n += n;
    delta.set(key, entry);
  };
  for (const { listingId, stems } of previous) for (const stem of stems ?? []) count(stem, kindOf.get(listingId)!, -1);
  for (const { kind, stems } of sorted) for (const stem of stems) count(stem, kind, 1);
  await db
    .insert(listingMatchFeatures)
    .values(sorted.map(({ kind: _kind, ...row }) => row))
    .onConflictDoUpdate({
      target: listingMatchFeatures.listingId,
      set: {
        listingVersion: sql`excluded.listing_version`,
        features: sql`excluded.features`,
        stems: sql`excluded.stems`,
        computedAt: sql`excluded.computed_at`,
      },
    });
  const changes = [...delta.values()]
    .filter((change) => change.n !== 0)
    .sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  for (let start = 0; start < changes.length; start += COUNT_BATCH) {
    await db
      .insert(matchingStemCounts)
      .values(changes.slice(start, start + COUNT_BATCH).map(({ stem, kind, n }) => ({ stem, kind, listings: n })))
      .onConflictDoUpdate({
        target: [matchingStemCounts.stem, matchingStemCounts.kind],
        set: { listings: sql`${matchingStemCounts.listings} + excluded.listings` },
      });
  }
  const decreased = changes.filter((change) => change.n < 0).map((change) => change.stem);
  if (decreased.length) await db.delete(matchingStemCounts).where(and(inArray(matchingStemCounts.stem, decreased), lte(matchingStemCounts.listings, 0)));
}

/** The listing changed without its text changing: its stored analysis holds for the new version. */
export async function markFeaturesCurrent(db: Executor, listingId: string, listingVersion: number) {
  await db.update(listingMatchFeatures).set({ listingVersion }).where(eq(listingMatchFeatures.listingId, listingId));
}

/** How many analysed listings of the kind hold each stem (absent: none). */
export async function stemCounts(db: Executor, kind: string, stems: string[]) {
  if (stems.length === 0) return new Map<string, number>();
  const rows = await db
    .select({ stem: matchingStemCounts.stem, listings: matchingStemCounts.listings })
    .from(matchingStemCounts)
    .where(and(eq(matchingStemCounts.kind, kind), inArray(matchingStemCounts.stem, stems)));
  return new Map(rows.map((row) => [row.stem, row.listings]));
}
