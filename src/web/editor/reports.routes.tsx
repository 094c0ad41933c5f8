import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BadRequest } from '../../lib/errors.js';
import { ZReportQuery, type ReportQuery } from '../../modules/reports/reports.schemas.js';
import { summaryCsvFilename, summaryToCsv } from '../../modules/reports/reports.service.js';
import { emptyForm, formBody, formStateFromError, fText, parseForm, type FormResult, type FormValues } from '../forms.js';
import type { WebKit } from '../web.plugin.js';
import { rm } from './reports.messages.js';
import { ReportsPage, type ReportsPageData } from './reports.pages.js';

// The annual report: the same service and the same query as GET /api/v1/reports/summary(.csv).
// The period is in the URL (a GET form), so a report can be bookmarked and sent to a colleague.

/** The API's query, with an empty date field meaning "not given" (the service's default). */
const ZPeriodForm = z.object({ from: fText(ZReportQuery.shape.from), to: fText(ZReportQuery.shape.to) });
const periodLabels = { from: rm.period.from, to: rm.period.to };

const periodOf = (values: FormValues): FormResult<ReportQuery> => parseForm(ZPeriodForm, values, periodLabels);

/** Registered inside the editors' context, behind its role check. */
export function reportPages(web: FastifyInstance, kit: WebKit) {
  const { reports } = web.services;

  web.get('/editor/reports', async (request, reply) => {
    const values = formBody(request.query);
    const year = web.clock.now().getUTCFullYear();
    const render = (data: Omit<ReportsPageData, 'year'>, status = 200) => kit.render(reply, <ReportsPage ctx={kit.ctx(request, reply)} data={{ ...data, year }} />, status);
    const parsed = periodOf(values);
    if (!parsed.ok) return render({ state: parsed.state, report: null, defaultPeriod: false }, 400);
    try {
      const report = await reports.summary(parsed.data);
      return render({ state: emptyForm({ from: report.period.from, to: report.period.to }), report, defaultPeriod: !parsed.data.from && !parsed.data.to });
    } catch (error) {
      // The service's own period rules (the end before the start, too long) beside their fields.
      return render({ state: formStateFromError(error, values, periodLabels), report: null, defaultPeriod: false }, 400);
    }
  });

  web.get('/editor/reports.csv', async (request, reply) => {
    const parsed = periodOf(formBody(request.query));
    if (!parsed.ok) throw new BadRequest(Object.values(parsed.state.errors).join(' '));
    const report = await reports.summary(parsed.data);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${summaryCsvFilename(report)}"`)
      .header('cache-control', 'private, no-cache')
      .send(summaryToCsv(report));
  });
}
