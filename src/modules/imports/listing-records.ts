import { LISTING_CONTENT_FIELDS } from '../listings/listings.rules.js';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { TEMPLATE_HEADERS, type ImportField } from './listing-columns.js';

// Listings as flat records (one cell per field, lists joined with "; "), written as CSV, XLSX or
// JSON. Exports and the import template share this, so what is exported imports again.

/** A listing view as the API shapes it (public or full). */
export interface ListingLike {
  reference: string;
  kind: string;
  status: string;
  title: string;
  summary: string;
  description: string;
  advantages: string | null;
  specificationSought: string | null;
  sectors: string[];
  keywords: string[];
  stage: string;
  trl: number;
  iprStatus: string;
  iprNotes: string | null;
  partnershipTypes: string[];
  targetCountries: string[];
  sdgs: number[];
  anonymous: boolean;
  country: string;
  organization: { name: string; type: string; size: string | null; country: string; website: string | null } | null;
  publishedAt: Date | null;
  expiresAt: Date | null;
  updatedAt: Date;
  externalRef?: string | null;
}

export const RECORD_COLUMNS = [
  'externalRef',
  'reference',
  'kind',
  'status',
  ...LISTING_CONTENT_FIELDS,
  'organizationName',
  'organizationCountry',
  'organizationType',
  'organizationSize',
  'organizationWebsite',
  'publishedAt',
  'expiresAt',
  'updatedAt',
] as const;
export type RecordColumn = (typeof RECORD_COLUMNS)[number];
export type ListingRecord = Record<RecordColumn, string>;

const join = (list: readonly (string | number)[]) => list.join('; ');

/**
 * `full`: everything an editor sees. Otherwise public fields only: an anonymous listing shows no
 * organisation (its country stays, as on the public page) and no IPR notes.
 */
export function toRecord(listing: ListingLike, full: boolean): ListingRecord {
  const hidden = !full && listing.anonymous;
  const organization = hidden ? null : listing.organization;
  return {
    externalRef: full ? (listing.externalRef ?? '') : '',
    reference: listing.reference,
    kind: listing.kind,
    status: listing.status,
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    advantages: listing.advantages ?? '',
    specificationSought: listing.specificationSought ?? '',
    sectors: join(listing.sectors),
    keywords: join(listing.keywords),
    stage: listing.stage,
    trl: String(listing.trl),
    iprStatus: listing.iprStatus,
    iprNotes: hidden ? '' : (listing.iprNotes ?? ''),
    partnershipTypes: join(listing.partnershipTypes),
    targetCountries: join(listing.targetCountries),
    sdgs: join(listing.sdgs),
    anonymous: listing.anonymous ? 'true' : 'false',
    organizationName: organization?.name ?? '',
    organizationCountry: listing.country,
    organizationType: organization?.type ?? '',
    organizationSize: organization?.size ?? '',
    organizationWebsite: organization?.website ?? '',
    publishedAt: listing.publishedAt?.toISOString() ?? '',
    expiresAt: listing.expiresAt?.toISOString() ?? '',
    updatedAt: listing.updatedAt.toISOString(),
  };
}

const headerOf = (column: RecordColumn) => (column in TEMPLATE_HEADERS ? TEMPLATE_HEADERS[column as ImportField] : column);

/** UTF-8 with a BOM, so spreadsheet programs open non-ASCII text correctly. */
export function recordsToCsv(records: ListingRecord[], columns: readonly RecordColumn[] = RECORD_COLUMNS): string {
  return '\uFEFF' + stringify([columns.map(headerOf), ...records.map((record) => columns.map((column) => record[column]))], { record_delimiter: '\r\n' });
}

export async function recordsToXlsx(records: ListingRecord[], columns: readonly RecordColumn[] = RECORD_COLUMNS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Listings');
  sheet.addRow(columns.map(headerOf));
  sheet.getRow(1).font = { bold: true };
  for (const record of records) sheet.addRow(columns.map((column) => record[column]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The template's example row: one offer with every column filled as the importer reads it. */
export const TEMPLATE_EXAMPLE: ListingRecord = {
  externalRef: 'YOUR-ID-0001',
  reference: '',
  kind: 'offer',
  status: '',
  title: 'Solar-powered cold room for smallholder farmers',
  summary: 'A 5-tonne cold room running on solar PV with ice thermal storage.',
  description: 'The cold room combines 6 kWp of photovoltaic panels with an ice bank that stores cold for the night.',
  advantages: 'No diesel and no grid connection; 40% cheaper to run than diesel-powered cold stores.',
  specificationSought: '',
  sectors: 'Agriculture and food; Renewable and clean energy',
  keywords: 'cold storage; solar; post-harvest',
  stage: 'On the market',
  trl: '9',
  iprStatus: 'Granted',
  iprNotes: 'TH patent 12345',
  partnershipTypes: 'Licence agreement; Technical cooperation',
  targetCountries: 'Viet Nam; Cambodia',
  sdgs: '2; 7',
  anonymous: 'no',
  organizationName: 'Example Cooling Co., Ltd.',
  organizationCountry: 'Thailand',
  organizationType: 'SME',
  organizationSize: '11–49 employees',
  organizationWebsite: 'https://cooling.example',
  publishedAt: '',
  expiresAt: '',
  updatedAt: '',
};

/** The columns the importer reads, in template order. */
export const TEMPLATE_COLUMNS = RECORD_COLUMNS.filter((column) => column !== 'status' && !column.endsWith('At') && column !== 'reference');
