import type { ComponentChildren } from 'preact';
import type { DeliveryReport } from '../../modules/techmonitor/newsletter.service.js';
import { EXPORT_FORMATS, type DeliveryProgress, type ExportFormat } from '../../modules/techmonitor/techmonitor.schemas.js';
import type { IssueDetail, IssueView, TechMonitorService } from '../../modules/techmonitor/techmonitor.service.js';
import { Choices, CsrfField, DataTable, ErrorSummary, following, PostForm, Tag, TextArea, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState, FormValues } from '../forms.js';
import { label } from '../messages.js';
import { KindTag, listingPath } from '../pages/listing-parts.js';
import { im } from './issues.messages.js';
import { EditorLayout } from './pages.js';
import { sectorOptions } from '../pages/account.js';

export type Suggestions = Awaited<ReturnType<TechMonitorService['suggestions']>>;
type Entry = IssueDetail['entries'][number];

export const boardPath = (id: string) => `/editor/issues/${id}`;
export const noteField = (entryId: string) => `note-${entryId}`;

const heading = (issue: Pick<IssueView, 'volume' | 'number' | 'title'>) => im.board.heading(issue.volume, issue.number, issue.title);
const STATUS_TONE: Record<string, string> = { draft: 'status', locked: 'warn', published: 'ok' };

function StatusTag({ status }: { status: string }) {
  return <Tag tone={STATUS_TONE[status]}>{im.status[status] ?? status}</Tag>;
}

function Period({ ctx, issue }: { ctx: PageContext; issue: Pick<IssueView, 'periodStart' | 'periodEnd'> }) {
  return (
    <>
      <Time ctx={ctx} value={issue.periodStart} /> – <Time ctx={ctx} value={issue.periodEnd} />
    </>
  );
}

/** The theme and period of an issue; `full` adds its heading and the counts against the targets. */
function IssueDetails({ ctx, issue, full }: { ctx: PageContext; issue: IssueView; full?: boolean }) {
  return (
    <dl class="summary-list">
      {full ? (
        <>
          <dt>{im.list.issue}</dt>
          <dd>{heading(issue)}</dd>
        </>
      ) : null}
      <dt>{im.board.theme}</dt>
      <dd>
        {issue.theme.text}
        {issue.theme.sectors.length ? <span class="muted"> ({issue.theme.sectors.map(label.sector).join(' · ')})</span> : null}
      </dd>
      <dt>{im.board.period}</dt>
      <dd>
        <Period ctx={ctx} issue={issue} />
      </dd>
      {full ? (
        <>
          <dt>{im.board.counts}</dt>
          <dd>
            {im.list.offers}: {im.list.ofTarget(issue.selected.offers, issue.targets.offers)} · {im.list.requests}:{' '}
            {im.list.ofTarget(issue.selected.requests, issue.targets.requests)}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** A change the service refused (another editor's change, a state that no longer allows it), at the top of the page. */
function Refusal({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="error-summary" role="alert" tabIndex={-1} aria-labelledby="conflict-title" data-autofocus>
      <h2 id="conflict-title">{title}</h2>
      {children}
    </div>
  );
}

/** Every form that changes an issue names the version the editor saw, so a newer one is refused, never overwritten. */
function VersionField({ version }: { version: number }) {
  return <input type="hidden" name="version" value={String(version)} />;
}

// ── the list and the create form ──────────────────────────────────────────────────────────────────

export const issueFormLabels = {
  volume: im.form.volume,
  number: im.form.number,
  title: im.form.title,
  themeText: im.form.themeText,
  themeSectors: im.form.themeSectors,
  periodStart: im.form.periodStart,
  periodEnd: im.form.periodEnd,
  targetOffers: im.form.targetOffers,
  targetRequests: im.form.targetRequests,
};

/** The fields of an issue's details, the same when it is created and when they are edited. */
function IssueFields({ state }: { state: FormState }) {
  return (
    <>
      <div class="inline-fields">
        <TextField name="volume" label={im.form.volume} state={state} required />
        <TextField name="number" label={im.form.number} state={state} hint={im.form.numberHint} required />
      </div>
      <TextField name="title" label={im.form.title} state={state} maxLength={200} required />
      <TextArea name="themeText" label={im.form.themeText} hint={im.form.themeHint} state={state} maxLength={1000} rows={3} required />
      <Choices
        name="themeSectors"
        legend={im.form.themeSectors}
        hint={im.form.themeSectorsHint}
        state={state}
        options={sectorOptions}
      />
      <div class="inline-fields">
        <TextField name="periodStart" type="date" label={im.form.periodStart} hint={im.form.periodHint} state={state} required />
        <TextField name="periodEnd" type="date" label={im.form.periodEnd} hint={im.form.periodHint} state={state} required />
      </div>
      <div class="inline-fields">
        <TextField name="targetOffers" label={im.form.targetOffers} state={state} required />
        <TextField name="targetRequests" label={im.form.targetRequests} state={state} required />
      </div>
    </>
  );
}

export function IssueListPage({ ctx, issues, state }: { ctx: PageContext; issues: IssueView[]; state: FormState }) {
  return (
    <EditorLayout ctx={ctx} title={im.list.title}>
      <h1>{im.list.title}</h1>
      <p class="lead">{im.list.lead}</p>
      {issues.length === 0 ? (
        <p class="empty">{im.list.empty}</p>
      ) : (
        <DataTable columns={[im.list.issue, im.list.status, im.list.period, { label: im.list.offers, num: true }, { label: im.list.requests, num: true }]}>
          {issues.map((issue) => (
            <tr key={issue.id}>
              <td>
                <a href={boardPath(issue.id)}>{heading(issue)}</a>
              </td>
              <td data-label={im.list.status}>
                <StatusTag status={issue.status} />
              </td>
              <td data-label={im.list.period}>
                <Period ctx={ctx} issue={issue} />
              </td>
              <td class="num" data-label={im.list.offers}>
                {im.list.ofTarget(issue.selected.offers, issue.targets.offers)}
              </td>
              <td class="num" data-label={im.list.requests}>
                {im.list.ofTarget(issue.selected.requests, issue.targets.requests)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <section aria-labelledby="create-issue" class="panel issue-form">
        <h2 id="create-issue">{im.list.createTitle}</h2>
        <ErrorSummary state={state} />
        <PostForm ctx={ctx} action="/editor/issues" novalidate>
          <IssueFields state={state} />
          <p class="actions">
            <button type="submit" class="button">
              {im.form.create}
            </button>
          </p>
        </PostForm>
      </section>
    </EditorLayout>
  );
}

// ── the board ─────────────────────────────────────────────────────────────────────────────────────

export interface BoardData {
  issue: IssueDetail;
  /** Null for an issue that takes no more entries; 'unavailable' when search is down. */
  suggestions: Suggestions | 'unavailable' | null;
  delivery: DeliveryProgress | null;
  /** Values and errors of the form that was posted (a note keeps its text after a conflict). */
  state: FormState;
  /**
   * Set when the change was refused: `reason` null when another editor changed the issue meanwhile,
   * else the service's reason (a state that no longer allows the change, a listing no longer published).
   */
  conflict: { reason: string | null; noteKept: boolean } | null;
}

function Counts({ issue }: { issue: IssueView }) {
  const line = (selected: number, target: number) => {
    const rest = selected < target ? im.board.countMissing(target - selected) : selected > target ? im.board.countOver(selected - target) : im.board.countReached;
    return (
      <>
        {im.list.ofTarget(selected, target)} <span class="count-rest">({rest})</span>
      </>
    );
  };
  return (
    <section aria-labelledby="counts">
      <h2 id="counts" class="visually-hidden">
        {im.board.counts}
      </h2>
      <dl class="stats-grid board-counts">
        <div>
          <dt>{im.list.offers}</dt>
          <dd>{line(issue.selected.offers, issue.targets.offers)}</dd>
        </div>
        <div>
          <dt>{im.list.requests}</dt>
          <dd>{line(issue.selected.requests, issue.targets.requests)}</dd>
        </div>
      </dl>
    </section>
  );
}

function EntryItem({ ctx, issue, entry, index, editable, state }: { ctx: PageContext; issue: IssueDetail; entry: Entry; index: number; editable: boolean; state: FormState }) {
  const base = boardPath(issue.id);
  const { listing } = entry;
  const last = index === issue.entries.length - 1;
  const move = (direction: 'up' | 'down', text: string, disabled: boolean) => (
    <PostForm ctx={ctx} action={`${base}/entries/${entry.id}/move`} class="inline-form">
      <VersionField version={issue.version} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" class="button button--small button--secondary" disabled={disabled} aria-label={im.board.moveLabel(text, listing.title)}>
        {text}
      </button>
    </PostForm>
  );
  const field = noteField(entry.id);
  const noteState: FormState = { values: { [field]: state.values[field] ?? entry.note ?? '' }, errors: state.errors };
  return (
    <li class="card board-entry" id={`entry-${entry.id}`} data-entry-id={entry.id} tabIndex={-1}>
      <div class="board-entry__head">
        {editable ? (
          <span class="drag-handle" data-drag-handle title={im.board.dragHandle(listing.title)} aria-hidden="true">
            ⠿
          </span>
        ) : null}
        <span class="board-entry__position">{entry.position}.</span>
        <div>
          <p class="card__meta">
            <KindTag kind={listing.kind} /> <span class="muted">{listing.reference}</span> <span class="muted">{label.country(listing.country)}</span>
          </p>
          <h3 class="card__title">
            <a href={listingPath(listing)}>{listing.title}</a>
          </h3>
        </div>
      </div>
      <p class="clamp muted">{listing.summary}</p>
      {entry.currentStatus && entry.currentStatus !== 'published' ? (
        <p class="banner">{im.board.notPublished(label.listingStatus(entry.currentStatus))}</p>
      ) : null}
      {editable ? (
        <>
          <div class="actions board-entry__actions">
            {move('up', im.board.moveUp, index === 0)}
            {move('down', im.board.moveDown, last)}
            <PostForm ctx={ctx} action={`${base}/entries/${entry.id}/remove`} class="inline-form">
              <VersionField version={issue.version} />
              <button type="submit" class="button button--small button--danger" aria-label={im.board.moveLabel(im.board.remove, listing.title)}>
                {im.board.remove}
              </button>
            </PostForm>
          </div>
          <PostForm ctx={ctx} action={`${base}/entries/${entry.id}/note`} class="board-entry__note">
            <VersionField version={issue.version} />
            <TextArea name={field} label={im.board.note(entry.position)} hint={im.board.noteHint} state={noteState} maxLength={2000} rows={2} />
            <button type="submit" class="button button--small button--secondary">
              {im.board.saveNote}
            </button>
          </PostForm>
        </>
      ) : entry.note ? (
        <p class="note">
          <strong>{im.board.editorNote}:</strong> {entry.note}
        </p>
      ) : null}
    </li>
  );
}

function Entries({ ctx, data }: { ctx: PageContext; data: BoardData }) {
  const { issue, state } = data;
  const editable = issue.status === 'draft';
  return (
    <section aria-labelledby="entries-title" class="board-entries">
      <h2 id="entries-title">{im.board.entriesTitle}</h2>
      {issue.entries.length === 0 ? (
        <p class="empty">{im.board.entriesEmpty}</p>
      ) : (
        <>
          {editable ? <p class="hint">{im.board.entriesHelp}</p> : null}
          <ol class="entries board-list" data-sortable={editable ? 'reorder-form' : undefined}>
            {issue.entries.map((entry, index) => (
              <EntryItem key={entry.id} ctx={ctx} issue={issue} entry={entry} index={index} editable={editable} state={state} />
            ))}
          </ol>
          {editable ? (
            // Drag and drop (board.js) writes the new order into this form and posts it.
            <form id="reorder-form" method="post" action={`${boardPath(issue.id)}/reorder`} hidden>
              <CsrfField ctx={ctx} />
              <VersionField version={issue.version} />
              {issue.entries.map((entry) => (
                <input key={entry.id} type="hidden" name="entryIds" value={entry.id} />
              ))}
            </form>
          ) : null}
        </>
      )}
    </section>
  );
}

function SuggestionList({ ctx, issue, suggestions }: { ctx: PageContext; issue: IssueDetail; suggestions: Suggestions | 'unavailable' }) {
  return (
    <section aria-labelledby="suggestions-title" class="board-suggestions">
      <h2 id="suggestions-title">{im.board.suggestionsTitle}</h2>
      {suggestions === 'unavailable' ? (
        <p class="banner">{im.board.suggestionsUnavailable}</p>
      ) : (
        <>
          <p class="hint">{im.board.suggestionsLead(suggestions.openSlots.offers, suggestions.openSlots.requests)}</p>
          {suggestions.items.length === 0 ? (
            <p class="empty">{im.board.suggestionsNone}</p>
          ) : (
            <ol class="card-list">
              {suggestions.items.map((suggestion) => (
                <li class="card suggestion" key={suggestion.listing.id}>
                  <p class="card__meta">
                    <KindTag kind={suggestion.listing.kind} /> <span class="muted">{suggestion.listing.reference}</span>{' '}
                    <span class="tag">{im.board.score(suggestion.score)}</span>
                  </p>
                  <h3 class="card__title">
                    <a href={listingPath(suggestion.listing)}>{suggestion.listing.title}</a>
                  </h3>
                  <p class="suggestion__reason">{suggestion.reason}</p>
                  <PostForm ctx={ctx} action={`${boardPath(issue.id)}/entries`}>
                    <VersionField version={issue.version} />
                    <input type="hidden" name="listingId" value={suggestion.listing.id} />
                    <button type="submit" class="button button--small" aria-label={im.board.addLabel(suggestion.listing.title)}>
                      {im.board.add}
                    </button>
                  </PostForm>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

/** One link per format the board's export routes serve: a new format cannot be left without its link. */
const EXPORT_LINKS: Record<ExportFormat, string> = { html: im.board.exportHtml, md: im.board.exportMd, json: im.board.exportJson };

function Exports({ issue }: { issue: IssueDetail }) {
  const base = boardPath(issue.id);
  return (
    <>
      <h3>{im.board.exportsTitle}</h3>
      <ul class="plain export-links">
        {EXPORT_FORMATS.map((format) => (
          <li key={format}>
            <a href={`${base}/export.${format}`}>{EXPORT_LINKS[format]}</a>
          </li>
        ))}
      </ul>
    </>
  );
}

function Actions({ ctx, data }: { ctx: PageContext; data: BoardData }) {
  const { issue, delivery } = data;
  const base = boardPath(issue.id);
  const preview = (
    <a class="button button--secondary" href={`${base}/preview`}>
      {im.board.preview}
    </a>
  );
  return (
    <section aria-labelledby="actions-title" class="panel board-actions">
      <h2 id="actions-title">{im.board.actionsTitle}</h2>
      {issue.status === 'draft' ? (
        <>
          <p class="hint">{im.board.lockHint}</p>
          <div class="actions">
            <PostForm ctx={ctx} action={`${base}/lock`} class="inline-form">
              <VersionField version={issue.version} />
              <button type="submit" class="button">
                {im.board.lock}
              </button>
            </PostForm>
            {preview}
          </div>
        </>
      ) : null}
      {issue.status === 'locked' ? (
        <>
          <p>{im.board.lockedNote}</p>
          <div class="actions">
            <PostForm ctx={ctx} action={`${base}/unlock`} class="inline-form">
              <VersionField version={issue.version} />
              <button type="submit" class="button button--secondary">
                {im.board.unlock}
              </button>
            </PostForm>
            {preview}
            <a class="button" href={`${base}/publish`}>
              {im.board.publish}
            </a>
          </div>
        </>
      ) : null}
      {issue.status === 'published' ? (
        <>
          <p>
            {im.board.publishedNote} <a href={`/tech-monitor/${issue.id}`}>{im.board.publicPage}</a>
          </p>
          <h3>{im.board.sendTitle}</h3>
          {delivery && delivery.state !== 'not_started' ? (
            <p>
              <a href={`${base}/delivery`}>{im.board.delivery}</a>
            </p>
          ) : null}
          {delivery?.state !== 'in_progress' ? (
            <PostForm ctx={ctx} action={`${base}/send`}>
              <p class="hint">{im.board.sendHint}</p>
              <button type="submit" class={delivery?.state === 'done' ? 'button button--secondary' : 'button'}>
                {delivery?.state === 'done' ? im.board.sendAgain : im.board.send}
              </button>
            </PostForm>
          ) : null}
        </>
      ) : null}
      <Exports issue={issue} />
    </section>
  );
}

export function BoardPage({ ctx, data }: { ctx: PageContext; data: BoardData }) {
  const { issue, conflict, state } = data;
  const title = heading(issue);
  return (
    <EditorLayout ctx={ctx} title={title} assets={{ scripts: [ctx.assets.board] }}>
      <p class="breadcrumbs">
        <a href="/editor/issues">{im.board.back}</a>
      </p>
      <div class="page-head">
        <h1>{title}</h1>
        <StatusTag status={issue.status} />
      </div>
      {conflict ? (
        <Refusal title={conflict.reason === null ? im.board.conflictTitle : im.board.refused}>
          <p>{conflict.reason ?? im.board.conflict}</p>
          {conflict.noteKept ? <p>{im.board.conflictNoteKept}</p> : null}
        </Refusal>
      ) : (
        <ErrorSummary state={state} />
      )}
      <IssueDetails ctx={ctx} issue={issue} />
      {issue.status === 'draft' ? (
        <p>
          <a href={`${boardPath(issue.id)}/edit`}>{im.edit.link}</a>
        </p>
      ) : null}
      <Counts issue={issue} />
      <div class="board">
        <div>
          <Entries ctx={ctx} data={data} />
          <Actions ctx={ctx} data={data} />
        </div>
        {data.suggestions ? <SuggestionList ctx={ctx} issue={issue} suggestions={data.suggestions} /> : null}
      </div>
    </EditorLayout>
  );
}

// ── editing the details ───────────────────────────────────────────────────────────────────────────

/** The form's values from an issue as saved. */
export function issueFormValues(issue: IssueView): FormValues {
  return {
    volume: String(issue.volume),
    number: String(issue.number),
    title: issue.title,
    themeText: issue.theme.text,
    themeSectors: issue.theme.sectors,
    periodStart: issue.periodStart,
    periodEnd: issue.periodEnd,
    targetOffers: String(issue.targets.offers),
    targetRequests: String(issue.targets.requests),
  };
}

export interface EditIssueData {
  /** The issue as it is now (its version goes in the form). */
  issue: IssueView;
  state: FormState;
  /** The save was refused because another editor changed the issue meanwhile; the form keeps what was typed. */
  conflict: boolean;
  /** The page answers a save: what was typed stays on the page even when the issue was locked meanwhile. */
  posted: boolean;
}

export function EditIssuePage({ ctx, data }: { ctx: PageContext; data: EditIssueData }) {
  const { issue, state, conflict, posted } = data;
  const base = boardPath(issue.id);
  const title = im.edit.title(heading(issue));
  const editable = issue.status === 'draft';
  return (
    <EditorLayout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href={base}>{im.edit.cancel}</a>
      </p>
      <h1>{title}</h1>
      {conflict ? (
        <Refusal title={im.edit.conflictTitle}>
          <p>{im.edit.conflict}</p>
        </Refusal>
      ) : (
        <ErrorSummary state={state} />
      )}
      {conflict ? (
        <section aria-labelledby="now-title" class="panel">
          <h2 id="now-title">{im.edit.now}</h2>
          <IssueDetails ctx={ctx} issue={issue} full />
        </section>
      ) : null}
      {editable ? null : <p class="banner">{im.edit.notDraft}</p>}
      {editable || (posted && issue.status === 'locked') ? (
        <section aria-labelledby="details-title" class="panel issue-form">
          <h2 id="details-title" class="visually-hidden">
            {im.edit.formTitle}
          </h2>
          <p class="hint">{im.edit.lead}</p>
          <PostForm ctx={ctx} action={`${base}/edit`} novalidate>
            <VersionField version={issue.version} />
            <IssueFields state={state} />
            <p class="actions">
              <button type="submit" class="button">
                {im.edit.save}
              </button>
              <a href={base}>{im.edit.cancel}</a>
            </p>
          </PostForm>
        </section>
      ) : null}
    </EditorLayout>
  );
}

// ── publishing ────────────────────────────────────────────────────────────────────────────────────

export function PublishPage({ ctx, issue }: { ctx: PageContext; issue: IssueDetail }) {
  const base = boardPath(issue.id);
  const title = im.publish.title(heading(issue));
  return (
    <EditorLayout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href={base}>{im.publish.cancel}</a>
      </p>
      <h1>{title}</h1>
      {issue.status !== 'locked' ? (
        <p class="banner">{im.publish.notLocked}</p>
      ) : (
        <div>
          <p class="lead">{im.publish.lead}</p>
          <ul class="freezes">
            {im.publish.freezes.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p>{im.publish.entries(issue.entries.length)}</p>
          <p>{im.publish.sendLater}</p>
          <PostForm ctx={ctx} action={`${base}/publish`} class="actions">
            <VersionField version={issue.version} />
            <button type="submit" class="button">
              {im.publish.confirm}
            </button>
            <a href={base}>{im.publish.cancel}</a>
          </PostForm>
        </div>
      )}
    </EditorLayout>
  );
}

// ── sending ───────────────────────────────────────────────────────────────────────────────────────

const DELIVERY_COUNTS = [
  ['total', im.delivery.total],
  ['sent', im.delivery.sent],
  ['queued', im.delivery.queued],
  ['skipped', im.delivery.skipped],
  ['failed', im.delivery.failed],
] as const;

export const deliveryFragmentPath = (id: string) => `${boardPath(id)}/delivery/progress`;

/** The live part of the sending page; while the send runs, htmx fetches it again every second. */
export function DeliveryPanel({ ctx, issueId, report }: { ctx: PageContext; issueId: string; report: DeliveryReport }) {
  const { progress, problems } = report;
  const running = progress.state === 'in_progress';
  const settled = progress.sent + progress.failed + progress.skipped;
  const stateText = progress.state === 'not_started' ? im.delivery.notStarted : running ? im.delivery.inProgress : im.delivery.done;
  const number = (value: number) => ctx.fmt.number(value);
  return (
    <div
      id="delivery-progress"
      class="delivery"
      data-state={progress.state}
      {...following(running ? { url: deliveryFragmentPath(issueId), seconds: 1 } : null)}
    >
      <p class="delivery__state">
        <strong>{stateText}</strong>
        {progress.startedAt ? (
          <span class="muted">
            {' '}
            {im.delivery.started} <Time ctx={ctx} value={progress.startedAt} />
          </span>
        ) : null}
      </p>
      {progress.total > 0 ? (
        <p>
          <label for="delivery-meter">{im.delivery.progressLabel}</label>
          <progress id="delivery-meter" max={progress.total} value={settled}>
            {`${settled} / ${progress.total}`}
          </progress>{' '}
          <span>
            {number(settled)} / {number(progress.total)}
          </span>
        </p>
      ) : null}
      <dl class="stats-grid">
        {DELIVERY_COUNTS.map(([key, text]) => (
          <div key={key}>
            <dt>{text}</dt>
            <dd data-count={key}>{number(progress[key])}</dd>
          </div>
        ))}
      </dl>
      {progress.state === 'done' ? (
        <section aria-labelledby="report-title">
          <h2 id="report-title">{im.delivery.reportTitle}</h2>
          {problems.length === 0 ? (
            <p>{im.delivery.reportNone}</p>
          ) : (
            <>
              <p>{im.delivery.reportLead}</p>
              <DataTable columns={[im.delivery.address, im.delivery.outcome, im.delivery.reason, im.delivery.when]}>
                {problems.map((problem) => (
                  <tr key={problem.email}>
                    <td>{problem.email}</td>
                    <td data-label={im.delivery.outcome}>
                      <Tag tone={problem.status === 'failed' ? 'bad' : 'warn'}>{problem.status === 'failed' ? im.delivery.failed : im.delivery.skipped}</Tag>
                    </td>
                    <td data-label={im.delivery.reason}>{problem.error ?? im.delivery.noReason}</td>
                    <td data-label={im.delivery.when}>
                      <Time ctx={ctx} value={problem.updatedAt} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

export function DeliveryPage({ ctx, issue, report }: { ctx: PageContext; issue: IssueView; report: DeliveryReport }) {
  const base = boardPath(issue.id);
  const title = im.delivery.title(heading(issue));
  return (
    <EditorLayout ctx={ctx} title={title}>
      <p class="breadcrumbs">
        <a href={base}>{im.delivery.back}</a>
      </p>
      <h1>{title}</h1>
      <div aria-live="polite">
        <DeliveryPanel ctx={ctx} issueId={issue.id} report={report} />
      </div>
      {report.progress.state === 'in_progress' ? (
        // Without JavaScript nothing polls: a link reloads the page.
        <p class="js-hidden">
          <a href={`${base}/delivery`}>{im.delivery.refresh}</a>
        </p>
      ) : null}
    </EditorLayout>
  );
}
