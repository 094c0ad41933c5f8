import type { ComponentChildren } from 'preact';
import type { SummaryReport } from '../../modules/reports/reports.schemas.js';
import { DataTable, ErrorSummary, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { label } from '../messages.js';
import { EditorLayout } from './pages.js';
import { rm } from './reports.messages.js';

// The annual report dashboard. Every chart is drawn in the browser by uPlot (assets/reports.js)
// from the JSON in its data-chart attribute; the table under it holds the same numbers, so the
// page says everything without JavaScript, to a screen reader and on paper.

/** What assets/reports.js reads from a data-chart attribute. */
export interface ChartSpec {
  labels: string[];
  series: { label: string; tone?: 'offer' | 'request' }[];
  /** values[series][category] */
  values: number[][];
  /** Bars across (long category names), or up from the axis (a few short ones). */
  horizontal: boolean;
}

interface ChartProps {
  ctx: PageContext;
  id: string;
  title: string;
  /** The heading of the category column. */
  category: string;
  rows: { label: string; values: number[] }[];
  series?: ChartSpec['series'];
  horizontal?: boolean;
}

/** A chart, with its numbers in a table under it (open without JavaScript; the script folds it away). */
function Chart({ ctx, id, title, category, rows, series = [{ label: rm.count }], horizontal = true }: ChartProps) {
  const spec: ChartSpec = {
    labels: rows.map((row) => row.label),
    series,
    values: series.map((_, index) => rows.map((row) => row.values[index] ?? 0)),
    horizontal,
  };
  return (
    <div class="chart-block" id={id}>
      <h3 id={`${id}-title`}>{title}</h3>
      {rows.length === 0 ? (
        <p class="muted">{rm.empty}</p>
      ) : (
        <>
          {/* The picture only repeats the table below, so assistive technology reads the table. */}
          <div class="chart" data-chart={JSON.stringify(spec)} aria-hidden="true"></div>
          <details class="chart-data" open>
            <summary>{rm.figuresOf(title)}</summary>
            <DataTable caption={title} columns={[category, ...series.map((entry) => ({ label: entry.label, num: true }))]}>
              {rows.map((row) => (
                <tr key={row.label}>
                  <th scope="row">{row.label}</th>
                  {series.map((entry, index) => (
                    <td class="num" key={entry.label}>
                      {ctx.fmt.number(row.values[index] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </DataTable>
          </details>
        </>
      )}
    </div>
  );
}

/** A part of the report: its heading, what it counts, and its charts side by side where there is room. */
function ReportSection({ id, title, lead, children }: { id: string; title: string; lead?: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead ? <p class="muted">{lead}</p> : null}
      <div class="chart-grid">{children}</div>
    </section>
  );
}

/** Single figures, one bar each; all zero say nothing as a chart: "nothing in this period" instead. */
const figures = (pairs: [label: string, value: number][]) =>
  pairs.some(([, value]) => value > 0) ? pairs.map(([text, value]) => ({ label: text, values: [value] })) : [];

const counted = (list: { code: string; count: number }[], name: (code: string) => string) => list.map((row) => ({ label: name(row.code), values: [row.count] }));

export interface ReportsPageData {
  state: FormState;
  /** Null when the period asked for is not valid: the page then shows the form and its errors only. */
  report: SummaryReport | null;
  /** The current year, for the quick choices. */
  year: number;
  /** No period was asked for: the service's default (this year so far) is shown. */
  defaultPeriod: boolean;
}

function periodQuery(from: string, to: string) {
  return `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

function PeriodForm({ state, year, report, defaultPeriod }: ReportsPageData) {
  const presets = [
    { href: '/editor/reports', text: rm.period.thisYear, current: report !== null && defaultPeriod },
    ...[year - 1, year - 2].map((y) => ({
      href: `/editor/reports?${periodQuery(`${y}-01-01`, `${y}-12-31`)}`,
      text: rm.period.year(y),
      current: report !== null && report.period.from === `${y}-01-01` && report.period.to === `${y}-12-31`,
    })),
  ];
  return (
    <form method="get" action="/editor/reports" class="card period-form" novalidate>
      <ErrorSummary state={state} />
      <fieldset>
        <legend>{rm.period.legend}</legend>
        <p class="hint">{rm.period.hint}</p>
        <div class="period-form__fields">
          <TextField name="from" label={rm.period.from} type="date" state={state} />
          <TextField name="to" label={rm.period.to} type="date" state={state} />
          <button type="submit" class="button">
            {rm.period.show}
          </button>
        </div>
      </fieldset>
      <p class="period-form__presets">
        {rm.period.presets}:{' '}
        {presets.map((preset, index) => (
          <span key={preset.href}>
            {index > 0 ? ' · ' : null}
            <a href={preset.href} aria-current={preset.current ? 'true' : undefined}>
              {preset.text}
            </a>
          </span>
        ))}
      </p>
    </form>
  );
}

function Report({ ctx, report }: { ctx: PageContext; report: SummaryReport }) {
  const { listings, interests, introductions, techMonitor, subscribers, mails } = report;
  const n = ctx.fmt.number;
  return (
    <>
      <p>
        <a class="button button--secondary" href={`/editor/reports.csv?${periodQuery(report.period.from, report.period.to)}`} download>
          {rm.csv}
        </a>{' '}
        <span class="hint">{rm.csvHint}</span>
      </p>

      <h2 class="visually-hidden">{rm.keyFigures}</h2>
      <dl class="stats-grid">
        {(
          [
            [rm.key.published, listings.published],
            [rm.key.interests, interests.sent],
            [rm.key.agreements, introductions.agreementsSigned],
            [rm.key.issues, techMonitor.issuesPublished],
            [rm.key.subscribers, subscribers.totalActive],
            [rm.key.mails, mails.delivered],
          ] as const
        ).map(([text, value]) => (
          <div key={text}>
            <dt>{text}</dt>
            <dd>{n(value)}</dd>
          </div>
        ))}
      </dl>

      <ReportSection id="listings" title={rm.listings.title} lead={rm.listings.lead}>
        <Chart
          ctx={ctx}
          id="chart-kind"
          title={rm.listings.byKind}
          category={rm.listings.kind}
          horizontal={false}
          rows={figures((['offer', 'request'] as const).map((kind) => [label.kindPlural(kind), listings.byKind[kind]]))}
        />
        <Chart ctx={ctx} id="chart-sector" title={rm.listings.bySector} category={rm.listings.sector} rows={counted(listings.bySector, label.sector)} />
        <Chart ctx={ctx} id="chart-country" title={rm.listings.byCountry} category={rm.listings.country} rows={counted(listings.byCountry, label.country)} />
        <Chart ctx={ctx} id="chart-sdg" title={rm.listings.bySdg} category={rm.listings.sdg} rows={counted(listings.bySdg, label.sdg)} />
      </ReportSection>

      <ReportSection id="interests" title={rm.interests.title} lead={rm.interests.lead}>
        <Chart
          ctx={ctx}
          id="chart-funnel"
          title={rm.interests.funnel}
          category={rm.interests.step}
          rows={figures([
            [rm.interests.sent, interests.sent],
            [rm.interests.accepted, interests.accepted],
            [rm.interests.introductions, introductions.started],
            [rm.interests.agreements, introductions.agreementsSigned],
          ])}
        />
        <Chart
          ctx={ctx}
          id="chart-outcomes"
          title={rm.interests.outcomes}
          category={rm.interests.step}
          rows={figures([
            [rm.interests.declined, interests.declined],
            [rm.interests.withdrawn, interests.withdrawn],
            [rm.interests.ended, introductions.endedWithoutAgreement],
          ])}
        />
        <Chart ctx={ctx} id="chart-decline" title={rm.interests.declineReasons} category={rm.interests.reason} rows={counted(interests.declinedByReason, label.declineReason)} />
        <Chart ctx={ctx} id="chart-agreements" title={rm.interests.agreementTypes} category={rm.interests.agreementType} rows={counted(introductions.agreementsByType, label.agreementType)} />
      </ReportSection>

      <ReportSection id="techmonitor" title={rm.techMonitor.title}>
        <div>
          <Chart
            ctx={ctx}
            id="chart-issues"
            title={rm.techMonitor.issues}
            category={rm.techMonitor.issue}
            series={[
              { label: rm.techMonitor.offers, tone: 'offer' },
              { label: rm.techMonitor.requests, tone: 'request' },
            ]}
            rows={techMonitor.issues.map((issue) => ({ label: rm.techMonitor.issueLabel(issue.volume, issue.number), values: [issue.offers, issue.requests] }))}
          />
          {techMonitor.issues.length > 0 ? (
            <DataTable caption={rm.techMonitor.issueList} columns={[rm.techMonitor.issue, rm.techMonitor.issueTitle, rm.techMonitor.published]}>
              {techMonitor.issues.map((issue) => (
                <tr key={issue.id}>
                  <th scope="row">{rm.techMonitor.issueLabel(issue.volume, issue.number)}</th>
                  <td>
                    <a href={`/tech-monitor/${issue.id}`}>{issue.title}</a>
                  </td>
                  <td>
                    <Time ctx={ctx} value={issue.publishedAt} />
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </div>
        <Chart
          ctx={ctx}
          id="chart-subscribers"
          title={rm.techMonitor.subscribers}
          category={rm.techMonitor.subscriberFigure}
          rows={figures([
            [rm.techMonitor.newConfirmed, subscribers.newConfirmed],
            [rm.techMonitor.unsubscribed, subscribers.unsubscribed],
            [rm.techMonitor.bounced, subscribers.bounced],
            [rm.techMonitor.active, subscribers.totalActive],
          ])}
        />
      </ReportSection>

      <ReportSection id="mails" title={rm.mails.title} lead={rm.mails.lead}>
        <Chart ctx={ctx} id="chart-mails" title={rm.mails.byTemplate} category={rm.mails.template} rows={counted(mails.byTemplate, (code) => rm.mailTemplate[code] ?? code)} />
      </ReportSection>
    </>
  );
}

export function ReportsPage({ ctx, data }: { ctx: PageContext; data: ReportsPageData }) {
  const { report } = data;
  return (
    <EditorLayout ctx={ctx} title={rm.title} assets={{ styles: [ctx.assets.uplotCss], scripts: [ctx.assets.uplot, ctx.assets.reports] }}>
      <h1>{rm.title}</h1>
      {report ? <p class="lead">{rm.lead(ctx.fmt.date(report.period.from), ctx.fmt.date(report.period.to))}</p> : null}
      <PeriodForm {...data} />
      {report ? <Report ctx={ctx} report={report} /> : <p>{rm.noReport}</p>}
    </EditorLayout>
  );
}
