import { LISTING_CONTENT_FIELDS } from '../listings/listings.rules.js';
import { normalizeWords } from '../vocabularies/value-matching.js';

// The columns of an import or export file: the field each feeds, the header the template and the
// exports write, and the headers other systems use for it. One table, so a file exported here
// imports again unchanged, and the template shows exactly what the importer reads.

export const IMPORT_FIELDS = [
  'externalRef',
  'reference',
  'kind',
  ...LISTING_CONTENT_FIELDS,
  'organizationName',
  'organizationCountry',
  'organizationType',
  'organizationSize',
  'organizationWebsite',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields whose cells hold lists (separated by ";", "," or line breaks). */
export const LIST_FIELDS: ReadonlySet<ImportField> = new Set(['sectors', 'keywords', 'partnershipTypes', 'targetCountries', 'sdgs']);

const HEADER_SYNONYMS: Record<ImportField, readonly string[]> = {
  externalRef: ['externalRef', 'external reference', 'external id', 'source id', 'record id', 'profile id', 'your reference', 'legacy id', 'import id'],
  reference: ['reference', 'ref', 'reference code', 'profile reference', 'code'],
  kind: ['kind', 'offer or request', 'offer/request', 'listing type', 'profile type', 'type of profile', 'type of listing'],
  title: ['title', 'name', 'technology title', 'technology name', 'technology', 'profile title', 'listing title'],
  summary: ['summary', 'abstract', 'short description', 'teaser', 'brief'],
  description: ['description', 'full description', 'long description', 'details', 'technology description'],
  advantages: ['advantages', 'advantages and innovation', 'innovation and advantages', 'innovation', 'benefits', 'innovative aspects'],
  specificationSought: ['specificationSought', 'technical specification sought', 'specification', 'requirements', 'technical specification', 'specification required'],
  sectors: ['sectors', 'sector', 'focus area', 'focus areas', 'industry', 'industries', 'field', 'fields', 'technology area'],
  keywords: ['keywords', 'technology keywords', 'tags', 'keyword'],
  stage: ['stage', 'stage of development', 'development stage', 'maturity'],
  trl: ['trl', 'technology readiness level', 'readiness level'],
  iprStatus: ['iprStatus', 'ipr', 'ip', 'ip status', 'intellectual property', 'patent status', 'ipr protection'],
  iprNotes: ['iprNotes', 'ip notes', 'patent numbers', 'ipr details', 'patents'],
  partnershipTypes: ['partnershipTypes', 'partnership type', 'partnership sought', 'type of partnership', 'cooperation type', 'partnership', 'type of cooperation'],
  targetCountries: ['targetCountries', 'target country', 'target markets', 'countries sought', 'markets'],
  sdgs: ['sdgs', 'sdg', 'sustainable development goals', 'goals'],
  anonymous: ['anonymous', 'confidential', 'hide organisation', 'anonymised'],
  organizationName: ['organization name', 'organisation name', 'organization', 'organisation', 'company', 'company name', 'institution', 'owner', 'applicant', 'org name'],
  organizationCountry: ['organization country', 'organisation country', 'country', 'country of origin', 'owner country', 'org country'],
  organizationType: ['organization type', 'organisation type', 'type of organisation', 'type of organization', 'org type'],
  organizationSize: ['organization size', 'organisation size', 'size', 'employees', 'company size', 'number of employees'],
  organizationWebsite: ['organization website', 'organisation website', 'website', 'web', 'url', 'homepage'],
};

/** What the template and the exports write as the column header. */
export const TEMPLATE_HEADERS: Record<ImportField, string> = {
  externalRef: 'externalRef',
  reference: 'reference',
  kind: 'kind',
  title: 'title',
  summary: 'summary',
  description: 'description',
  advantages: 'advantages',
  specificationSought: 'specificationSought',
  sectors: 'sectors',
  keywords: 'keywords',
  stage: 'stage',
  trl: 'trl',
  iprStatus: 'iprStatus',
  iprNotes: 'iprNotes',
  partnershipTypes: 'partnershipTypes',
  targetCountries: 'targetCountries',
  sdgs: 'sdgs',
  anonymous: 'anonymous',
  organizationName: 'organizationName',
  organizationCountry: 'organizationCountry',
  organizationType: 'organizationType',
  organizationSize: 'organizationSize',
  organizationWebsite: 'organizationWebsite',
};

const squash = (header: string) => normalizeWords(header).replace(/ /g, '');

const EXACT = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) for (const synonym of HEADER_SYNONYMS[field]) EXACT.set(squash(synonym), field);
// Longest first, so "organisation country" wins over "country" when a header contains both.
const CONTAINED = [...EXACT.entries()].filter(([words]) => words.length >= 4).sort((a, b) => b[0].length - a[0].length);

export interface HeaderMapping {
  header: string;
  field: ImportField | null;
  /** Not an exact synonym: a part of a merged header ("Title / Name") or a header containing one. */
  guessed: boolean;
}

/**
 * Maps each header to the field it feeds. Exact names claim their fields first, then guesses take
 * the fields left ("organizationId" must not take the organisation name from "organization name");
 * a field claimed twice keeps its first column.
 */
export function mapHeaders(headers: string[]): HeaderMapping[] {
  const found = headers.map((header) => fieldOfHeader(header));
  const taken = new Set<ImportField>();
  const result: HeaderMapping[] = headers.map((header) => ({ header, field: null, guessed: false }));
  for (const exactPass of [true, false]) {
    found.forEach((match, index) => {
      if (!match || match.guessed !== !exactPass || taken.has(match.field)) return;
      taken.add(match.field);
      result[index] = { header: headers[index]!, ...match };
    });
  }
  return result;
}

function fieldOfHeader(header: string): { field: ImportField; guessed: boolean } | null {
  const withoutNotes = header.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');
  const exact = EXACT.get(squash(withoutNotes));
  if (exact) return { field: exact, guessed: squash(withoutNotes) !== squash(header) };
  for (const part of withoutNotes.split(/[/|+&]/)) {
    const field = EXACT.get(squash(part));
    if (field) return { field, guessed: true };
  }
  const words = squash(withoutNotes);
  for (const [synonym, field] of CONTAINED) if (words.includes(synonym)) return { field, guessed: true };
  return null;
}
