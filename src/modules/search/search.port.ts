import type { ListingFilters } from '../listings/listings.filters.js';
import type { IprStatus, ListingKind, PartnershipType, Sector, Stage } from '../vocabularies/enums.js';

// The port every search engine adapter implements (PostgreSQL built-in, Meilisearch). Services
// (search API, matching, Tech Monitor suggestions) only ever talk to this interface.

/** What the index holds for one published listing. Only public data, plus ids for exclusion filters. */
export interface SearchDocument {
  id: string;
  reference: string;
  kind: ListingKind;
  title: string;
  summary: string;
  description: string;
  /** advantages (offers) or specification sought (requests) */
  details: string;
  keywords: string[];
  sectors: Sector[];
  /** Owner organisation's country (public even for anonymous listings). */
  country: string;
  targetCountries: string[];
  stage: Stage;
  trl: number;
  iprStatus: IprStatus;
  partnershipTypes: PartnershipType[];
  sdgs: number[];
  /** Null when the listing is anonymous: the index never holds an anonymous owner's name. */
  organizationName: string | null;
  /** Internal: lets matching exclude a seeker's own organisation. Never returned, faceted or user-filtered. */
  organizationId: string;
  publishedAt: Date;
  expiresAt: Date;
}

export const FACET_FIELDS = ['kind', 'sectors', 'country', 'targetCountries', 'stage', 'iprStatus', 'partnershipTypes', 'sdgs', 'trl'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** The listing filters (src/modules/listings/listings.filters.ts), and what every search adds. */
export interface SearchFilters extends ListingFilters {
  /** Only listings valid at this instant (expiresAt later than it). */
  validAt: Date;
  /** Internal filters for matching and suggestions; never taken from user input. */
  excludeIds?: string[];
  excludeOrganizationIds?: string[];
}

export interface SearchQuery {
  text: string;
  /** 'all': every word must match (search box); 'any': any word may match, ranked (matching candidates). */
  mode: 'all' | 'any';
  filters: SearchFilters;
  sort: 'relevance' | 'newest';
  limit: number;
  offset: number;
  facets?: readonly FacetField[];
  highlight?: boolean;
  /**
   * The words are the listings' own (matching's candidate queries are made of words the index
   * holds): an engine need not analyse them for typos and may take each as it is.
   */
  exactWords?: boolean;
}

export interface SearchHit {
  id: string;
  /** Engine relevance normalised to 0..1 within the result (1 = best), 0 for the empty query. */
  score: number;
  /** Matched fragments with <mark>…</mark> around the matches; text is HTML-escaped. */
  highlights: Partial<Record<'title' | 'summary' | 'description' | 'details' | 'keywords', string>>;
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  facets: Partial<Record<FacetField, Record<string, number>>>;
  /** True when total and facet counts are estimates (an engine may estimate them for very many hits). */
  approximate?: boolean;
}

export interface SearchEngine {
  readonly name: 'postgres' | 'meilisearch';
  /**
   * How many listings an any-word query may reach and still have every hit ranked (null: any
   * number). Callers that build such queries from many terms (matching) keep within it.
   */
  readonly anyWordHitBudget: number | null;
  /** Creates the index and applies settings when they changed. Idempotent. */
  ensureReady(): Promise<void>;
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Number of documents in the index. */
  count(): Promise<number>;
  /** Rebuilds the whole index from `batches` without the live index ever going empty. */
  rebuild(batches: AsyncIterable<SearchDocument[]>, onProgress?: (indexed: number) => void): Promise<void>;
}
