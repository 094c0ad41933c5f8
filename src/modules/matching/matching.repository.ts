import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import { listingMatchFeatures, listingMatchLexemes, matchingStemCounts } from '../../../drizzle/matching.js';
import { anyOf, queryRows, type Executor } from '../../db/client.js';
import { indexLexemes } from '../../db/text-search.js';

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

/** A listing's analysis to store, with the text it was made of (its lexemes are computed from it). */
export type FeaturesToSave = typeof listingMatchFeatures.$inferInsert & { kind: string; stems: string[]; text: string };

/**
 * Stores listings' analyses and moves the counts from the lexemes they held to those they hold now.
 * Two writers analysing one listing at the same moment may both count it: the counts are a guide
 * to which words are rare and how far a query reaches, and a listing counted twice does not change
 * that.
 */
export async function saveFeatures(db: Executor, rows: FeaturesToSave[]) {
  if (rows.length === 0) return;
  // Sorted, so two writers of overlapping sets lock rows in one order and never deadlock.
  const sorted = [...rows].sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
  const kindOf = new Map(sorted.map((row) => [row.listingId, row.kind]));
  const ids = sorted.map((row) => row.listingId);
  // Locked: a second writer of the same listing waits and then counts from what this one wrote.
  const previous = await db
    .select({ listingId: listingMatchLexemes.listingId, lexemes: listingMatchLexemes.lexemes })
    .from(listingMatchLexemes)
    .where(inArray(listingMatchLexemes.listingId, ids))
    .orderBy(listingMatchLexemes.listingId)
    .for('update');
  await db
    .insert(listingMatchFeatures)
    .values(sorted.map(({ kind: _kind, text: _text, ...row }) => row))
    .onConflictDoUpdate({
      target: listingMatchFeatures.listingId,
      set: {
        listingVersion: sql`excluded.listing_version`,
        features: sql`excluded.features`,
        stems: sql`excluded.stems`,
        computedAt: sql`excluded.computed_at`,
      },
    });
  const current = await db
    .insert(listingMatchLexemes)
    .values(sorted.map(({ listingId, text }) => ({ listingId, lexemes: indexLexemes(sql`${text}`) })))
    .onConflictDoUpdate({ target: listingMatchLexemes.listingId, set: { lexemes: sql`excluded.lexemes` } })
    .returning({ listingId: listingMatchLexemes.listingId, lexemes: listingMatchLexemes.lexemes });
  const delta = new Map<string, { stem: string; kind: string; n: number }>();
  const count = (rows: { listingId: string; lexemes: string[] }[], n: number) => {
    for (const { listingId, lexemes } of rows) {
      const kind = kindOf.get(listingId)!;
      for (const stem of lexemes) {
        const key = `${kind}\u0000${stem}`;
        const entry = delta.get(key) ?? { stem, kind, n: 0 };
        entry.n += n;
        delta.set(key, entry);
      }
    }
  };
  count(previous, -1);
  count(current, 1);
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

/**
 * How many analysed listings of the kind each term reaches, by its words as the search index stems
 * them: all listings holding the word for a word, those holding its rarest word for a phrase.
 * Terms made of stopwords alone reach nothing (the engine ignores them).
 */
export async function termReach(db: Executor, kind: string, terms: string[]) {
  if (terms.length === 0) return new Map<string, number>();
  const rows = await queryRows<{ term: string; listings: number }>(
    db,
    sql`select t.term, min(coalesce(c.listings, 0))::int as listings
        from unnest(${sql.param(terms)}::text[]) as t(term)
        cross join lateral unnest(${indexLexemes(sql`t.term`)}) as l(lexeme)
        left join ${matchingStemCounts} as c on c.stem = l.lexeme and c.kind = ${kind}
        group by t.term`,
  );
  return new Map(rows.map((row) => [row.term, Number(row.listings)]));
}
