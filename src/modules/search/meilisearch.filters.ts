import { COUNTRY_CODES } from '../vocabularies/countries.js';
import { IPR_STATUSES, LISTING_KINDS, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../vocabularies/enums.js';
import type { SearchFilters } from './search.port.js';

// The Meilisearch filter expression of a search. Two locks on every value: it must belong to its
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

/** Attribute names as the index holds them (see MEILI_SETTINGS). */
export function buildMeiliFilter(filters: SearchFilters): string {
  const clauses: string[] = [`expiresAt > ${timestamp('validAt', filters.validAt)}`];
  const anyOf = (attribute: string, quoted: string[]) => clauses.push(`${attribute} IN [${quoted.join(', ')}]`);
  const noneOf = (attribute: string, quoted: string[]) => clauses.push(`${attribute} NOT IN [${quoted.join(', ')}]`);
  if (filters.kind !== undefined) anyOf('kind', checked('kind', [filters.kind], isKind));
  if (filters.sectors?.length) anyOf('sectors', checked('sectors', filters.sectors, isSector));
  if (filters.countries?.length) anyOf('country', checked('countries', filters.countries, isCountry));
  if (filters.targetCountries?.length) anyOf('targetCountries', checked('targetCountries', filters.targetCountries, isCountry));
  if (filters.stages?.length) anyOf('stage', checked('stages', filters.stages, isStage));
  if (filters.trlMin !== undefined) clauses.push(`trl >= ${integer('trlMin', filters.trlMin, 1, 9)}`);
  if (filters.trlMax !== undefined) clauses.push(`trl <= ${integer('trlMax', filters.trlMax, 1, 9)}`);
  if (filters.iprStatuses?.length) anyOf('iprStatus', checked('iprStatuses', filters.iprStatuses, isIprStatus));
  if (filters.partnershipTypes?.length) anyOf('partnershipTypes', checked('partnershipTypes', filters.partnershipTypes, isPartnershipType));
  if (filters.sdgs?.length) anyOf('sdgs', filters.sdgs.map((sdg) => integer('sdgs', sdg, 1, 17)));
  if (filters.publishedAfter !== undefined) clauses.push(`publishedAt >= ${timestamp('publishedAfter', filters.publishedAfter)}`);
  if (filters.excludeIds?.length) noneOf('id', checked('excludeIds', filters.excludeIds, isUuid));
  if (filters.excludeOrganizationIds?.length) noneOf('organizationId', checked('excludeOrganizationIds', filters.excludeOrganizationIds, isUuid));
  return clauses.join(' AND ');
}
