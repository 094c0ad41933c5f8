import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas.js';
import { ZListingView } from '../listings/listings.schemas.js';
import { XLSX_CONTENT_TYPE, ZExportQuery, type ExportFormat } from './exports.service.js';

// GET /listings/export.{csv,xlsx,json}: the files ListingExport makes for the caller (every field
// for editors and admins, the public fields of live listings for everyone else).
const FORMATS: { format: ExportFormat; summary: string; produces?: string[]; response: z.ZodType }[] = [
  { format: 'csv', summary: 'Export listings as CSV (UTF-8 with BOM) under the list filters; the import reads it back', produces: ['text/csv'], response: z.string().describe('text/csv') },
  { format: 'xlsx', summary: 'Export listings as an XLSX workbook under the list filters; the import reads it back', produces: [XLSX_CONTENT_TYPE], response: z.any().describe(XLSX_CONTENT_TYPE) },
  { format: 'json', summary: 'Export listings as JSON ({ items, total }) under the list filters; the import reads it back', response: z.object({ items: z.array(ZListingView), total: z.number().int() }) },
];

const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const { format, summary, produces, response } of FORMATS) {
    app.get(
      `/export.${format}`,
      { schema: { tags: ['listings'], summary, querystring: ZExportQuery, ...(produces ? { produces } : {}), response: { 200: response, ...errorResponses } } },
      async (request, reply) => {
        const file = await app.services.listingExport.file(request.actor, request.query, format);
        // A string or Buffer is sent as it is: the JSON file went through the listing view's schema.
        return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
      },
    );
  }
};

export default exportRoutes;
