import { z } from 'zod';

export const ZReportQuery = z.object({
  from: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).optional().describe('First day of the period (inclusive); 1 January of this year when left out'),
  to: z.iso.date({ message: 'must be a date (YYYY-MM-DD)' }).optional().describe('Last day of the period (inclusive); today when left out'),
});
export type ReportQuery = z.infer<typeof ZReportQuery>;

const ZCount = z.object({ code: z.string(), label: z.string(), count: z.number().int() });

export const ZSummaryReport = z.object({
  period: z.object({ from: z.string(), to: z.string() }),
  listings: z.object({
    published: z.number().int().describe('Listings first published in the period'),
    byKind: z.object({ offer: z.number().int(), request: z.number().int() }),
    byCountry: z.array(ZCount).describe("By the owner organisation's country"),
    bySector: z.array(ZCount).describe('A listing counts once in each of its sectors'),
    bySdg: z.array(ZCount).describe('A listing counts once in each of its SDGs'),
  }),
  interests: z.object({
    sent: z.number().int(),
    accepted: z.number().int(),
    declined: z.number().int(),
    withdrawn: z.number().int(),
    declinedByReason: z.array(ZCount),
  }),
  introductions: z.object({
    started: z.number().int(),
    agreementsSigned: z.number().int().describe('Agreements whose signing date falls in the period'),
    endedWithoutAgreement: z.number().int(),
    agreementsByType: z.array(ZCount),
  }),
  techMonitor: z.object({
    issuesPublished: z.number().int(),
    entries: z.object({ offers: z.number().int(), requests: z.number().int() }),
    issues: z.array(
      z.object({
        id: z.uuid(),
        volume: z.number().int(),
        number: z.number().int(),
        title: z.string(),
        publishedAt: z.date(),
        offers: z.number().int(),
        requests: z.number().int(),
      }),
    ),
  }),
  subscribers: z.object({
    newConfirmed: z.number().int(),
    totalActive: z.number().int().describe('Confirmed subscribers active at the end of the period'),
    unsubscribed: z.number().int(),
    bounced: z.number().int(),
  }),
  mails: z.object({
    delivered: z.number().int().describe('Mails handed to the mail server in the period, all kinds'),
    techMonitorIssues: z.number().int().describe('Tech Monitor issues mailed to subscribers'),
    byTemplate: z.array(z.object({ code: z.string(), count: z.number().int() })),
  }),
});
export type SummaryReport = z.infer<typeof ZSummaryReport>;
