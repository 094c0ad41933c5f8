import { parse as parseCsv } from 'csv-parse/sync';
import chardet from 'chardet';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BadRequest } from '../../lib/errors.js';

// Reads an uploaded file into a header row and data rows of strings, whatever its format and
// encoding. Row numbers are those a spreadsheet shows (the header is row 1); for JSON, the item's
// position in the array plus one, so messages read alike for every format.

export const IMPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ParsedFile {
  format: ImportFormat;
  /** The character encoding the text was read in (CSV and JSON). */
  encoding: string | null;
  /** The CSV field separator found on the header line. */
  delimiter: string | null;
  headers: string[];
  rows: { row: number; values: string[] }[];
  /** Rows with no value at all (skipped). */
  emptyRows: number[];
}

const XLSX_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The format from the file name or content type, else from the bytes. */
export function detectFormat(bytes: Buffer, fileName: string, contentType?: string): ImportFormat {
  const extension = /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension === 'xlsx' || contentType?.includes('spreadsheetml')) return 'xlsx';
  if (extension === 'json' || contentType?.includes('json')) return 'json';
  if (extension === 'csv' || extension === 'txt' || contentType?.includes('csv')) return 'csv';
  if (bytes.subarray(0, 4).equals(XLSX_SIGNATURE)) return 'xlsx';
  const start = bytes.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return start.startsWith('[') || start.startsWith('{') ? 'json' : 'csv';
}

export async function parseImportFile(bytes: Buffer, fileName: string, contentType?: string): Promise<ParsedFile> {
  if (bytes.length === 0) throw new BadRequest('The file is empty', [{ path: 'file', message: 'is empty' }], 'empty_file');
  const format = detectFormat(bytes, fileName, contentType);
  if (format === 'xlsx') return parseXlsx(bytes);
  const { text, encoding } = decodeText(bytes);
  return format === 'json' ? parseJson(text, encoding) : parseCsvText(text, encoding);
}

/**
 * UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as such; anything that is not valid
 * UTF-8 is read in the encoding chardet finds most likely (spreadsheets saved on Windows are
 * usually Windows-1252, which iconv reads for ISO-8859-1 too: it is a superset).
 */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'UTF-8 (BOM)' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(bytes.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    const detected = chardet.detect(bytes) ?? 'windows-1252';
    const encoding = /^ISO-8859-1$/i.test(detected) || !iconv.encodingExists(detected) ? 'windows-1252' : detected;
    return { text: iconv.decode(bytes, encoding), encoding };
  }
}

/** The separator is whichever of ; , tab occurs most on the header line (the first non-blank one). */
function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const counts = [';', ',', '\t'].map((delimiter) => ({ delimiter, n: firstLine.split(delimiter).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.delimiter : ',';
}

function parseCsvText(text: string, encoding: string): ParsedFile {
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BadRequest(`The CSV file cannot be read: ${message}`, [{ path: 'file', message }], 'unreadable_file');
  }
  return toParsed('csv', encoding, delimiter, records);
}

function toParsed(format: ImportFormat, encoding: string | null, delimiter: string | null, records: string[][]): ParsedFile {
  const headerIndex = records.findIndex((record) => record.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) throw new BadRequest('The file has no header row', [{ path: 'file', message: 'has no header row' }], 'empty_file');
  const headers = records[headerIndex]!.map((cell) => cell.trim());
  const rows: ParsedFile['rows'] = [];
  const emptyRows: number[] = [];
  records.slice(headerIndex + 1).forEach((values, index) => {
    const row = headerIndex + index + 2;
    if (values.every((cell) => cell.trim() === '')) emptyRows.push(row);
    else rows.push({ row, values });
  });
  return { format, encoding, delimiter, headers, rows, emptyRows };
}

async function parseXlsx(bytes: Buffer): Promise<ParsedFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BadRequest(`The XLSX file cannot be read: ${message}`, [{ path: 'file', message }], 'unreadable_file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new BadRequest('The workbook has no sheet', [{ path: 'file', message: 'has no sheet' }], 'empty_file');
  const records: string[][] = [];
  const width = sheet.columnCount;
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const values: string[] = [];
    for (let c = 1; c <= width; c++) values.push(cellText(row.getCell(c)));
    records.push(values);
  }
  return toParsed('xlsx', null, null, records);
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'result' in value) return value.result === undefined ? '' : String(value.result);
  if (typeof value === 'object' && 'text' in value) return String(value.text);
  return String(value);
}

/** An array of objects, or an object with an `items` array (the JSON export); nested objects become "parent child" columns. */
function parseJson(text: string, encoding: string): ParsedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BadRequest(`The JSON file cannot be read: ${message}`, [{ path: 'file', message }], 'unreadable_file');
  }
  const items = Array.isArray(data) ? data : data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items) ? (data as { items: unknown[] }).items : null;
  if (!items) throw new BadRequest('The JSON file must hold an array of listings (or { "items": [...] })', [{ path: 'file', message: 'is not an array of objects' }], 'unreadable_file');
  const flat = items.map((item) => (item && typeof item === 'object' && !Array.isArray(item) ? flatten(item as Record<string, unknown>) : {}));
  const headers: string[] = [];
  for (const record of flat) for (const key of Object.keys(record)) if (!headers.includes(key)) headers.push(key);
  const records = [headers, ...flat.map((record) => headers.map((header) => record[header] ?? ''))];
  const parsed = toParsed('json', encoding, null, records);
  // JSON items are numbered by position (1 = the first item), not by spreadsheet row.
  return { ...parsed, rows: parsed.rows.map((entry) => ({ ...entry, row: entry.row - 1 })), emptyRows: parsed.emptyRows.map((row) => row - 1) };
}

function flatten(record: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    const name = prefix ? `${prefix} ${key}` : key;
    if (value === null || value === undefined) out[name] = '';
    else if (Array.isArray(value)) out[name] = value.map((entry) => String(entry)).join('; ');
    else if (typeof value === 'object') Object.assign(out, flatten(value as Record<string, unknown>, name));
    else out[name] = String(value);
  }
  return out;
}
