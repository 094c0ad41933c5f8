import { z } from 'zod';
import { ZCreateListingBody } from '../listings/listings.schemas.js';
import { IMPORT_FIELDS } from './listing-columns.js';

export const IMPORT_STATUSES = ['draft', 'submitted', 'published'] as const;
export const IMPORT_RUN_STATUSES = ['dry_run', 'queued', 'running', 'completed', 'completed_with_errors', 'failed'] as const;

export const ZRowIssue = z.object({
  row: z.number().int().describe('Spreadsheet row (the header is row 1); for JSON, the item number (1 = first)'),
  column: z.string().nullable().describe('The column header as written in the file'),
  field: z.enum(IMPORT_FIELDS).nullable(),
  message: z.string(),
});
export type RowIssue = z.infer<typeof ZRowIssue>;

export const ZValueNote = z.object({
  column: z.string(),
  value: z.string(),
  mappedTo: z.string().nullable().describe('The code the value was mapped to by a guess; null when it could not be mapped'),
  count: z.number().int().describe('Rows with this value'),
  rows: z.array(z.number().int()).describe('The first 20 of those rows'),
});
export type ValueNote = z.infer<typeof ZValueNote>;

export const ZImportedOrganization = z.object({
  name: z.string(),
  country: z.string(),
  type: z.string().nullable(),
  size: z.string().nullable(),
  website: z.string().nullable(),
});
export type ImportedOrganization = z.infer<typeof ZImportedOrganization>;

/** One row as the dry run checked it: what confirm writes. */
export const ZImportRow = z.object({
  row: z.number().int(),
  externalRef: z.string(),
  organization: ZImportedOrganization.nullable(),
  content: ZCreateListingBody.omit({ organizationId: true }),
});
export type ImportRow = z.infer<typeof ZImportRow>;

export const ZImportReport = z.object({
  format: z.enum(['csv', 'xlsx', 'json']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  columns: z.array(z.object({ header: z.string(), field: z.enum(IMPORT_FIELDS).nullable(), guessed: z.boolean() })),
  ignoredColumns: z.array(z.string()),
  keyedByTitle: z.boolean().describe('No reference column: re-runs recognise rows by kind and title'),
  emptyRows: z.array(z.number().int()),
  errors: z.array(ZRowIssue).describe('Rows that will not be imported, with the column and the problem'),
  guessed: z.array(ZValueNote),
  unmapped: z.array(ZValueNote).describe('Values that could not be mapped (dropped from optional lists; errors in required ones)'),
  duplicatesInFile: z.array(z.object({ row: z.number().int(), sameAsRow: z.number().int(), externalRef: z.string() })),
  likelyDuplicates: z
    .array(z.object({ row: z.number().int(), title: z.string(), existingId: z.uuid(), existingReference: z.string(), existingTitle: z.string(), similarity: z.number() }))
    .describe('Rows whose title closely resembles a listing already in the database under another reference'),
  organizations: z.array(
    z.object({ name: z.string(), country: z.string(), action: z.enum(['match', 'create']), organizationId: z.uuid().nullable(), rows: z.number().int() }),
  ),
  counts: z.object({
    rows: z.number().int(),
    valid: z.number().int(),
    errors: z.number().int(),
    duplicatesInFile: z.number().int(),
    create: z.number().int(),
    update: z.number().int().describe('Rows whose reference the organisation already holds: they update that listing'),
  }),
});
export type ImportReport = z.infer<typeof ZImportReport>;

export const ZImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failedRows: z.number().int().describe('Rows of failed batches: none of a failed batch is written'),
  batches: z.array(
    z.object({ firstRow: z.number().int(), lastRow: z.number().int(), ok: z.boolean(), error: ZRowIssue.nullable() }),
  ),
  organizationsCreated: z.number().int(),
});
export type ImportResult = z.infer<typeof ZImportResult>;

export const ZImportView = z.object({
  id: z.uuid(),
  status: z.enum(IMPORT_RUN_STATUSES),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx', 'json']),
  asStatus: z.enum(IMPORT_STATUSES),
  organizationId: z.uuid().nullable(),
  totalRows: z.number().int().describe('Rows that will be written on confirm'),
  processedRows: z.number().int(),
  report: ZImportReport,
  result: ZImportResult.nullable(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
});

export const ZImportUploadQuery = z.object({
  fileName: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f/\\]+$/, { message: 'must be a plain file name' }).optional(),
  asStatus: z.enum(IMPORT_STATUSES).default('draft').describe('Status of created listings: draft, submitted, or published (editors)'),
  organizationId: z.uuid().optional().describe('Import every row for this organisation (its columns are then ignored)'),
});
