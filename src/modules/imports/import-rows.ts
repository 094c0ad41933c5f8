import { createHash } from 'node:crypto';
import { ZCreateListingBody } from '../listings/listings.schemas.js';
import {
  TYPICAL_TRL_OF_STAGE,
  matchBoolean,
  matchCountry,
  matchIprStatus,
  matchKind,
  matchOrganizationSize,
  matchOrganizationType,
  matchPartnershipType,
  matchSdg,
  matchSector,
  matchStage,
  matchTrl,
  normalizeWords,
  type Match,
} from '../vocabularies/value-matching.js';
import type { ParsedFile } from './import-file.js';
import { mapHeaders, type HeaderMapping, type ImportField } from './listing-columns.js';
import type { ImportedOrganization, ImportReport, ImportRow, RowIssue, ValueNote } from './imports.schemas.js';

// Turns the parsed file's rows into listings ready to write, and says what it did to each value:
// every value mapped by a guess, every value it could not map, every row it cannot import (with
// the row, the column and the problem).

const ZImportedContent = ZCreateListingBody.omit({ organizationId: true });
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NOTED_ROWS = 20;

export interface MappedFile {
  columns: HeaderMapping[];
  rows: ImportRow[];
  errors: RowIssue[];
  guessed: ValueNote[];
  unmapped: ValueNote[];
  duplicatesInFile: { row: number; sameAsRow: number; externalRef: string }[];
  keyedByTitle: boolean;
}

class Notes {
  private readonly notes = new Map<string, ValueNote>();
  add(row: number, column: string, value: string, mappedTo: string | null) {
    const key = `${column}\u0000${value}\u0000${mappedTo}`;
    const note = this.notes.get(key) ?? { column, value, mappedTo, count: 0, rows: [] };
    note.count++;
    if (note.rows.length < NOTED_ROWS) note.rows.push(row);
    this.notes.set(key, note);
  }
  list() {
    return [...this.notes.values()];
  }
}

function splitList(cell: string): string[] {
  const separator = cell.includes(';') ? /;/ : cell.includes('\n') ? /\r?\n/ : cell.includes('|') ? /\|/ : /,/;
  return cell
    .split(separator)
    .map((part) => part.trim())
    .filter(Boolean);
}

export function mapFile(file: ParsedFile): MappedFile {
  const columns = mapHeaders(file.headers);
  const columnOf = new Map<ImportField, number>();
  columns.forEach((mapping, index) => mapping.field && columnOf.set(mapping.field, index));
  const errors: RowIssue[] = [];
  const guessed = new Notes();
  const unmapped = new Notes();
  const rows: ImportRow[] = [];
  const duplicatesInFile: MappedFile['duplicatesInFile'] = [];
  const seen = new Map<string, { row: number; fingerprint: string }>();
  const keyedByTitle = !columnOf.has('externalRef') && !columnOf.has('reference');

  for (const { row, values } of file.rows) {
    const rowErrors: RowIssue[] = [];
    const header = (field: ImportField) => columns[columnOf.get(field) ?? -1]?.header ?? field;
    const cell = (field: ImportField) => {
      const index = columnOf.get(field);
      return index === undefined ? '' : (values[index] ?? '').trim();
    };
    const fail = (field: ImportField | 'row', message: string) =>
      rowErrors.push({ row, column: field === 'row' ? null : header(field), field: field === 'row' ? null : field, message });

    for (const field of columnOf.keys()) {
      if (CONTROL_CHARACTERS.test(cell(field))) fail(field, 'contains control characters');
    }

    const one = <T>(field: ImportField, match: (value: string) => Match<T>, label: string): T | undefined => {
      const value = cell(field);
      if (!value) return undefined;
      const found = match(value);
      if (!found) {
        unmapped.add(row, header(field), value, null);
        fail(field, `"${value}" is not a known ${label}`);
        return undefined;
      }
      if (found.guessed) guessed.add(row, header(field), value, String(found.code));
      return found.code;
    };
    const many = <T>(field: ImportField, match: (value: string) => Match<T>, options: { strict: boolean; label: string }): T[] => {
      const result: T[] = [];
      for (const value of splitList(cell(field))) {
        const found = match(value);
        if (!found) {
          unmapped.add(row, header(field), value, null);
          if (options.strict) fail(field, `"${value}" is not a known ${options.label}`);
          continue;
        }
        if (found.guessed) guessed.add(row, header(field), value, String(found.code));
        if (!result.includes(found.code)) result.push(found.code);
      }
      return result;
    };

    const kind = one('kind', matchKind, 'kind (offer or request)');
    if (!cell('kind')) fail('kind', 'is required (offer or request)');
    const stage = one('stage', matchStage, 'stage of development');
    let trl = one('trl', matchTrl, 'TRL (1 to 9)');
    if (trl === undefined && !cell('trl') && stage) {
      trl = TYPICAL_TRL_OF_STAGE[stage];
      guessed.add(row, header('trl'), '', `${trl} (typical of stage ${stage})`);
    }
    const iprStatus = one('iprStatus', matchIprStatus, 'IPR status');
    const anonymous = cell('anonymous') ? one('anonymous', matchBoolean, 'yes/no value') : false;
    const content = {
      kind,
      title: cell('title'),
      summary: cell('summary'),
      description: cell('description'),
      advantages: kind === 'offer' ? cell('advantages') || null : null,
      specificationSought: kind === 'request' ? cell('specificationSought') || null : null,
      sectors: many('sectors', matchSector, { strict: true, label: 'sector' }),
      keywords: splitList(cell('keywords')),
      stage,
      trl,
      iprStatus,
      iprNotes: cell('iprNotes') || null,
      partnershipTypes: many('partnershipTypes', matchPartnershipType, { strict: true, label: 'partnership type' }),
      targetCountries: many('targetCountries', matchCountry, { strict: false, label: 'country' }),
      sdgs: many('sdgs', matchSdg, { strict: false, label: 'SDG' }),
      anonymous,
    };
    // A value in the other kind's field is not lost silently.
    if (kind === 'offer' && cell('specificationSought')) unmapped.add(row, header('specificationSought'), cell('specificationSought'), 'dropped: offers state advantages');
    if (kind === 'request' && cell('advantages')) unmapped.add(row, header('advantages'), cell('advantages'), 'dropped: requests state a specification sought');

    const validated = ZImportedContent.safeParse(content);
    if (!validated.success) {
      for (const issue of validated.error.issues) {
        const field = String(issue.path[0] ?? '') as ImportField;
        // A value already reported as unknown is not reported again as missing.
        if (!rowErrors.some((existing) => existing.field === field)) fail(field, issue.message);
      }
    }

    let organization: ImportedOrganization | null = null;
    if (cell('organizationName')) {
      const country = one('organizationCountry', matchCountry, 'country');
      if (!cell('organizationCountry')) fail('organizationCountry', 'is required with an organisation name');
      const type = cell('organizationType') ? one('organizationType', matchOrganizationType, 'organisation type') : undefined;
      const size = cell('organizationSize') ? one('organizationSize', matchOrganizationSize, 'organisation size') : undefined;
      const website = cell('organizationWebsite');
      if (website && !/^https?:\/\/\S+$/i.test(website)) fail('organizationWebsite', 'must be an http(s) URL');
      organization = { name: cell('organizationName'), country: country ?? '', type: type ?? null, size: size ?? null, website: website || null };
    }

    const explicitRef = cell('externalRef') || cell('reference');
    const externalRef = explicitRef || `title:${createHash('sha256').update(`${kind}\u0000${normalizeWords(content.title)}`).digest('hex').slice(0, 20)}`;
    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    const fingerprint = JSON.stringify([validated.data, organization]);
    const earlier = seen.get(externalRef);
    if (earlier) {
      if (earlier.fingerprint === fingerprint) duplicatesInFile.push({ row, sameAsRow: earlier.row, externalRef });
      else errors.push({ row, column: header(explicitRef ? (cell('externalRef') ? 'externalRef' : 'reference') : 'title'), field: null, message: `repeats the reference of row ${earlier.row} with different content` });
      continue;
    }
    seen.set(externalRef, { row, fingerprint });
    rows.push({ row, externalRef, organization, content: validated.data! });
  }
  return { columns, rows, errors, guessed: guessed.list(), unmapped: unmapped.list(), duplicatesInFile, keyedByTitle };
}

export function emptyReport(file: ParsedFile, mapped: MappedFile): Omit<ImportReport, 'organizations' | 'likelyDuplicates' | 'counts'> {
  return {
    format: file.format,
    encoding: file.encoding,
    delimiter: file.delimiter,
    columns: mapped.columns,
    ignoredColumns: mapped.columns.filter((column) => !column.field).map((column) => column.header),
    keyedByTitle: mapped.keyedByTitle,
    emptyRows: file.emptyRows,
    errors: mapped.errors,
    guessed: mapped.guessed,
    unmapped: mapped.unmapped,
    duplicatesInFile: mapped.duplicatesInFile,
  };
}
