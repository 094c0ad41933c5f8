import type { ComponentChildren } from 'preact';
import type { toImportView } from '../../modules/imports/imports.service.js';
import type { ValueNote } from '../../modules/imports/imports.schemas.js';
import { isStaff } from '../../modules/users/users.rules.js';
import { DataTable, ErrorSummary, following, PostForm, Select, StatsGrid, Tag, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { label } from '../messages.js';
import { MyLayout } from '../pages/my-listings.js';
import { im } from './messages.js';

export type ImportView = ReturnType<typeof toImportView>;
export type ImportOrganization = { id: string; name: string; country: string };

/** Long lists (a 10,000-row file with an error in each row) show their first entries and a count. */
const SHOWN = 200;
/** How often the progress is asked for again (htmx), or the page reloaded (without JavaScript). */
const POLL_SECONDS = 2;

const tone = (status: string) => (status === 'completed' ? 'ok' : status === 'completed_with_errors' ? 'warn' : status === 'failed' ? 'bad' : 'status');

function Section({ title, lead, children }: { title: string; lead?: string; children: ComponentChildren }) {
  return (
    <section class="section">
      <h2>{title}</h2>
      {lead ? <p class="hint">{lead}</p> : null}
      {children}
    </section>
  );
}

function More({ total }: { total: number }) {
  return total > SHOWN ? <p class="muted">{im.report.more(total - SHOWN)}</p> : null;
}

type ReportColumn<T> = { label: string; cell: (row: T) => ComponentChildren; num?: boolean };

/** A table of a report's entries (its first SHOWN, then a count); on phones each cell is labelled. */
function ReportTable<T>({ id, columns, rows, keyOf }: { id?: string; columns: ReportColumn<T>[]; rows: T[]; keyOf: (row: T, index: number) => string | number }) {
  return (
    <>
      <DataTable id={id} columns={columns}>
        {rows.slice(0, SHOWN).map((row, index) => (
          <tr key={keyOf(row, index)}>
            {columns.map((column, position) => (
              <td class={column.num ? 'num' : undefined} data-label={position ? column.label : undefined} key={column.label}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
      <More total={rows.length} />
    </>
  );
}

function TemplateLinks() {
  return (
    <Section title={im.upload.templateTitle} lead={im.upload.templateText}>
      <p>
        <a href="/api/v1/imports/template.csv" download>
          {im.upload.templateCsv}
        </a>{' '}
        ·{' '}
        <a href="/api/v1/imports/template.xlsx" download>
          {im.upload.templateXlsx}
        </a>
      </p>
    </Section>
  );
}

export interface UploadData {
  state: FormState;
  statuses: string[];
  /** null: the file's own organisation columns, or any organisation (editors). */
  organizations: ImportOrganization[] | null;
  maxBytes: number;
  recent: ImportView[];
}

export function UploadPage({ ctx, data }: { ctx: PageContext; data: UploadData }) {
  const { state } = data;
  return (
    <MyLayout ctx={ctx} title={im.upload.title} current="/my/import">
      <h1>{im.upload.title}</h1>
      <p class="lead">{im.upload.lead}</p>
      <TemplateLinks />
      <ErrorSummary state={state} />
      <PostForm ctx={ctx} action="/my/import" class="form" enctype="multipart/form-data">
        <div class={`field${state.errors.file ? ' field--error' : ''}`}>
          <label for="file">{im.upload.file}</label>
          <p class="hint" id="file-hint">
            {im.upload.fileHint(data.maxBytes)}
          </p>
          {state.errors.file ? (
            <p class="field-error" id="file-error">
              {state.errors.file}
            </p>
          ) : null}
          <input
            id="file"
            name="file"
            type="file"
            accept=".csv,.txt,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-describedby={state.errors.file ? 'file-hint file-error' : 'file-hint'}
            aria-invalid={state.errors.file ? 'true' : undefined}
          />
        </div>
        <Select
          name="asStatus"
          label={im.upload.asStatus}
          hint={im.upload.asStatusHint}
          state={state}
          options={data.statuses.map((status) => ({ value: status, label: im.upload.statuses[status] ?? status }))}
        />
        {data.organizations ? (
          <Select
            name="organizationId"
            label={im.upload.organization}
            hint={im.upload.organizationHint}
            state={state}
            placeholder={im.upload.fromFile}
            options={data.organizations.map((organization) => ({ value: organization.id, label: `${organization.name} (${label.country(organization.country)})` }))}
          />
        ) : null}
        <button type="submit" class="button">
          {im.upload.submit}
        </button>
      </PostForm>
      {data.recent.length ? (
        <Section title={im.upload.recentTitle}>
          <ReportTable
            rows={data.recent}
            keyOf={(entry) => entry.id}
            columns={[
              { label: im.upload.recentFile, cell: (entry) => <a href={`/my/import/${entry.id}`}>{entry.fileName}</a> },
              { label: im.upload.recentStatus, cell: (entry) => <Tag tone={tone(entry.status)}>{im.status[entry.status] ?? entry.status}</Tag> },
              { label: im.upload.recentRows, num: true, cell: (entry) => ctx.fmt.number(entry.totalRows) },
              { label: im.upload.recentWhen, cell: (entry) => <Time ctx={ctx} value={entry.createdAt} /> },
            ]}
          />
        </Section>
      ) : null}
    </MyLayout>
  );
}

function ValueTable({ notes }: { notes: ValueNote[] }) {
  return (
    <ReportTable
      rows={notes}
      keyOf={(note) => `${note.column}|${note.value}|${note.mappedTo}`}
      columns={[
        { label: im.report.column, cell: (note) => note.column },
        { label: im.report.value, cell: (note) => note.value || im.report.emptyValue },
        { label: im.report.mappedTo, cell: (note) => note.mappedTo ?? im.report.notMapped },
        { label: im.report.rows, cell: (note) => `${note.rows.join(', ')}${note.count > note.rows.length ? ` (${note.count})` : ''}` },
      ]}
    />
  );
}

/** A report's counts, as numbers in the reader's locale. */
function Counts({ ctx, entries }: { ctx: PageContext; entries: [string, number][] }) {
  return <StatsGrid entries={entries.map(([name, value]) => [name, ctx.fmt.number(value)])} />;
}

/** The dry run's report, and the form that confirms it. */
export function ReportPage({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  const { report } = view;
  const { counts } = report;
  const toImport = counts.create + counts.update;
  return (
    <MyLayout ctx={ctx} title={im.report.title(view.fileName)} current="/my/import">
      <h1>{im.report.title(view.fileName)}</h1>
      <p class="lead">{im.report.lead}</p>
      <Counts
        ctx={ctx}
        entries={[
          [im.report.counts.rows, counts.rows],
          [im.report.counts.create, counts.create],
          [im.report.counts.update, counts.update],
          [im.report.counts.errors, counts.errors],
          [im.report.counts.duplicatesInFile, counts.duplicatesInFile],
        ]}
      />
      <dl class="summary-list">
        <dt>{im.report.format}</dt>
        <dd>{view.format.toUpperCase()}</dd>
        {report.encoding ? (
          <>
            <dt>{im.report.encoding}</dt>
            <dd>{report.encoding}</dd>
          </>
        ) : null}
        {report.delimiter ? (
          <>
            <dt>{im.report.delimiter}</dt>
            <dd>{im.report.delimiterNames[report.delimiter] ?? report.delimiter}</dd>
          </>
        ) : null}
      </dl>
      {report.keyedByTitle ? <p>{im.report.keyedByTitle}</p> : null}
      {report.emptyRows.length ? <p>{im.report.emptyRows(report.emptyRows.join(', '))}</p> : null}
      {report.ignoredColumns.length ? <p>{im.report.ignoredColumns(report.ignoredColumns.join(', '))}</p> : null}

      <ConfirmForm ctx={ctx} view={view} toImport={toImport} />

      <Section title={im.report.errorsTitle}>
        {report.errors.length === 0 ? (
          <p>{im.report.errorsNone}</p>
        ) : (
          <ReportTable
            id="row-errors"
            rows={report.errors}
            keyOf={(_issue, index) => index}
            columns={[
              { label: im.report.row, cell: (issue) => issue.row },
              { label: im.report.column, cell: (issue) => issue.column ?? im.report.wholeRow },
              { label: im.report.problem, cell: (issue) => issue.message },
            ]}
          />
        )}
      </Section>

      {report.guessed.length ? (
        <Section title={im.report.guessedTitle} lead={im.report.guessedLead}>
          <ValueTable notes={report.guessed} />
        </Section>
      ) : null}
      {report.unmapped.length ? (
        <Section title={im.report.unmappedTitle} lead={im.report.unmappedLead}>
          <ValueTable notes={report.unmapped} />
        </Section>
      ) : null}

      {report.likelyDuplicates.length ? (
        <Section title={im.report.duplicatesTitle} lead={im.report.duplicatesLead}>
          <ReportTable
            rows={report.likelyDuplicates}
            keyOf={(duplicate) => `${duplicate.row}-${duplicate.existingId}`}
            columns={[
              { label: im.report.row, cell: (duplicate) => duplicate.row },
              { label: im.report.fileTitle, cell: (duplicate) => duplicate.title },
              {
                label: im.report.existing,
                cell: (duplicate) => (
                  <>
                    {duplicate.existingTitle} <span class="muted">{duplicate.existingReference}</span>
                  </>
                ),
              },
              { label: im.report.similarity, num: true, cell: (duplicate) => `${ctx.fmt.number(Math.round(duplicate.similarity * 100))} %` },
            ]}
          />
        </Section>
      ) : null}

      {report.duplicatesInFile.length ? (
        <Section title={im.report.repeatedTitle}>
          <ul>
            {report.duplicatesInFile.slice(0, SHOWN).map((entry) => (
              <li key={entry.row}>{im.report.repeatedRow(entry.row, entry.sameAsRow)}</li>
            ))}
          </ul>
          <More total={report.duplicatesInFile.length} />
        </Section>
      ) : null}

      {report.organizations.length ? (
        <Section title={im.report.organizationsTitle}>
          <ReportTable
            rows={report.organizations}
            keyOf={(organization) => `${organization.name}|${organization.country}`}
            columns={[
              { label: im.report.organizationName, cell: (organization) => organization.name },
              { label: im.report.country, cell: (organization) => label.country(organization.country) },
              { label: im.report.action, cell: (organization) => im.report.actions[organization.action] },
              { label: im.report.rows, num: true, cell: (organization) => ctx.fmt.number(organization.rows) },
            ]}
          />
        </Section>
      ) : null}
    </MyLayout>
  );
}

function ConfirmForm({ ctx, view, toImport }: { ctx: PageContext; view: ImportView; toImport: number }) {
  return (
    <div class="panel">
      {toImport > 0 ? (
        <PostForm ctx={ctx} action={`/my/import/${view.id}/confirm`} class="inline-form">
          <p class="hint">{im.report.confirmHint}</p>
          <button type="submit" class="button">
            {im.report.confirm(toImport)}
          </button>{' '}
          <a href="/my/import">{im.report.uploadAnother}</a>
        </PostForm>
      ) : (
        <p>
          {im.report.nothingToImport} <a href="/my/import">{im.report.uploadAnother}</a>
        </p>
      )}
      <p class="muted">{im.report.expires}</p>
    </div>
  );
}

/**
 * The progress of a confirmed import. htmx asks for its content again every few seconds and swaps
 * it into this container, which stays, so screen readers announce the new figures (a live region
 * replaced whole is not reliably read); once the import has finished the answer tells htmx to
 * reload the page, which then shows the result.
 */
function Progress({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  return (
    <div
      id="import-progress"
      class="panel progress"
      aria-live="polite"
      {...following({ url: `/my/import/${view.id}/progress`, seconds: POLL_SECONDS, swap: 'innerHTML' })}
    >
      <ProgressContent ctx={ctx} view={view} />
    </div>
  );
}

export function ProgressContent({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  const processed = ctx.fmt.number(view.processedRows);
  const total = ctx.fmt.number(view.totalRows);
  return (
    <>
      <label for="import-progress-bar">{im.progress.label}</label>
      <progress id="import-progress-bar" max={Math.max(view.totalRows, 1)} value={view.processedRows}>
        {processed} / {total}
      </progress>
      <p>{view.status === 'queued' ? im.progress.queued : im.progress.text(processed, total)}</p>
    </>
  );
}

export function ProgressPage({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  return (
    <MyLayout ctx={ctx} title={im.progress.title(view.fileName)} current="/my/import" refreshSeconds={POLL_SECONDS}>
      <h1>{im.progress.title(view.fileName)}</h1>
      <Progress ctx={ctx} view={view} />
      <p class="hint">{im.progress.hint}</p>
      <p>
        <a href={`/my/import/${view.id}`}>{im.progress.refresh}</a>
      </p>
    </MyLayout>
  );
}

export function ResultPage({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  const { result } = view;
  const failedBatches = result?.batches.filter((batch) => !batch.ok) ?? [];
  const staff = isStaff(ctx.actor);
  return (
    <MyLayout ctx={ctx} title={im.result.title(view.fileName)} current="/my/import">
      <h1>{im.result.title(view.fileName)}</h1>
      <p>
        <Tag tone={tone(view.status)}>{im.status[view.status] ?? view.status}</Tag> <Time ctx={ctx} value={view.finishedAt} />
      </p>
      {result ? (
        <Counts
          ctx={ctx}
          entries={[
            [im.result.created, result.created],
            [im.result.updated, result.updated],
            [im.result.unchanged, result.unchanged],
            [im.result.failedRows, result.failedRows],
            [im.result.organizationsCreated, result.organizationsCreated],
          ]}
        />
      ) : (
        <p>{im.result.failed}</p>
      )}
      {failedBatches.length ? (
        <Section title={im.result.batchesTitle} lead={im.result.batchesLead}>
          <ReportTable
            id="failed-batches"
            rows={failedBatches}
            keyOf={(batch) => batch.firstRow}
            columns={[
              { label: im.result.rowsRange, cell: (batch) => `${batch.firstRow}–${batch.lastRow}` },
              { label: im.report.row, cell: (batch) => batch.error?.row ?? '' },
              { label: im.report.column, cell: (batch) => batch.error?.column ?? im.report.wholeRow },
              { label: im.report.problem, cell: (batch) => batch.error?.message ?? '' },
            ]}
          />
        </Section>
      ) : null}
      <p>
        <a href={staff ? '/editor' : '/my'}>{staff ? im.result.editorQueue : im.result.myListings}</a> · <a href="/my/import">{im.report.uploadAnother}</a>
      </p>
    </MyLayout>
  );
}
