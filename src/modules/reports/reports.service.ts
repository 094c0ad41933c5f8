import type { Database } from '../../db/client.js';
import { addDays, DAY_MS, type Clock } from '../../lib/clock.js';
import { invalidField } from '../../lib/errors.js';
import { countryName } from '../vocabularies/countries.js';
import { AGREEMENT_TYPES, DECLINE_REASONS, SDGS, SECTORS } from '../vocabularies/enums.js';
import * as repo from './reports.repository.js';
import type { ReportQuery, SummaryReport } from './reports.schemas.js';

/** A period longer than this is a mistake (or an expensive scan), not an annual report. */
const MAX_PERIOD_DAYS = 366 * 10;

type Vocabulary = readonly { code: string | number; label: string }[];

/** Counts as rows with labels, largest first (ties by code), for tables in the annual report. */
function rowsOf(counts: Map<string, number>, label: (code: string) => string) {
  return [...counts.entries()]
    .map(([code, count]) => ({ code, label: label(code), count }))
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

const labelIn = (vocabulary: Vocabulary) => (code: string) => vocabulary.find((entry) => String(entry.code) === code)?.label ?? code;

/** "How many, from where, in which sector, in which period": the figures of the Centre's annual report. */
export class ReportService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async summary(query: ReportQuery): Promise<SummaryReport> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const from = query.from ?? `${today.slice(0, 4)}-01-01`;
    const to = query.to ?? today;
    if (to < from) throw invalidField('querystring.to', 'must not be before from');
    const period: repo.Period = { from: new Date(`${from}T00:00:00Z`), until: addDays(new Date(`${to}T00:00:00Z`), 1) };
    if (period.until.getTime() - period.from.getTime() > MAX_PERIOD_DAYS * DAY_MS) throw invalidField('querystring.from', 'the period may span at most ten years');

    const [byKind, byCountry, bySector, bySdg, interests, introductions, issues, subscribers, mails] = await Promise.all([
      repo.listingsByKind(this.db, period),
      repo.listingsByCountry(this.db, period),
      repo.listingsBySector(this.db, period),
      repo.listingsBySdg(this.db, period),
      repo.interestFigures(this.db, period),
      repo.introductionFigures(this.db, period, from, to),
      repo.techMonitorFigures(this.db, period),
      repo.subscriberFigures(this.db, period),
      repo.mailsDeliveredByTemplate(this.db, period),
    ]);
    const offers = byKind.get('offer') ?? 0;
    const requests = byKind.get('request') ?? 0;
    return {
      period: { from, to },
      listings: {
        published: offers + requests,
        byKind: { offer: offers, request: requests },
        byCountry: rowsOf(byCountry, (code) => countryName(code) ?? code),
        bySector: rowsOf(bySector, labelIn(SECTORS)),
        bySdg: rowsOf(bySdg, labelIn(SDGS)),
      },
      interests: {
        sent: interests.sent,
        accepted: interests.accepted,
        declined: interests.declined,
        withdrawn: interests.withdrawn,
        declinedByReason: rowsOf(interests.declinedByReason, labelIn(DECLINE_REASONS)),
      },
      introductions: {
        started: introductions.started,
        agreementsSigned: [...introductions.agreementsByType.values()].reduce((sum, n) => sum + n, 0),
        endedWithoutAgreement: introductions.endedWithoutAgreement,
        agreementsByType: rowsOf(introductions.agreementsByType, labelIn(AGREEMENT_TYPES)),
      },
      techMonitor: {
        issuesPublished: issues.length,
        entries: { offers: issues.reduce((sum, i) => sum + i.offers, 0), requests: issues.reduce((sum, i) => sum + i.requests, 0) },
        issues,
      },
      subscribers: {
        newConfirmed: subscribers.newConfirmed,
        totalActive: subscribers.activeAtEnd,
        unsubscribed: subscribers.unsubscribed,
        bounced: subscribers.bounced,
      },
      mails: {
        delivered: [...mails.values()].reduce((sum, n) => sum + n, 0),
        techMonitorIssues: mails.get('techmonitor_issue') ?? 0,
        byTemplate: rowsOf(mails, (code) => code).map(({ code, count }) => ({ code, count })),
      },
    };
  }
}

/** The file name a downloaded summary gets: the API's and the editors' page's download are the same file. */
export const summaryCsvFilename = (report: SummaryReport) => `summary-${report.period.from}-${report.period.to}.csv`;

/** The summary as CSV rows (section, code, label, value), for a spreadsheet. */
export function summaryToCsv(report: SummaryReport): string {
  const rows: (string | number)[][] = [['section', 'code', 'label', 'value']];
  const add = (section: string, code: string | number, label: string, value: string | number) => rows.push([section, code, label, value]);
  const addCounts = (section: string, list: { code: string; label: string; count: number }[]) => {
    for (const row of list) add(section, row.code, row.label, row.count);
  };
  add('period', 'from', 'First day', report.period.from);
  add('period', 'to', 'Last day', report.period.to);
  add('listings', 'published', 'Listings published', report.listings.published);
  add('listings_by_kind', 'offer', 'Technology offers', report.listings.byKind.offer);
  add('listings_by_kind', 'request', 'Technology requests', report.listings.byKind.request);
  addCounts('listings_by_country', report.listings.byCountry);
  addCounts('listings_by_sector', report.listings.bySector);
  addCounts('listings_by_sdg', report.listings.bySdg);
  add('interests', 'sent', 'Expressions of interest sent', report.interests.sent);
  add('interests', 'accepted', 'Expressions of interest accepted', report.interests.accepted);
  add('interests', 'declined', 'Expressions of interest declined', report.interests.declined);
  add('interests', 'withdrawn', 'Expressions of interest withdrawn', report.interests.withdrawn);
  addCounts('interests_declined_by_reason', report.interests.declinedByReason);
  add('introductions', 'started', 'Introductions started', report.introductions.started);
  add('introductions', 'agreements_signed', 'Partnership agreements signed', report.introductions.agreementsSigned);
  add('introductions', 'ended_without_agreement', 'Introductions ended without agreement', report.introductions.endedWithoutAgreement);
  addCounts('agreements_by_type', report.introductions.agreementsByType);
  add('techmonitor', 'issues_published', 'Tech Monitor issues published', report.techMonitor.issuesPublished);
  add('techmonitor', 'offers', 'Technology offers featured', report.techMonitor.entries.offers);
  add('techmonitor', 'requests', 'Technology requests featured', report.techMonitor.entries.requests);
  for (const issue of report.techMonitor.issues) add('techmonitor_issue', `vol${issue.volume}-no${issue.number}`, issue.title, issue.offers + issue.requests);
  add('subscribers', 'new_confirmed', 'New confirmed subscribers', report.subscribers.newConfirmed);
  add('subscribers', 'total_active', 'Active subscribers at the end of the period', report.subscribers.totalActive);
  add('subscribers', 'unsubscribed', 'Unsubscribed', report.subscribers.unsubscribed);
  add('subscribers', 'bounced', 'Bounced', report.subscribers.bounced);
  add('mails', 'delivered', 'Mails delivered', report.mails.delivered);
  add('mails', 'techmonitor_issues', 'Tech Monitor issues mailed', report.mails.techMonitorIssues);
  for (const row of report.mails.byTemplate) add('mails_by_template', row.code, row.code, row.count);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  // A cell starting with = + - @ would run as a formula in a spreadsheet: issue titles are user text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
