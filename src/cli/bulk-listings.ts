import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { listings as listingsTable } from '../../drizzle/listings.js';
import { organizations as organizationsTable } from '../../drizzle/organizations.js';
import { addDays } from '../lib/clock.js';
import { addMonths, VALIDITY_MONTHS } from '../modules/listings/listing-lifecycle.js';
import type { OrganizationSize, OrganizationType } from '../modules/vocabularies/enums.js';
import type { DemoListing } from './demo-data/types.js';

// Loads many published listings straight into the tables, for the matching evaluation and
// benchmark: going through the API (create, submit, publish) would take minutes for what is only
// a fixture. The search index and matching's text analyses are then built from the tables.

export interface BulkOrganization {
  name: string;
  type: OrganizationType;
  size: OrganizationSize | null;
  country: string;
}

/** A published listing to load: the demo generator's shape, with a publication age always set. */
export type BulkListing = Omit<DemoListing, 'iprNotes' | 'status' | 'publishedDaysAgo'> & {
  /** Published this many days ago (within the 12-month validity). */
  publishedDaysAgo: number;
  /**
   * The listing's id; a new random one when absent. The evaluation gives each fixture the same id
   * every run, so equal scores (which fall in id order) rank the same way every time.
   */
  id?: string;
};

const INSERT_BATCH = 1000;

/** The content columns of a listing row, from demo, bench or fixture data that carries them. */
export function listingContentColumns(item: Omit<BulkListing, 'organizationIndex' | 'publishedDaysAgo'> & { iprNotes?: string | null }) {
  return {
    kind: item.kind,
    title: item.title,
    summary: item.summary,
    description: item.description,
    advantages: item.advantages,
    specificationSought: item.specificationSought,
    sectors: item.sectors,
    keywords: item.keywords,
    stage: item.stage,
    trl: item.trl,
    iprStatus: item.iprStatus,
    iprNotes: item.iprNotes ?? null,
    partnershipTypes: item.partnershipTypes,
    targetCountries: item.targetCountries,
    sdgs: item.sdgs,
    anonymous: item.anonymous,
  };
}

/** Inserts the organisations and the listings (all published); returns the listing ids in order. */
export async function insertPublishedListings(app: FastifyInstance, organizations: BulkOrganization[], items: BulkListing[]) {
  const db = app.database.db;
  const now = app.clock.now();
  const organizationIds: string[] = [];
  for (let start = 0; start < organizations.length; start += INSERT_BATCH) {
    const rows = await db
      .insert(organizationsTable)
      .values(organizations.slice(start, start + INSERT_BATCH).map((org) => ({ ...org, createdAt: now, updatedAt: now })))
      .returning({ id: organizationsTable.id });
    organizationIds.push(...rows.map((row) => row.id));
  }
  const author = await db.transaction((tx) =>
    app.services.users.createUser(tx, {
      email: `bulk-loader-${now.getTime()}@example.org`,
      name: 'Bulk loader',
      password: `bulk-${crypto.randomUUID()}`,
      role: 'member',
      organizationId: organizationIds[0] ?? null,
      verified: true,
    }),
  );
  const ids: string[] = [];
  for (let start = 0; start < items.length; start += INSERT_BATCH) {
    const rows = items.slice(start, start + INSERT_BATCH).map((item, offset) => {
      const publishedAt = addDays(now, -item.publishedDaysAgo);
      const organization = organizations[item.organizationIndex]!;
      return {
        ...(item.id ? { id: item.id } : {}),
        reference: `${item.kind === 'offer' ? 'TO' : 'TR'}-${organization.country}-${now.getUTCFullYear()}-B${String(start + offset).padStart(6, '0')}`,
        ...listingContentColumns(item),
        status: 'published',
        organizationId: organizationIds[item.organizationIndex]!,
        createdById: author.id,
        publishedAt,
        expiresAt: addMonths(publishedAt, VALIDITY_MONTHS),
        createdAt: publishedAt,
        updatedAt: publishedAt,
      };
    });
    ids.push(...(await db.insert(listingsTable).values(rows).returning({ id: listingsTable.id })).map((row) => row.id));
  }
  return ids;
}

/**
 * Indexes everything for search and analyses it for matching, as a running service would have,
 * and gathers the planner statistics that autovacuum would have gathered by then.
 */
export async function prepareForMatching(app: FastifyInstance) {
  const { indexed } = await app.services.search.reindex();
  const analyzed = await app.services.matching.precomputeFeatures();
  // What autovacuum would do after a bulk load, before the requests: the analyses left ~100,000 dead
  // versions of the stem counts, which every candidate query reads.
  await app.database.db.execute(sql`vacuum analyze`);
  return { indexed, analyzed };
}
