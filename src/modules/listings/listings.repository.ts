import { and, asc, count, desc, eq, gt, gte, inArray, lte, or, sql, type Column, type SQL } from 'drizzle-orm';
import { listings, referenceCounters } from '../../../drizzle/listings.js';
import { organizations } from '../../../drizzle/organizations.js';
import { anyOf, type Executor } from '../../db/client.js';
import { filtersFromParams, listingFilterConditions, type FilterField } from './listings.filters.js';
import type { ListingQuery } from './listings.schemas.js';

export type ListingRow = typeof listings.$inferSelect;
export type NewListing = typeof listings.$inferInsert;
export type ListingWithOrganization = { listing: ListingRow; organization: typeof organizations.$inferSelect };

/** Next number for a reference prefix, taken in the caller's transaction so numbers never repeat. */
export async function nextReferenceNumber(db: Executor, prefix: string) {
  const [row] = await db
    .insert(referenceCounters)
    .values({ prefix, lastNumber: 1 })
    .onConflictDoUpdate({ target: referenceCounters.prefix, set: { lastNumber: sql`${referenceCounters.lastNumber} + 1` } })
    .returning({ n: referenceCounters.lastNumber });
  return row!.n;
}

/**
 * Reserves numbers for several prefixes in one statement (`count` each); returns the last number
 * reserved per prefix. Sorted, so two writers lock the counters in one order and never deadlock.
 */
export async function reserveReferenceNumbers(db: Executor, counts: Map<string, number>) {
  if (counts.size === 0) return new Map<string, number>();
  const rows = await db
    .insert(referenceCounters)
    .values([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([prefix, count]) => ({ prefix, lastNumber: count })))
    .onConflictDoUpdate({ target: referenceCounters.prefix, set: { lastNumber: sql`${referenceCounters.lastNumber} + excluded.last_number` } })
    .returning({ prefix: referenceCounters.prefix, n: referenceCounters.lastNumber });
  return new Map(rows.map((row) => [row.prefix, row.n]));
}

export async function insertListings(db: Executor, values: NewListing[]) {
  if (values.length === 0) return [];
  return db.insert(listings).values(values).returning();
}

export async function insertListing(db: Executor, values: NewListing) {
  const [row] = await db.insert(listings).values(values).returning();
  return row!;
}

export async function findListing(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(listings).where(eq(listings.id, id));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findListingWithOrganization(db: Executor, id: string): Promise<ListingWithOrganization | null> {
  const [row] = await db
    .select({ listing: listings, organization: organizations })
    .from(listings)
    .innerJoin(organizations, eq(organizations.id, listings.organizationId))
    .where(eq(listings.id, id));
  return row ?? null;
}

export async function findIdByReference(db: Executor, reference: string) {
  const [row] = await db.select({ id: listings.id }).from(listings).where(eq(listings.reference, reference));
  return row?.id ?? null;
}

export async function findListingsWithOrganization(db: Executor, ids: string[]): Promise<ListingWithOrganization[]> {
  if (ids.length === 0) return [];
  return db
    .select({ listing: listings, organization: organizations })
    .from(listings)
    .innerJoin(organizations, eq(organizations.id, listings.organizationId))
    // One array parameter, as matching reads its candidates: one statement text whatever the page size.
    .where(anyOf(listings.id, ids, 'uuid'));
}

/**
 * The listings' structured fields and state, without the long texts, with the owner's country:
 * every column read here is in listings_facts_idx (migration 0006), so it is read from the index.
 */
export async function findListingFacts(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: listings.id,
      kind: listings.kind,
      status: listings.status,
      version: listings.version,
      organizationId: listings.organizationId,
      sectors: listings.sectors,
      stage: listings.stage,
      trl: listings.trl,
      partnershipTypes: listings.partnershipTypes,
      targetCountries: listings.targetCountries,
      publishedAt: listings.publishedAt,
      expiresAt: listings.expiresAt,
      country: organizations.country,
    })
    .from(listings)
    .innerJoin(organizations, eq(organizations.id, listings.organizationId))
    .where(anyOf(listings.id, ids, 'uuid'));
}

export async function updateListing(db: Executor, id: string, values: Partial<NewListing>) {
  const [row] = await db
    .update(listings)
    .set({ ...values, version: sql`${listings.version} + 1` })
    .where(eq(listings.id, id))
    .returning();
  return row!;
}

/** The visibility rule the service decided on, expressed as SQL. */
export type VisibilityScope =
  | { kind: 'public' }
  | { kind: 'all' }
  | { kind: 'all_but_drafts' }
  | { kind: 'organizations'; organizationIds: string[] }
  | { kind: 'public_or_organizations'; organizationIds: string[] };

function visibilityCondition(scope: VisibilityScope): SQL | undefined {
  const published = eq(listings.status, 'published');
  const ownedBy = (ids: string[]) => (ids.length ? inArray(listings.organizationId, ids) : sql`false`);
  switch (scope.kind) {
    case 'public':
      return published;
    case 'all':
      return undefined;
    case 'all_but_drafts':
      return sql`${listings.status} <> 'draft'`;
    case 'organizations':
      return ownedBy(scope.organizationIds);
    case 'public_or_organizations':
      return or(published, ownedBy(scope.organizationIds));
  }
}

/** Where the listings query finds each field the filters test. */
const FILTER_COLUMNS: Record<FilterField, Column> = {
  kind: listings.kind,
  sectors: listings.sectors,
  country: organizations.country,
  targetCountries: listings.targetCountries,
  stage: listings.stage,
  trl: listings.trl,
  iprStatus: listings.iprStatus,
  partnershipTypes: listings.partnershipTypes,
  sdgs: listings.sdgs,
  publishedAt: listings.publishedAt,
};

export async function listListings(
  db: Executor,
  query: ListingQuery,
  scope: VisibilityScope,
  /** Organisations whose anonymous listings may be filtered by owner (the caller's own). */
  revealOrganizationIds: string[],
) {
  const conditions: (SQL | undefined)[] = [
    visibilityCondition(scope),
    ...listingFilterConditions(filtersFromParams(query), (field) => sql`${FILTER_COLUMNS[field]}`),
  ];
  if (query.status?.length) conditions.push(inArray(listings.status, query.status));
  if (query.updatedSince) conditions.push(gte(listings.updatedAt, query.updatedSince));
  if (query.organizationId) {
    conditions.push(eq(listings.organizationId, query.organizationId));
    // Filtering by owner must not reveal who is behind an anonymous listing.
    if (!revealOrganizationIds.includes(query.organizationId) && scope.kind !== 'all' && scope.kind !== 'all_but_drafts') {
      conditions.push(eq(listings.anonymous, false));
    }
  }
  const where = and(...conditions.filter((c): c is SQL => c !== undefined));
  const order =
    query.sort === 'title'
      ? [asc(sql`lower(${listings.title})`), asc(listings.id)]
      : query.sort === 'updated'
        ? [desc(listings.updatedAt), desc(listings.id)]
        : [sql`${listings.publishedAt} desc nulls last`, desc(listings.createdAt), desc(listings.id)];
  const [items, [total]] = await Promise.all([
    db
      .select({ listing: listings, organization: organizations })
      .from(listings)
      .innerJoin(organizations, eq(organizations.id, listings.organizationId))
      .where(where)
      .orderBy(...order)
      .limit(query.limit)
      .offset(query.offset),
    db
      .select({ n: count() })
      .from(listings)
      .innerJoin(organizations, eq(organizations.id, listings.organizationId))
      .where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export function publishedIdsOfOrganization(db: Executor, organizationId: string) {
  return db
    .select({ id: listings.id })
    .from(listings)
    .where(and(eq(listings.organizationId, organizationId), eq(listings.status, 'published')));
}

/** Published listings with their organisations in id order, the page after `afterId` (search reindex walks them). */
export function publishedWithOrganizationAfter(db: Executor, afterId: string | null, limit: number): Promise<ListingWithOrganization[]> {
  return db
    .select({ listing: listings, organization: organizations })
    .from(listings)
    .innerJoin(organizations, eq(organizations.id, listings.organizationId))
    .where(and(eq(listings.status, 'published'), afterId ? gt(listings.id, afterId) : undefined))
    .orderBy(asc(listings.id))
    .limit(limit);
}

/** Published listings whose expiry has passed (the sweep expires them). */
export function dueForExpiry(db: Executor, now: Date, limit: number) {
  return db
    .select()
    .from(listings)
    .where(and(eq(listings.status, 'published'), lte(listings.expiresAt, now)))
    .orderBy(asc(listings.expiresAt))
    .limit(limit);
}

/** Published listings expiring within the window that were not reminded yet for this period. */
export function dueForReminder(db: Executor, now: Date, until: Date, limit: number) {
  return db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.status, 'published'),
        lte(listings.expiresAt, until),
        sql`${listings.expiresAt} > ${now.toISOString()}::timestamptz`,
        sql`${listings.reminderSentAt} is null`,
      ),
    )
    .limit(limit);
}

export function dueForArchive(db: Executor, expiredBefore: Date, limit: number) {
  return db
    .select()
    .from(listings)
    .where(
      and(
        eq(listings.status, 'expired'),
        or(sql`${listings.renewalCount} >= 1`, lte(listings.expiresAt, expiredBefore)),
      ),
    )
    .limit(limit);
}

/** The listings the organisations hold under these external references, locked for the import that updates them. */
export async function findByExternalRefs(db: Executor, keys: { organizationId: string; externalRef: string }[]) {
  if (keys.length === 0) return [];
  return db
    .select()
    .from(listings)
    .where(
      sql`${listings.externalRef} is not null and (${listings.organizationId}, ${listings.externalRef}) in (select * from unnest(${sql.param(keys.map((key) => key.organizationId))}::uuid[], ${sql.param(keys.map((key) => key.externalRef))}::text[]))`,
    )
    .for('update');
}

/**
 * For each title, the most similar existing listing title (pg_trgm similarity at least `threshold`,
 * through listings_title_trgm_idx), excluding the listings in `excludeIds`.
 */
export async function mostSimilarTitles(db: Executor, titles: string[], threshold: number) {
  if (titles.length === 0) return [];
  const result = await db.execute(sql`
    select t.n::int as n, m.id, m.reference, m.title, m.similarity
    from unnest(${sql.param(titles)}::text[]) with ordinality as t(title, n)
    cross join lateral (
      select l.id, l.reference, l.title, similarity(lower(l.title), lower(t.title))::float8 as similarity
      from listings l
      where lower(l.title) % lower(t.title) and similarity(lower(l.title), lower(t.title)) >= ${threshold}
      order by similarity(lower(l.title), lower(t.title)) desc
      limit 1
    ) m`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    n: number;
    id: string;
    reference: string;
    title: string;
    similarity: number;
  }[];
  return rows.map((row) => ({ index: Number(row.n) - 1, id: row.id, reference: row.reference, title: row.title, similarity: Number(row.similarity) }));
}

/**
 * Listings changed since a moment, oldest change first: those in `liveStatuses` with their
 * organisation, and the others as bare rows (the sync feed turns them into tombstones). Only
 * listings ever published appear when `everPublished` is set (the public feed).
 */
export async function changedSince(
  db: Executor,
  options: { since: Date; organizationIds: string[] | null; everPublished: boolean; afterId: string | null; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    options.afterId
      ? sql`(${listings.updatedAt}, ${listings.id}) > (${options.since.toISOString()}::timestamptz, ${options.afterId}::uuid)`
      : gte(listings.updatedAt, options.since),
    options.everPublished ? sql`${listings.publishedAt} is not null` : undefined,
    options.organizationIds ? (options.organizationIds.length ? inArray(listings.organizationId, options.organizationIds) : sql`false`) : undefined,
  ];
  return db
    .select({ listing: listings, organization: organizations })
    .from(listings)
    .innerJoin(organizations, eq(organizations.id, listings.organizationId))
    .where(and(...conditions.filter((c): c is SQL => c !== undefined)))
    .orderBy(asc(listings.updatedAt), asc(listings.id))
    .limit(options.limit);
}

export function externalRefsOf(db: Executor, organizationIds: string[], externalRefs: string[]) {
  if (organizationIds.length === 0 || externalRefs.length === 0) return Promise.resolve([]);
  return db
    .select({ id: listings.id, organizationId: listings.organizationId, externalRef: listings.externalRef })
    .from(listings)
    .where(and(anyOf(listings.organizationId, organizationIds, 'uuid'), anyOf(listings.externalRef, externalRefs, 'text')));
}
