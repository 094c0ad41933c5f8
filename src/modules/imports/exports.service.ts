import type { Actor } from '../../plugins/auth.js';
import type { Clock } from '../../lib/clock.js';
import { ZListingQuery, ZListingView } from '../listings/listings.schemas.js';
import type { ListingService } from '../listings/listings.service.js';
import { recordsToCsv, recordsToXlsx, toRecord, type ListingLike } from './listing-records.js';

// Exports take the listing list's filters (the ones search takes too, plus status for those who
// may see other statuses). Editors and admins get every field; everyone else the public fields of
// live listings, with anonymous owners left out. The API and the web pages answer the same files.
export const ZExportQuery = ZListingQuery.omit({ limit: true, offset: true });
export type ExportQuery = ReturnType<typeof ZExportQuery.parse>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportFile {
  contentType: string;
  fileName: string;
  body: string | Buffer;
}

export class ListingExport {
  constructor(private readonly deps: { listings: ListingService; clock: Clock }) {}

  async file(actor: Actor | null, query: ExportQuery, format: ExportFormat): Promise<ExportFile> {
    const entries: { item: ListingLike; full: boolean }[] = [];
    for await (const entry of this.deps.listings.exportRows(actor, query)) entries.push({ item: entry.item as ListingLike, full: entry.full });
    const fileName = `listings-${this.deps.clock.now().toISOString().slice(0, 10)}.${format}`;
    if (format === 'json') {
      // Through the API's response schema, which keeps the listing view's fields and nothing else.
      const items = entries.map(({ item }) => ZListingView.parse(item));
      return { contentType: 'application/json; charset=utf-8', fileName, body: JSON.stringify({ items, total: items.length }) };
    }
    const records = entries.map(({ item, full }) => toRecord(item, full));
    if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', fileName, body: recordsToCsv(records) };
    return { contentType: XLSX_CONTENT_TYPE, fileName, body: await recordsToXlsx(records) };
  }
}
