import { COUNTRY_CODES } from '../vocabularies/countries.js';
import { IPR_STATUSES, LISTING_KINDS, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../vocabularies/enums.js';
import { activeFilters, type ListingFilterName } from '../listings/listings.filters.js';
import type { SearchFilters } from './search.port.js';

// The Meilisearch filter expression of a search, compiled from the listing filter vocabulary
// (src/modules/listings/listings.filters.ts; index attributes bear the listing fields' names). Two locks on every value: it must belong to its
// controlled list (or be a UUID, an integer in range, a date), and it is written as a quoted,
// escaped string literal, so even a value that slipped through could not change the expression.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class InvalidFilterValue extends Error {
  constructor(field: string, value: unknown) {
    super(`Search filter ${field} holds a value outside its list: ${JSON.stringify(value)}`);
    this.name = 'InvalidFilterValue';
  }
}

/** A Meilisearch string literal: double quotes, with backslashes and double quotes escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function checked(field: string, values: readonly string[], allowed: (value: string) => boolean): string[] {
  for (const value of values) if (typeof value !== 'string' || !allowed(value)) throw new InvalidFilterValue(field, value);
  return values.map(quoteFilterValue);
}

function integer(field: string, value: number, min: number, max: number): string {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidFilterValue(field, value);
  return String(value);
}

function timestamp(field: string, value: Date): string {
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidFilterValue(field, value);
  return String(ms);
}

const inList = (list: readonly string[]) => {
  const set = new Set(list);
  return (value: string) => set.has(value);
};
const codes = (list: readonly { code: string }[]) => inList(list.map((entry) => entry.code));

const isKind = inList(LISTING_KINDS);
const isSector = codes(SECTORS);
const isStage = codes(STAGES);
const isIprStatus = codes(IPR_STATUSES);
const isPartnershipType = codes(PARTNERSHIP_TYPES);
const isCountry = (value: string) => COUNTRY_CODES.has(value);
const isUuid = (value: string) => UUID.test(value);

/** Each filter's values as filter literals, checked against their list first. */
const LITERALS: Record<ListingFilterName, (name: string, value: never) => string[]> = {
  kind: (name, value: string) => checked(name, [value], isKind),
  sectors: (name, values: string[]) => checked(name, values, isSector),
  countries: (name, values: string[]) => checked(name, values, isCountry),
  targetCountries: (name, values: string[]) => checked(name, values, isCountry),
  stages: (name, values: string[]) => checked(name, values, isStage),
  trlMin: (name, value: number) => [integer(name, value, 1, 9)],
  trlMax: (name, value: number) => [integer(name, value, 1, 9)],
  iprStatuses: (name, values: string[]) => checked(name, values, isIprStatus),
  partnershipTypes: (name, values: string[]) => checked(name, values, isPartnershipType),
  sdgs: (name, values: number[]) => values.map((sdg) => integer(name, sdg, 1, 17)),
  publishedAfter: (name, value: Date) => [timestamp(name, value)],
};

/** Attribute names as the index holds them (see MEILI_SETTINGS). */
export function buildMeiliFilter(filters: SearchFilters): string {
  const clauses: string[] = [`expiresAt > ${timestamp('validAt', filters.validAt)}`];
  const noneOf = (attribute: string, quoted: string[]) => clauses.push(`${attribute} NOT IN [${quoted.join(', ')}]`);
  for (const { name, definition, value } of activeFilters(filters)) {
    const [first, ...rest] = LITERALS[name](name, value as never);
    switch (definition.test) {
      // On a list attribute, IN matches a document holding any of the values.
      case 'equals':
      case 'oneOf':
      case 'overlaps':
        clauses.push(`${definition.field} IN [${[first, ...rest].join(', ')}]`);
        break;
      case 'atLeast':
      case 'onOrAfter':
        clauses.push(`${definition.field} >= ${first}`);
        break;
      case 'atMost':
        clauses.push(`${definition.field} <= ${first}`);
        break;
    }
  }
  if (filters.excludeIds?.length) noneOf('id', checked('excludeIds', filters.excludeIds, isUuid));
  if (filters.excludeOrganizationIds?.length) noneOf('organizationId', checked('excludeOrganizationIds', filters.excludeOrganizationIds, isUuid));
  return clauses.join(' AND ');
}
