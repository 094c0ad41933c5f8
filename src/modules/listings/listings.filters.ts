import { sql, type SQL } from 'drizzle-orm';
import type { IprStatus, ListingKind, PartnershipType, Sector, Stage } from '../vocabularies/enums.js';

// The filter vocabulary of listings, described once: each filter's name in the API, the listing
// field it tests and how. The listings query, the PostgreSQL search engine, the Meilisearch filter
// and the alert check on a new listing are all compiled from this description, so a filter means
// the same everywhere (tests/listing-filters.test.ts checks that the four agree).

/** The filters, by their internal names (plural for lists: any of the values may match). */
export interface ListingFilters {
  kind?: ListingKind;
  sectors?: Sector[];
  /** The owner organisation's country. */
  countries?: string[];
  targetCountries?: string[];
  stages?: Stage[];
  trlMin?: number;
  trlMax?: number;
  iprStatuses?: IprStatus[];
  partnershipTypes?: PartnershipType[];
  sdgs?: number[];
  publishedAfter?: Date;
}

/** What a filter tests: the listing field and the filter value, as the description's `test` says. */
export interface FilterableListing {
  kind: string;
  sectors: readonly string[];
  country: string;
  targetCountries: readonly string[];
  stage: string;
  trl: number;
  iprStatus: string;
  partnershipTypes: readonly string[];
  sdgs: readonly number[];
  publishedAt: Date;
}

export type FilterField = keyof FilterableListing;

/**
 * equals: the field is the value; oneOf: the field is one of the values; overlaps: the (list) field
 * holds at least one of the values; atLeast / atMost: a number bound, inclusive; onOrAfter: a
 * date bound, inclusive.
 */
export type FilterTest = 'equals' | 'oneOf' | 'overlaps' | 'atLeast' | 'atMost' | 'onOrAfter';

interface FilterDefinition {
  /** The query-string (and saved-search) name. */
  param: string;
  field: FilterField;
  test: FilterTest;
  /** The SQL type of the elements of a list field (overlaps only). */
  elementType?: 'text' | 'smallint';
}

export const LISTING_FILTERS = {
  kind: { param: 'kind', field: 'kind', test: 'equals' },
  sectors: { param: 'sector', field: 'sectors', test: 'overlaps', elementType: 'text' },
  countries: { param: 'country', field: 'country', test: 'oneOf' },
  targetCountries: { param: 'targetCountry', field: 'targetCountries', test: 'overlaps', elementType: 'text' },
  stages: { param: 'stage', field: 'stage', test: 'oneOf' },
  trlMin: { param: 'trlMin', field: 'trl', test: 'atLeast' },
  trlMax: { param: 'trlMax', field: 'trl', test: 'atMost' },
  iprStatuses: { param: 'iprStatus', field: 'iprStatus', test: 'oneOf' },
  partnershipTypes: { param: 'partnershipType', field: 'partnershipTypes', test: 'overlaps', elementType: 'text' },
  sdgs: { param: 'sdg', field: 'sdgs', test: 'overlaps', elementType: 'smallint' },
  publishedAfter: { param: 'publishedAfter', field: 'publishedAt', test: 'onOrAfter' },
} as const satisfies { [Name in keyof Required<ListingFilters>]: FilterDefinition };

export type ListingFilterName = keyof typeof LISTING_FILTERS;

/** The filters under their API names (`sector=…&trlMin=…`), as the listing, search, match and saved-search queries take them. */
export type ListingFilterParams = { [Name in ListingFilterName as (typeof LISTING_FILTERS)[Name]['param']]?: ListingFilters[Name] };

/** A filter narrows only when it has a value: an empty list or a missing one leaves it out. */
function isSet(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
}

/** The filters in force, each with its definition, in the description's order. */
export function activeFilters(filters: ListingFilters) {
  const active: { name: ListingFilterName; definition: FilterDefinition; value: NonNullable<ListingFilters[ListingFilterName]> }[] = [];
  for (const name of Object.keys(LISTING_FILTERS) as ListingFilterName[]) {
    const value = filters[name];
    if (isSet(value)) active.push({ name, definition: LISTING_FILTERS[name], value: value! });
  }
  return active;
}

/** The API's filter parameters under their internal names; unset and empty ones are left out. */
export function filtersFromParams(params: ListingFilterParams): ListingFilters {
  const filters: Record<string, unknown> = {};
  for (const name of Object.keys(LISTING_FILTERS) as ListingFilterName[]) {
    const value = params[LISTING_FILTERS[name].param];
    if (isSet(value)) filters[name] = value;
  }
  return filters as ListingFilters;
}

/** The filters tested on a listing in memory (alerts check each new listing against saved searches). */
export function matchesListingFilters(filters: ListingFilters, listing: FilterableListing): boolean {
  return activeFilters(filters).every(({ definition, value }) => {
    const field = listing[definition.field];
    switch (definition.test) {
      case 'equals':
        return field === value;
      case 'oneOf':
        return (value as readonly unknown[]).includes(field);
      case 'overlaps':
        return (value as readonly unknown[]).some((wanted) => (field as readonly unknown[]).includes(wanted));
      case 'atLeast':
        return (field as number) >= (value as number);
      case 'atMost':
        return (field as number) <= (value as number);
      case 'onOrAfter':
        return (field as Date).getTime() >= (value as Date).getTime();
    }
  });
}

/**
 * The filters as SQL conditions on a table that holds the listing fields; `column` names each
 * field's expression there (a query may write one so that no index answers it, see the PostgreSQL
 * search engine).
 */
export function listingFilterConditions(filters: ListingFilters, column: (field: FilterField) => SQL): SQL[] {
  return activeFilters(filters).map(({ definition, value }) => {
    const target = column(definition.field);
    switch (definition.test) {
      case 'equals':
        return sql`${target} = ${value}`;
      case 'oneOf':
        return sql`${target} in ${value}`;
      case 'overlaps':
        return sql`${target} && array[${sql.join((value as readonly (string | number)[]).map((element) => sql`${element}`), sql`, `)}]::${sql.raw(definition.elementType ?? 'text')}[]`;
      case 'atLeast':
        return sql`${target} >= ${value}`;
      case 'atMost':
        return sql`${target} <= ${value}`;
      case 'onOrAfter':
        return sql`${target} >= ${(value as Date).toISOString()}::timestamptz`;
    }
  });
}
