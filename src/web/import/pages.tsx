import type { ComponentChildren } from 'preact';
import type { toImportView } from '../../modules/imports/imports.service.js';
import type { ValueNote } from '../../modules/imports/imports.schemas.js';
import { ErrorSummary, PostForm, Select, Tag, Time } from '../components.js';
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
export const POLL_SECONDS = 2;

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

export function TemplateLinks() {
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
  maxMb: number;
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
            {im.upload.fileHint(data.maxMb)}
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
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{im.upload.recentFile}</th>
                  <th scope="col">{im.upload.recentStatus}</th>
                  <th scope="col" class="num">
                    {im.upload.recentRows}
                  </th>
                  <th scope="col">{im.upload.recentWhen}</th>
                </tr>
              </thead>
              <tbody>
                {data.recent.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <a href={`/my/import/${entry.id}`}>{entry.fileName}</a>
                    </td>
                    <td data-label={im.upload.recentStatus}>
                      <Tag tone={tone(entry.status)}>{im.status[entry.status] ?? entry.status}</Tag>
                    </td>
                    <td class="num" data-label={im.upload.recentRows}>
                      {ctx.fmt.number(entry.totalRows)}
                    </td>
                    <td data-label={im.upload.recentWhen}>
                      <Time ctx={ctx} value={entry.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}
    </MyLayout>
  );
}

function ValueTable({ notes }: { notes: ValueNote[] }) {
  return (
    <>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{im.report.column}</th>
              <th scope="col">{im.report.value}</th>
              <th scope="col">{im.report.mappedTo}</th>
              <th scope="col">{im.report.rows}</th>
            </tr>
          </thead>
          <tbody>
            {notes.slice(0, SHOWN).map((note) => (
              <tr key={`${note.column}|${note.value}|${note.mappedTo}`}>
                <td>{note.column}</td>
                <td data-label={im.report.value}>{note.value || im.report.emptyValue}</td>
                <td data-label={im.report.mappedTo}>{note.mappedTo ?? im.report.notMapped}</td>
                <td data-label={im.report.rows}>
                  {note.rows.join(', ')}
                  {note.count > note.rows.length ? ` (${note.count})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <More total={notes.length} />
    </>
  );
}

function Counts({ ctx, entries }: { ctx: PageContext; entries: [string, number][] }) {
  return (
    <dl class="stats-grid">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{ctx.fmt.number(value)}</dd>
        </div>
      ))}
    </dl>
  );
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
          <>
            <div class="table-wrap">
              <table class="table" id="row-errors">
                <thead>
                  <tr>
                    <th scope="col">{im.report.row}</th>
                    <th scope="col">{im.report.column}</th>
                    <th scope="col">{im.report.problem}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.slice(0, SHOWN).map((issue, index) => (
                    <tr key={index}>
                      <td>{issue.row}</td>
                      <td data-label={im.report.column}>{issue.column ?? im.report.wholeRow}</td>
                      <td data-label={im.report.problem}>{issue.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <More total={report.errors.length} />
          </>
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
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{im.report.row}</th>
                  <th scope="col">{im.report.fileTitle}</th>
                  <th scope="col">{im.report.existing}</th>
                  <th scope="col" class="num">
                    {im.report.similarity}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.likelyDuplicates.slice(0, SHOWN).map((duplicate) => (
                  <tr key={`${duplicate.row}-${duplicate.existingId}`}>
                    <td>{duplicate.row}</td>
                    <td data-label={im.report.fileTitle}>{duplicate.title}</td>
                    <td data-label={im.report.existing}>
                      {duplicate.existingTitle} <span class="muted">{duplicate.existingReference}</span>
                    </td>
                    <td class="num" data-label={im.report.similarity}>
                      {ctx.fmt.number(Math.round(duplicate.similarity * 100))} %
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={report.likelyDuplicates.length} />
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
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{im.report.organizationName}</th>
                  <th scope="col">{im.report.country}</th>
                  <th scope="col">{im.report.action}</th>
                  <th scope="col" class="num">
                    {im.report.rows}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.organizations.slice(0, SHOWN).map((organization) => (
                  <tr key={`${organization.name}|${organization.country}`}>
                    <td>{organization.name}</td>
                    <td data-label={im.report.country}>{label.country(organization.country)}</td>
                    <td data-label={im.report.action}>{im.report.actions[organization.action]}</td>
                    <td class="num" data-label={im.report.rows}>
                      {ctx.fmt.number(organization.rows)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={report.organizations.length} />
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
 * The progress of a confirmed import. htmx asks for it again every few seconds and swaps it in;
 * once the import has finished the answer tells htmx to reload the page, which then shows the result.
 */
export function Progress({ ctx, view }: { ctx: PageContext; view: ImportView }) {
  const processed = ctx.fmt.number(view.processedRows);
  const total = ctx.fmt.number(view.totalRows);
  return (
    <div id="import-progress" class="panel" hx-get={`/my/import/${view.id}/progress`} hx-trigger={`every ${POLL_SECONDS}s`} hx-swap="outerHTML">
      <label for="import-progress-bar">{im.progress.label}</label>
      <progress id="import-progress-bar" max={Math.max(view.totalRows, 1)} value={view.processedRows}>
        {processed} / {total}
      </progress>
      <p role="status">{view.status === 'queued' ? im.progress.queued : im.progress.text(processed, total)}</p>
    </div>
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
  const staff = ctx.actor?.role === 'editor' || ctx.actor?.role === 'admin';
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
          <div class="table-wrap">
            <table class="table" id="failed-batches">
              <thead>
                <tr>
                  <th scope="col">{im.result.rowsRange}</th>
                  <th scope="col">{im.report.row}</th>
                  <th scope="col">{im.report.column}</th>
                  <th scope="col">{im.report.problem}</th>
                </tr>
              </thead>
              <tbody>
                {failedBatches.slice(0, SHOWN).map((batch) => (
                  <tr key={batch.firstRow}>
                    <td>
                      {batch.firstRow}–{batch.lastRow}
                    </td>
                    <td data-label={im.report.row}>{batch.error?.row ?? ''}</td>
                    <td data-label={im.report.column}>{batch.error?.column ?? im.report.wholeRow}</td>
                    <td data-label={im.report.problem}>{batch.error?.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <More total={failedBatches.length} />
        </Section>
      ) : null}
      <p>
        <a href={staff ? '/editor' : '/my'}>{staff ? im.result.editorQueue : im.result.myListings}</a> · <a href="/my/import">{im.report.uploadAnother}</a>
      </p>
    </MyLayout>
  );
}
