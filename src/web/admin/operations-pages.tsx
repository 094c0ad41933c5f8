import type { Job } from '../../modules/jobs/job-queue.js';
import type { toMailMessageView } from '../../modules/mail/mail.service.js';
import type { SearchService } from '../../modules/search/search.service.js';
import type { NewsletterService } from '../../modules/techmonitor/newsletter.service.js';
import { SUBSCRIBER_STATUSES } from '../../modules/techmonitor/techmonitor.schemas.js';
import { DataTable, following, PostForm, StatsGrid, Tag, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { am } from './messages.js';
import { AdminLayout, FilterSearch, FilterSelect, NumberedPager } from './pages.js';

export interface QueueStats {
  queue: string;
  pending: number;
  running: number;
  failed: number;
  oldestPendingAgeSeconds: number;
}

export interface JobsData {
  queues: QueueStats[];
  mailCounts: Record<string, number>;
  failedMail: { items: ReturnType<typeof toMailMessageView>[]; total: number };
  failedJobs: { items: Job[]; total: number };
  queue: string;
}


/** A row's retry button; its name says what is retried (for screen readers, who hear it out of the table). */
function RetryButton({ ctx, action, what }: { ctx: PageContext; action: string; what: string }) {
  return (
    <PostForm ctx={ctx} action={action} class="inline-form">
      <button type="submit" class="button button--small button--secondary">
        {am.jobs.retry}
        <span class="visually-hidden"> ({what})</span>
      </button>
    </PostForm>
  );
}

export function JobsPage({ ctx, data }: { ctx: PageContext; data: JobsData }) {
  const { queues, mailCounts, failedMail, failedJobs, queue } = data;
  return (
    <AdminLayout ctx={ctx} title={am.jobs.title}>
      <h1>{am.jobs.title}</h1>
      <p class="lead">{am.jobs.lead}</p>

      <h2>{am.jobs.queues}</h2>
      {queues.length === 0 ? (
        <p>{am.jobs.noQueues}</p>
      ) : (
        <DataTable columns={[am.jobs.queue, ...[am.jobs.pending, am.jobs.running, am.jobs.failed, am.jobs.longestWait].map((text) => ({ label: text, num: true }))]}>
          {queues.map((row) => (
            <tr key={row.queue}>
              <th scope="row">{row.queue}</th>
              <td class="num" data-label={am.jobs.pending}>
                {ctx.fmt.number(row.pending)}
              </td>
              <td class="num" data-label={am.jobs.running}>
                {ctx.fmt.number(row.running)}
              </td>
              <td class="num" data-label={am.jobs.failed}>
                {row.failed > 0 ? <a href={`/admin/jobs?queue=${encodeURIComponent(row.queue)}#failed-jobs`}>{ctx.fmt.number(row.failed)}</a> : '0'}
              </td>
              <td class="num" data-label={am.jobs.longestWait}>
                {row.oldestPendingAgeSeconds > 0 ? am.jobs.seconds(row.oldestPendingAgeSeconds) : '–'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <h2>{am.jobs.mail}</h2>
      <StatsGrid entries={Object.entries(mailCounts).map(([status, count]) => [am.jobs.mailStatus[status] ?? status, ctx.fmt.number(count)])} />

      <section class="panel" aria-labelledby="failed-mail">
        <h2 id="failed-mail">{am.jobs.failedMail}</h2>
        <p class="hint">{am.jobs.failedMailIntro}</p>
        {failedMail.items.length === 0 ? (
          <p>{am.jobs.noFailedMail}</p>
        ) : (
          <>
            {failedMail.total > failedMail.items.length ? <p>{am.jobs.showingFirst(failedMail.items.length, failedMail.total)}</p> : null}
            <DataTable columns={[am.jobs.to, am.jobs.subject, am.jobs.lastAttempt, am.jobs.error, am.jobs.retry]}>
              {failedMail.items.map((message) => (
                <tr key={message.id}>
                  <td data-label={am.jobs.to}>{message.to.email}</td>
                  <td data-label={am.jobs.subject}>
                    {message.subject} <span class="muted">({message.template})</span>
                  </td>
                  <td data-label={am.jobs.lastAttempt}>
                    <Time ctx={ctx} withTime value={message.lastAttemptAt} /> <span class="muted">({am.jobs.attempts}: {message.attempts})</span>
                  </td>
                  <td data-label={am.jobs.error}>{message.lastError ?? '–'}</td>
                  <td data-label={am.jobs.retry}>
                    <RetryButton ctx={ctx} action={`/admin/mail/${message.id}/retry`} what={am.jobs.retryMail(message.to.email)} />
                  </td>
                </tr>
              ))}
            </DataTable>
            <PostForm ctx={ctx} action="/admin/mail/retry-failed" class="actions">
              <button type="submit" class="button">
                {am.jobs.retryAllMail}
              </button>
            </PostForm>
          </>
        )}
      </section>

      <section class="panel" aria-labelledby="failed-jobs">
        <h2 id="failed-jobs">{am.jobs.failedJobs}</h2>
        <p class="hint">{am.jobs.failedJobsIntro}</p>
        <form method="get" action="/admin/jobs#failed-jobs" class="inline-fields">
          <FilterSelect name="queue" label={am.jobs.filterQueue} any={am.jobs.allQueues} options={queues.map((row) => ({ value: row.queue, label: row.queue }))} selected={queue} />
          <button type="submit" class="button button--secondary">
            {am.jobs.show}
          </button>
        </form>
        {failedJobs.items.length === 0 ? (
          <p>{am.jobs.noFailedJobs}</p>
        ) : (
          <>
            {failedJobs.total > failedJobs.items.length ? <p>{am.jobs.showingFirst(failedJobs.items.length, failedJobs.total)}</p> : null}
            <DataTable columns={[am.jobs.job, am.jobs.finished, am.jobs.error, am.jobs.retry]}>
              {failedJobs.items.map((job) => (
                <tr key={job.id}>
                  <td data-label={am.jobs.job}>
                    {job.queue} #{job.id} <span class="muted">({am.jobs.attempts}: {job.attempts})</span>
                  </td>
                  <td data-label={am.jobs.finished}>
                    <Time ctx={ctx} withTime value={job.finishedAt} />
                  </td>
                  <td data-label={am.jobs.error}>{job.lastError ?? '–'}</td>
                  <td data-label={am.jobs.retry}>
                    <RetryButton ctx={ctx} action={`/admin/jobs/${job.id}/retry`} what={am.jobs.retryJob(job.id)} />
                  </td>
                </tr>
              ))}
            </DataTable>
            <PostForm ctx={ctx} action="/admin/jobs/retry-failed" class="actions">
              {queue ? <input type="hidden" name="queue" value={queue} /> : null}
              <button type="submit" class="button">
                {queue ? am.jobs.retryAllJobsOf(queue) : am.jobs.retryAllJobs}
              </button>
            </PostForm>
          </>
        )}
      </section>
    </AdminLayout>
  );
}

export type SearchStatus = Awaited<ReturnType<SearchService['adminStatus']>>;

const isOpen = (run: SearchStatus['reindex']) => run !== null && (run.status === 'queued' || run.status === 'running');

export function SearchStatusPage({ ctx, status }: { ctx: PageContext; status: SearchStatus }) {
  return (
    <AdminLayout ctx={ctx} title={am.search.title}>
      <h1>{am.search.title}</h1>
      <p class="lead">{am.search.lead}</p>
      <SearchStatusPanel ctx={ctx} status={status} />
    </AdminLayout>
  );
}

/**
 * The status and the rebuild. While a rebuild is under way, htmx reloads this part of the page
 * every two seconds (it picks the same element out of the whole page); without JavaScript the
 * refresh link does it.
 */
function SearchStatusPanel({ ctx, status }: { ctx: PageContext; status: SearchStatus }) {
  const run = status.reindex;
  const polling = isOpen(run);
  const n = (value: number | null) => (value === null ? am.search.unknown : ctx.fmt.number(value));
  return (
    <div id="search-status" {...following(polling ? { url: '/admin/search', select: '#search-status', seconds: 2 } : null)}>
      <h2>{am.search.status}</h2>
      <StatsGrid
        entries={[
          [am.search.engine, am.search.engines[status.engine] ?? status.engine],
          [am.search.documents, n(status.documents)],
          [am.search.published, n(status.publishedListings)],
          [am.search.pendingJobs, n(status.pendingJobs)],
          [am.search.failedJobs, status.failedJobs > 0 ? <a href="/admin/jobs?queue=search#failed-jobs">{n(status.failedJobs)}</a> : '0'],
        ]}
      />
      <p>
        {status.available ? <Tag tone="ok">{am.search.available}</Tag> : <Tag tone="bad">{am.search.unavailable(status.error ?? '')}</Tag>}{' '}
        {am.search.lastSync}: {status.lastSyncAt ? <Time ctx={ctx} withTime value={status.lastSyncAt} /> : am.search.never}. {am.search.lag}:{' '}
        {status.lagSeconds > 0 ? am.jobs.seconds(status.lagSeconds) : am.search.upToDate}.
      </p>

      <section class="panel" aria-labelledby="rebuild">
        <h2 id="rebuild">{am.search.rebuild}</h2>
        <p class="hint">{am.search.rebuildIntro}</p>
        <h3>{am.search.latest}</h3>
        {run ? (
          <div aria-live="polite">
            <p>
              <Tag tone={run.status === 'failed' ? 'bad' : run.status === 'done' ? 'ok' : 'warn'}>{am.search.runStatus[run.status]}</Tag>{' '}
              {run.total !== null ? am.search.progress(ctx.fmt.number(run.indexed), ctx.fmt.number(run.total)) : am.search.progressUnknown(ctx.fmt.number(run.indexed))}
            </p>
            {polling ? (
              <p>
                <label for="reindex-progress">{am.search.progressLabel}</label>{' '}
                <progress id="reindex-progress" max={Math.max(run.total ?? 0, run.indexed, 1)} value={run.indexed}>
                  {run.indexed}
                </progress>
              </p>
            ) : null}
            <p class="muted">
              {am.search.requested}: <Time ctx={ctx} withTime value={run.createdAt} />
              {run.startedAt ? (
                <>
                  {' · '}
                  {am.search.started}: <Time ctx={ctx} withTime value={run.startedAt} />
                </>
              ) : null}
              {run.finishedAt ? (
                <>
                  {' · '}
                  {am.search.finishedAt}: <Time ctx={ctx} withTime value={run.finishedAt} />
                </>
              ) : null}
            </p>
            {run.error ? (
              <p>
                {am.search.error}: {run.error}
              </p>
            ) : null}
          </div>
        ) : (
          <p>{am.search.noRun}</p>
        )}
        {polling ? (
          <p>
            <a href="/admin/search">{am.search.refresh}</a> <span class="hint">{am.search.refreshHint}</span>
          </p>
        ) : (
          <PostForm ctx={ctx} action="/admin/search/reindex">
            <button type="submit" class="button">
              {am.search.rebuildButton}
            </button>
          </PostForm>
        )}
      </section>
    </div>
  );
}

export type SubscriberList = Awaited<ReturnType<NewsletterService['listSubscribers']>>;

export function SubscribersPage(props: {
  ctx: PageContext;
  list: SubscriberList;
  counts: Record<string, number>;
  filter: { status: string; q: string };
  offset: number;
  limit: number;
}) {
  const { ctx, list, counts, filter, offset, limit } = props;
  const sm = am.subscribers;
  return (
    <AdminLayout ctx={ctx} title={sm.title}>
      <h1>{sm.title}</h1>
      <p class="lead">{sm.lead}</p>
      <h2 class="visually-hidden">{sm.counts}</h2>
      <StatsGrid entries={SUBSCRIBER_STATUSES.map((status) => [<a href={`/admin/subscribers?status=${status}`}>{sm.statusName[status]}</a>, ctx.fmt.number(counts[status] ?? 0)])} />
      <form method="get" action="/admin/subscribers" class="card inline-fields">
        <FilterSelect name="status" label={sm.status} any={sm.anyStatus} options={SUBSCRIBER_STATUSES.map((status) => ({ value: status, label: sm.statusName[status]! }))} selected={filter.status} />
        <FilterSearch label={sm.search} value={filter.q} maxLength={254} />
        <button type="submit" class="button button--secondary">
          {sm.find}
        </button>
      </form>
      <p>{sm.total(list.total)}</p>
      {list.items.length === 0 ? (
        <p class="empty">{sm.none}</p>
      ) : (
        <DataTable columns={[sm.email, sm.status, sm.subscribed, sm.changed, sm.actions]}>
          {list.items.map((subscriber) => (
            <tr key={subscriber.id}>
              <td data-label={sm.email}>
                {subscriber.email}
                {subscriber.name ? <span class="muted"> ({subscriber.name})</span> : null}
              </td>
              <td data-label={sm.status}>
                <Tag tone={subscriber.status === 'active' ? 'ok' : subscriber.status === 'bounced' ? 'bad' : subscriber.status === 'pending' ? 'warn' : undefined}>
                  {sm.statusName[subscriber.status]}
                </Tag>
              </td>
              <td data-label={sm.subscribed}>
                <Time ctx={ctx} withTime value={subscriber.createdAt} />
              </td>
              <td data-label={sm.changed}>
                <Time ctx={ctx} withTime value={subscriber.bouncedAt ?? subscriber.unsubscribedAt ?? subscriber.confirmedAt} />
              </td>
              <td data-label={sm.actions}>
                {subscriber.status === 'active' || subscriber.status === 'pending' ? (
                  <PostForm ctx={ctx} action="/admin/subscribers/bounce" class="inline-form">
                    <input type="hidden" name="email" value={subscriber.email} />
                    <button type="submit" class="button button--small button--danger">
                      {sm.bounce}
                      <span class="visually-hidden"> ({sm.bounceNamed(subscriber.email)})</span>
                    </button>
                  </PostForm>
                ) : (
                  '–'
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <NumberedPager path="/admin/subscribers" params={filter} offset={offset} limit={limit} total={list.total} />
    </AdminLayout>
  );
}
