import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BadRequest } from '../../lib/errors.js';
import { signedIn } from '../../plugins/auth.js';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { ZImportUploadQuery, ZImportView } from './imports.schemas.js';
import { recordsToCsv, recordsToXlsx, TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE } from './listing-records.js';
import { XLSX_CONTENT_TYPE } from './exports.service.js';

const RAW_CONTENT_TYPES = ['text/csv', 'text/plain', 'application/json', XLSX_CONTENT_TYPE, 'application/octet-stream'];

const importRoutes: FastifyPluginAsyncZod = async (app) => {
  const { imports } = app.services;

  app.get(
    '/template.csv',
    {
      schema: {
        tags: ['imports'],
        summary: 'The import template (CSV, UTF-8): every column the importer reads, with one example row',
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv') },
      },
    },
    async (_request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="listings-template.csv"')
        .send(recordsToCsv([TEMPLATE_EXAMPLE], TEMPLATE_COLUMNS)),
  );

  app.get(
    '/template.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: 'The import template (XLSX): every column the importer reads, with one example row',
        produces: [XLSX_CONTENT_TYPE],
        response: { 200: z.any().describe(XLSX_CONTENT_TYPE) },
      },
    },
    async (_request, reply) =>
      reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', 'attachment; filename="listings-template.xlsx"')
        .send(await recordsToXlsx([TEMPLATE_EXAMPLE], TEMPLATE_COLUMNS)),
  );

  // The upload takes the file as the raw body (any of RAW_CONTENT_TYPES) or as multipart/form-data
  // (field "file"), in a context of its own so JSON bodies stay raw bytes only here.
  await app.register(async (upload) => {
    upload.removeContentTypeParser(['application/json', 'text/plain']);
    upload.addContentTypeParser(RAW_CONTENT_TYPES, { parseAs: 'buffer', bodyLimit: app.config.partners.importMaxBytes }, (_request, body, done) =>
      done(null, body),
    );
    await upload.register(multipart, { limits: { fileSize: app.config.partners.importMaxBytes, files: 1 } });
    upload.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>().post(
      '',
      {
        bodyLimit: app.config.partners.importMaxBytes,
        config: signedIn,
        schema: {
          tags: ['imports'],
          summary: 'Upload a CSV, XLSX or JSON file of listings: a dry run that writes nothing and answers the report',
          description:
            'Send the file as the body (Content-Type text/csv, application/json or the XLSX type) or as multipart/form-data with a "file" field. Confirm with POST /imports/{id}/confirm.',
          security: bearer,
          consumes: [...RAW_CONTENT_TYPES, 'multipart/form-data'],
          querystring: ZImportUploadQuery,
          response: { 201: ZImportView, ...errorResponses, 413: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const actor = app.requireActor(request);
        let file: { bytes: Buffer; fileName: string; contentType?: string };
        if (request.isMultipart()) {
          const part = await request.file();
          if (!part) throw new BadRequest('The form has no file', [{ path: 'file', message: 'is required' }]);
          file = { bytes: await part.toBuffer(), fileName: request.query.fileName ?? part.filename, contentType: part.mimetype };
        } else {
          if (!Buffer.isBuffer(request.body)) throw new BadRequest('Send the file as the request body', [{ path: 'file', message: 'is required' }]);
          file = { bytes: request.body, fileName: request.query.fileName ?? 'upload', contentType: request.headers['content-type'] };
        }
        const view = await imports.dryRun(actor, file, { asStatus: request.query.asStatus, organizationId: request.query.organizationId });
        return reply.status(201).send(view);
      },
    );
  });

  app.get(
    '/:id',
    {
      config: signedIn,
      schema: {
        tags: ['imports'],
        summary: 'An import: its dry-run report, its progress (processedRows of totalRows) and its result',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZImportView, ...errorResponses },
      },
    },
    async (request) => imports.get(app.requireActor(request), request.params.id),
  );

  app.post(
    '/:id/confirm',
    {
      config: signedIn,
      schema: {
        tags: ['imports'],
        summary: 'Confirm a dry run: the import is queued and written in batches (follow it with GET /imports/{id})',
        security: bearer,
        params: ZIdParams,
        response: { 202: ZImportView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await imports.confirm(app.requireActor(request), request.params.id)),
  );
};

export default importRoutes;
