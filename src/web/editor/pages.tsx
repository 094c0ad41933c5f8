import type { ComponentChildren } from 'preact';
import type { CompletenessFinding } from '../../modules/listings/listings.rules.js';
import type { FieldChange, FieldValue } from '../../modules/listings/listings.service.js';
import type { toListing } from '../../modules/listings/listings.service.js';
import type { FormState } from '../forms.js';
import { DataTable, ErrorSummary, PostForm, SubNav, Tag, TextArea, Time, type SubNavItem } from '../components.js';
import type { PageContext, PageMeta } from '../context.js';
import { Layout } from '../layout.js';
import { label } from '../messages.js';
import { KindTag } from '../pages/listing-parts.js';
import { im } from './issues.messages.js';
import { em } from './messages.js';
import { rm } from './reports.messages.js';
import { im as importMessages } from '../import/messages.js';

export type EditorListing = ReturnType<typeof toListing>;

export interface QueueEntry {
  kind: 'listing' | 'revision';
  listingId: string;
  reference: string;
  title: string;
  listingKind: string;
  status: string;
  changedFields: number;
  since: Date;
}

const EDITOR_SECTIONS: SubNavItem[] = [
  // A review page belongs to the queue it was opened from.
  { href: '/editor', label: em.nav.queue, current: (path) => path === '/editor' || path.startsWith('/editor/listings/') },
  { href: '/editor/issues', label: im.nav.issues },
  { href: '/editor/reports', label: rm.nav },
  { href: '/my/import', label: importMessages.nav },
];

export function EditorLayout({ ctx, title, children, assets }: { ctx: PageContext; title: string; children: ComponentChildren; assets?: Pick<PageMeta, 'styles' | 'scripts'> }) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true, ...assets }}>
      <SubNav ctx={ctx} label={em.nav.editor} items={EDITOR_SECTIONS} />
      {children}
    </Layout>
  );
}

const hoursSince = (now: Date, since: Date) => (now.getTime() - new Date(since).getTime()) / 3_600_000;

export function QueuePage({ ctx, entries, now }: { ctx: PageContext; entries: QueueEntry[]; now: Date }) {
  return (
    <EditorLayout ctx={ctx} title={em.queue.title}>
      <h1>{em.queue.title}</h1>
      <p class="lead">{em.queue.lead}</p>
      {entries.length === 0 ? (
        <p>{em.queue.empty}</p>
      ) : (
        <DataTable columns={[em.queue.titleColumn, em.queue.kindColumn, em.queue.waitingColumn]}>
          {entries.map((entry) => (
            <tr key={`${entry.kind}-${entry.listingId}`}>
              <td>
                <KindTag kind={entry.listingKind} /> <a href={`/editor/listings/${entry.listingId}`}>{entry.title}</a>{' '}
                <span class="muted">{entry.reference}</span>
              </td>
              <td>
                {entry.kind === 'revision' ? (
                  <Tag tone="warn">{em.queue.revision(entry.changedFields)}</Tag>
                ) : entry.status === 'on_hold' ? (
                  <Tag tone="warn">{em.queue.onHold}</Tag>
                ) : (
                  <Tag>{em.queue.newListing}</Tag>
                )}
              </td>
              <td>
                {em.queue.waiting(hoursSince(now, entry.since))} <span class="muted">(<Time ctx={ctx} value={entry.since} />)</span>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </EditorLayout>
  );
}

function shown(value: FieldValue, field: string) {
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return em.review.empty;
  if (Array.isArray(value)) return value.join(', ');
  if (field === 'anonymous') return value ? 'yes' : 'no';
  return String(value);
}

export interface Duplicate {
  id: string;
  reference: string;
  title: string;
  kind: string;
  organizationName: string;
  score: number;
}

export interface ReviewData {
  listing: EditorListing;
  findings: CompletenessFinding[];
  duplicates: Duplicate[] | null;
  revision: FieldChange[] | null;
  /** Which decisions the listing's status allows (the lifecycle table's). */
  actions: ('publish' | 'return' | 'reject' | 'hold')[];
  state: FormState;
}

function NoteForm({ ctx, action, field, labelText, button, state, danger }: { ctx: PageContext; action: string; field: string; labelText: string; button: string; state: FormState; danger?: boolean }) {
  return (
    <PostForm ctx={ctx} action={action} class="card">
      <TextArea name={field} label={labelText} state={state} maxLength={2000} rows={3} required />
      <button type="submit" class={danger ? 'button button--danger' : 'button button--secondary'}>
        {button}
      </button>
    </PostForm>
  );
}

export function ReviewPage({ ctx, data }: { ctx: PageContext; data: ReviewData }) {
  const { listing, findings, duplicates, revision, actions, state } = data;
  const base = `/editor/listings/${listing.id}`;
  return (
    <EditorLayout ctx={ctx} title={em.review.title(listing.title)}>
      <p class="breadcrumbs">
        <a href="/editor">{em.review.back}</a>
      </p>
      <h1>{em.review.title(listing.title)}</h1>
      <p>
        <KindTag kind={listing.kind} /> <Tag>{label.listingStatus(listing.status)}</Tag> <span class="muted">{listing.reference}</span>
      </p>
      <ErrorSummary state={state} />

      <section aria-labelledby="check">
        <h2 id="check">{em.review.checkTitle}</h2>
        {findings.length === 0 ? (
          <p>{em.review.checkOk}</p>
        ) : (
          <ul class="findings">
            {findings.map((finding) => (
              <li key={`${finding.code}-${finding.field}`}>
                {em.finding[finding.code]} <span class="muted">({em.fieldName[finding.field]})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="duplicates">
        <h2 id="duplicates">{em.review.duplicatesTitle}</h2>
        {duplicates === null ? (
          <p>{em.review.duplicatesUnavailable}</p>
        ) : duplicates.length === 0 ? (
          <p>{em.review.duplicatesNone}</p>
        ) : (
          <ul>
            {duplicates.map((duplicate) => (
              <li key={duplicate.id}>
                <KindTag kind={duplicate.kind} /> <a href={`/listings/${encodeURIComponent(duplicate.reference)}`}>{duplicate.title}</a>{' '}
                <span class="muted">
                  {duplicate.reference} · {duplicate.organizationName} · {em.review.similarity(duplicate.score)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      {revision ? (
        <section aria-labelledby="revision">
          <h2 id="revision">{em.review.revisionTitle}</h2>
          <DataTable class="diff" columns={[em.review.field, em.review.published, em.review.proposed]}>
            {revision.map((change) => (
              <tr key={change.field}>
                <th scope="row">{em.fieldName[change.field] ?? change.field}</th>
                <td>
                  <del>{shown(change.published, change.field)}</del>
                </td>
                <td>
                  <ins>{shown(change.proposed, change.field)}</ins>
                </td>
              </tr>
            ))}
          </DataTable>
          <PostForm ctx={ctx} action={`${base}/revision/accept`}>
            <button type="submit" class="button">
              {em.review.accept}
            </button>
          </PostForm>
          <NoteForm ctx={ctx} action={`${base}/revision/return`} field="revisionNote" labelText={em.review.revisionNote} button={em.review.returnRevision} state={state} />
        </section>
      ) : null}

      <section aria-labelledby="preview">
        <h2 id="preview">{revision ? em.review.publishedNow : em.review.asPublished}</h2>
        <article class="card">
          <h3>{listing.title}</h3>
          <p class="lead">{listing.summary}</p>
          <p>{listing.description}</p>
          {listing.advantages ? <p>{listing.advantages}</p> : null}
          {listing.specificationSought ? <p>{listing.specificationSought}</p> : null}
          <ul class="facts-inline">
            <li>{label.stage(listing.stage)}</li>
            <li>{label.trl(listing.trl)}</li>
            <li>{label.ipr(listing.iprStatus)}</li>
            {listing.sectors.map((sector) => (
              <li key={sector}>{label.sector(sector)}</li>
            ))}
          </ul>
          <p>
            {em.review.organization}: {listing.organization.name}
            {listing.anonymous ? <> · {em.review.anonymous}</> : null}
          </p>
          {listing.editorNote ? (
            <p class="muted">
              {em.review.editorNote}: {listing.editorNote}
            </p>
          ) : null}
        </article>
      </section>

      {actions.length === 0 && !revision ? (
        // A listing opened from elsewhere (returned, withdrawn, archived…): say why nothing is offered.
        <p class="banner">{em.review.nothingToDecide(label.listingStatus(listing.status))}</p>
      ) : null}
      {actions.length > 0 ? (
        <section aria-labelledby="decision">
          <h2 id="decision">{em.review.actionsTitle}</h2>
          {actions.includes('publish') ? (
            <PostForm ctx={ctx} action={`${base}/publish`}>
              <button type="submit" class="button">
                {em.review.publish}
              </button>
            </PostForm>
          ) : null}
          {actions.includes('return') ? <NoteForm ctx={ctx} action={`${base}/return`} field="returnNote" labelText={em.review.returnNote} button={em.review.returnListing} state={state} /> : null}
          {actions.includes('reject') ? <NoteForm ctx={ctx} action={`${base}/reject`} field="rejectNote" labelText={em.review.rejectNote} button={em.review.reject} state={state} danger /> : null}
          {actions.includes('hold') ? <NoteForm ctx={ctx} action={`${base}/hold`} field="holdNote" labelText={em.review.holdNote} button={em.review.hold} state={state} danger /> : null}
        </section>
      ) : null}
    </EditorLayout>
  );
}
