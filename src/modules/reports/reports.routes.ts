import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, textBody } from '../../lib/http-schemas.js';
import { summaryCsvFilename, summaryToCsv } from './reports.service.js';
import { ZReportQuery, ZSummaryReport } from './reports.schemas.js';
import { staffOnly } from '../../plugins/auth.js';

const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { reports } = app.services;

  app.get(
    '/summary',
    {
      config: staffOnly,
      schema: {
        tags: ['reports'],
        summary: 'Editors and admins: figures for the annual report (listings, EOIs, introductions, Tech Monitor, subscribers, mail)',
        security: bearer,
        querystring: ZReportQuery,
        response: { 200: ZSummaryReport, ...errorResponses },
      },
    },
    async (request) => reports.summary(request.query),
  );

  app.get(
    '/summary.csv',
    {
      config: staffOnly,
      schema: {
        tags: ['reports'],
        summary: 'The same figures as CSV (section, code, label, value)',
        security: bearer,
        querystring: ZReportQuery,
        response: { 200: textBody('text/csv'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await reports.summary(request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${summaryCsvFilename(report)}"`)
        .send(summaryToCsv(report));
    },
  );
};

export default reportRoutes;
