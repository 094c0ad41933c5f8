import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

// The built-in search engine's index: derived from listings and organisations, rebuilt at will
// (npm run reindex), so it has no foreign keys. The search worker writes a row when a listing is
// published and deletes it when the listing leaves the published state.
//
// The tsvectors are computed by the worker (unaccent() is not IMMUTABLE, so they cannot be
// generated columns). tsv holds all the text (title A, keywords B, summary C, description, details
// and organisation name D) and only serves matching through its GIN index; head (title, keywords,
// summary) is small and ranks. A migration (search_storage) keeps the heap row narrow: every long
// value is stored out of line except head, so scanning matches, filters and facets reads little.
const GIN_OPTIONS = { fastupdate: false };

export const searchDocuments = pgTable(
  'search_documents',
  {
    listingId: uuid('listing_id').primaryKey(),
    reference: text('reference').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    details: text('details').notNull(),
    keywords: text('keywords').array().notNull(),
    sectors: text('sectors').array().notNull(),
    country: text('country').notNull(),
    targetCountries: text('target_countries').array().notNull(),
    stage: text('stage').notNull(),
    trl: smallint('trl').notNull(),
    iprStatus: text('ipr_status').notNull(),
    partnershipTypes: text('partnership_types').array().notNull(),
    sdgs: smallint('sdgs').array().notNull(),
    // Every facet value of the document in one string ("offer|energy,water|KE|…": see
    // facetCodesOf in the engine), so counting facets over many hits aggregates one column
    // instead of calling nine aggregates and four array functions per hit.
    facetCodes: text('facet_codes').notNull(),
    // Null for anonymous listings: the index never holds an anonymous owner's name.
    organizationName: text('organization_name'),
    organizationId: uuid('organization_id').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // The distinct words of the text (unaccented, lower case), kept to maintain search_words.
    words: text('words').array().notNull(),
    tsv: tsvector('tsv').notNull(),
    head: tsvector('head').notNull(),
    // A byte of the listing id (uniform): counts over very many hits are estimated from the rows
    // under a cut-off, a fixed random sample.
    sampleKey: smallint('sample_key').notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // fastupdate off on every GIN index: with it, recent writes wait in a pending list that every
    // search scans linearly until a vacuum merges it (1,000 re-indexed listings cost each query
    // ~10 ms at 100k listings). Writes are the worker's, in batches; searches are the users'.
    index('search_documents_tsv_idx').using('gin', t.tsv).with(GIN_OPTIONS),
    index('search_documents_head_idx').using('gin', t.head).with(GIN_OPTIONS),
    // The sample's own text index (see SAMPLE_CUT in the engine, which must match the predicate):
    // estimating a broad query's counts then reads a 32nd of the posting lists, not all of them.
    index('search_documents_sample_tsv_idx').using('gin', t.tsv).with(GIN_OPTIONS).where(sql`sample_key < 8`),
    index('search_documents_sample_head_idx').using('gin', t.head).with(GIN_OPTIONS).where(sql`sample_key < 8`),
    index('search_documents_published_idx').on(t.publishedAt.desc(), t.listingId),
    // Low-selectivity codes each, but combined (BitmapAnd) with the text or another filter they
    // spare fetching thousands of heap rows that the other conditions would then throw away.
    index('search_documents_country_idx').on(t.country),
    index('search_documents_stage_idx').on(t.stage),
    index('search_documents_ipr_status_idx').on(t.iprStatus),
    index('search_documents_trl_idx').on(t.trl),
    index('search_documents_sectors_idx').using('gin', t.sectors).with(GIN_OPTIONS),
    index('search_documents_target_countries_idx').using('gin', t.targetCountries).with(GIN_OPTIONS),
    index('search_documents_partnership_types_idx').using('gin', t.partnershipTypes).with(GIN_OPTIONS),
    index('search_documents_sdgs_idx').using('gin', t.sdgs).with(GIN_OPTIONS),
    index('search_documents_indexed_idx').on(t.indexedAt),
    // Covers every filter and facet column: the sample of a filter-only query (and of the empty
    // query) is read from this index alone, a contiguous range, instead of rows all over the heap.
    index('search_documents_sample_idx').on(
      t.sampleKey,
      t.expiresAt,
      t.kind,
      t.country,
      t.stage,
      t.iprStatus,
      t.trl,
      t.publishedAt,
      t.organizationId,
      t.listingId,
      t.sectors,
      t.targetCountries,
      t.partnershipTypes,
      t.sdgs,
      t.facetCodes,
    ),
  ],
);

// The vocabulary of the index, for typo tolerance: a query word that is not in it is replaced by
// its closest words (trigram distance via the GiST index, or the same letters in another order).
// `documents` counts the documents holding the word, so corrections prefer common words.
export const searchWords = pgTable(
  'search_words',
  {
    word: text('word').primaryKey(),
    // The word's letters sorted: a transposition ("soalr") keeps it, where trigrams lose most.
    signature: text('signature').notNull(),
    documents: integer('documents').notNull(),
  },
  (t) => [
    index('search_words_trgm_idx').using('gist', t.word.op('gist_trgm_ops')),
    index('search_words_signature_idx').on(t.signature),
  ],
);

// Rebuilds of the index asked for by admins: the worker runs each as a job of the 'search-reindex'
// queue and writes its progress here, so the admin page of any service copy can show it.
// queued → running → done | failed; a failed run's job can be retried (the run is queued again).
export const searchReindexRuns = pgTable(
  'search_reindex_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    status: text('status').notNull().default('queued'),
    requestedById: uuid('requested_by_id'),
    // Published listings when the run started (an estimate: those past their expiry are left out).
    total: integer('total'),
    indexed: integer('indexed').notNull().default(0),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('search_reindex_runs_created_idx').on(t.createdAt),
    // One rebuild at a time: at most one run is queued or running.
    uniqueIndex('search_reindex_runs_one_open_idx')
      .on(sql`(${t.status} in ('queued', 'running'))`)
      .where(sql`${t.status} in ('queued', 'running')`),
  ],
);
