import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas.js';
import { XLSX_CONTENT_TYPE } from './imports.routes.js';
import { recordsToCsv, recordsToXlsx, toRecord, type ListingLike } from './listing-records.js';
import { ZListingQuery, ZListingView } from '../listings/listings.schemas.js';

// Exports take the listing list's filters (the ones search takes too, plus status for those who
// may see other statuses). Editors and admins get every field; everyone else the public fields of
// live listings, with anonymous owners left out.
const ZExportQuery = ZListingQuery.omit({ limit: true, offset: true });

const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { listings } = app.services;

  async function collect(request: { actor: Parameters<typeof listings.exportRows>[0]; query: z.infer<typeof ZExportQuery> }) {
    const items: { item: Awaited<ReturnType<typeof listings.list>>['items'][number]; full: boolean }[] = [];
    for await (const entry of listings.exportRows(request.actor, request.query)) items.push(entry);
    return items;
  }
  const fileName = (extension: string) => `listings-${app.clock.now().toISOString().slice(0, 10)}.${extension}`;

  app.get(
    '/export.csv',
    {
      schema: {
        tags: ['listings'],
        summary: 'Export listings as CSV (UTF-8 with BOM) under the list filters; the import reads it back',
        querystring: ZExportQuery,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const records = (await collect(request)).map(({ item, full }) => toRecord(item as ListingLike, full));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('csv')}"`)
        .send(recordsToCsv(records));
    },
  );

  app.get(
    '/export.xlsx',
    {
      schema: {
        tags: ['listings'],
        summary: 'Export listings as an XLSX workbook under the list filters; the import reads it back',
        querystring: ZExportQuery,
        produces: [XLSX_CONTENT_TYPE],
        response: { 200: z.any().describe(XLSX_CONTENT_TYPE), ...errorResponses },
      },
    },
    async (request, reply) => {
      const records = (await collect(request)).map(({ item, full }) => toRecord(item as ListingLike, full));
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${fileName('xlsx')}"`)
        .send(await recordsToXlsx(records));
    },
  );

  app.get(
    '/export.json',
    {
      schema: {
        tags: ['listings'],
        summary: 'Export listings as JSON ({ items, total }) under the list filters; the import reads it back',
        querystring: ZExportQuery,
        response: { 200: z.object({ items: z.array(ZListingView), total: z.number().int() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const items = (await collect(request)).map(({ item }) => item);
      reply.header('content-disposition', `attachment; filename="${fileName('json')}"`);
      return { items, total: items.length };
    },
  );
};

export default exportRoutes;
