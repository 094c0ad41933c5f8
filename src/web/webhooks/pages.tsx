import type { DeliveryView, WebhookView } from '../../modules/webhooks/webhooks.service.js';
import { WEBHOOK_EVENTS } from '../../modules/webhooks/webhooks.schemas.js';
import { Choices, DataTable, ErrorSummary, offsetHref, Pager, PostForm, Tag, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { MyLayout } from '../pages/my-listings.js';
import { wm } from './messages.js';

const eventOptions = WEBHOOK_EVENTS.map((event) => ({ value: event, label: wm.eventLabel(event) }));

export const webhookFormLabels = { url: wm.url, events: wm.events, organizationId: wm.organizationId };

function StateTag({ webhook }: { webhook: WebhookView }) {
  if (webhook.enabled) return <Tag tone="ok">{wm.on}</Tag>;
  return webhook.disabledReason === 'failures' ? <Tag tone="bad">{wm.offForFailures}</Tag> : <Tag tone="warn">{wm.offByOwner}</Tag>;
}

function EventsField({ state }: { state: FormState }) {
  return <Choices name="events" legend={wm.events} hint={wm.eventsHint} state={state} options={eventOptions} />;
}

export function WebhooksPage(props: {
  ctx: PageContext;
  page: { items: WebhookView[]; total: number; offset: number; limit: number };
  organizationNames: Map<string, string>;
  state: FormState;
}) {
  const { ctx, page, organizationNames, state } = props;
  const webhooks = page.items;
  const isAdmin = ctx.actor?.role === 'admin';
  return (
    <MyLayout ctx={ctx} title={wm.title} current="/my/webhooks">
      <h1>{wm.title}</h1>
      <p>{wm.lead}</p>
      {webhooks.length === 0 ? <p class="empty">{wm.none}</p> : null}
      {webhooks.length ? (
        <DataTable columns={[wm.address, isAdmin && wm.organization, wm.events, wm.state, wm.lastSuccess]} bodyId="webhook-list">
          {webhooks.map((webhook) => (
            <tr key={webhook.id}>
              <td>
                <a href={`/my/webhooks/${webhook.id}`}>{webhook.url}</a>
              </td>
              {isAdmin ? <td>{organizationNames.get(webhook.organizationId) ?? ''}</td> : null}
              <td>{webhook.events.join(', ')}</td>
              <td>
                <StateTag webhook={webhook} />
              </td>
              <td>
                <Time ctx={ctx} value={webhook.lastSuccessAt} withTime />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <Pager ctx={ctx} id="webhook-pager" listId="webhook-list" offset={page.offset} limit={page.limit} total={page.total} hrefAt={offsetHref('/my/webhooks')} />
      <section class="panel" aria-labelledby="register">
        <h2 id="register">{wm.registerTitle}</h2>
        <ErrorSummary state={state} />
        <PostForm ctx={ctx} action="/my/webhooks" novalidate>
          <TextField name="url" type="url" label={wm.url} hint={wm.urlHint} state={state} maxLength={2000} />
          <EventsField state={state} />
          {isAdmin ? <TextField name="organizationId" label={wm.organizationId} hint={wm.organizationIdHint} state={state} /> : null}
          <button type="submit" class="button">
            {wm.register}
          </button>
        </PostForm>
        <p class="muted">{wm.docs}</p>
      </section>
    </MyLayout>
  );
}

export function WebhookPage(props: { ctx: PageContext; webhook: WebhookView; deliveries: DeliveryView[]; logDays: number; state: FormState }) {
  const { ctx, webhook, deliveries, logDays, state } = props;
  const base = `/my/webhooks/${webhook.id}`;
  return (
    <MyLayout ctx={ctx} title={wm.detailTitle(webhook.url)} current="/my/webhooks">
      <p>
        <a href="/my/webhooks">{wm.back}</a>
      </p>
      <h1>{wm.detailTitle(webhook.url)}</h1>
      {webhook.disabledReason === 'failures' ? (
        <div class="banner" role="note">
          {wm.stoppedBanner(webhook.consecutiveFailures)}
        </div>
      ) : null}
      <dl class="summary-list">
        <dt>{wm.state}</dt>
        <dd>
          <StateTag webhook={webhook} />
        </dd>
        <dt>{wm.events}</dt>
        <dd>{webhook.events.map((event) => wm.eventLabel(event)).join('; ')}</dd>
        <dt>{wm.failures}</dt>
        <dd>{ctx.fmt.number(webhook.consecutiveFailures)}</dd>
        <dt>{wm.lastSuccess}</dt>
        <dd>
          <Time ctx={ctx} value={webhook.lastSuccessAt} withTime />
        </dd>
        <dt>{wm.lastFailure}</dt>
        <dd>
          <Time ctx={ctx} value={webhook.lastFailureAt} withTime />
        </dd>
        <dt>{wm.secretPrefix}</dt>
        <dd>
          <code>{webhook.secretPrefix}…</code>
        </dd>
      </dl>

      <section aria-labelledby="actions">
        <h2 id="actions">{wm.actionsTitle}</h2>
        <div class="actions">
          <PostForm ctx={ctx} action={`${base}/test`} class="inline-form">
            <button type="submit" class="button">
              {wm.sendTest}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`${base}/${webhook.enabled ? 'disable' : 'enable'}`} class="inline-form">
            <button type="submit" class="button button--secondary">
              {webhook.enabled ? wm.turnOff : wm.turnOn}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`${base}/rotate-secret`} class="inline-form">
            <button type="submit" class="button button--secondary" aria-describedby="rotate-hint">
              {wm.rotate}
            </button>
          </PostForm>
          <PostForm ctx={ctx} action={`${base}/delete`} class="inline-form">
            <button type="submit" class="button button--danger">
              {wm.delete}
            </button>
          </PostForm>
        </div>
        <p class="hint" id="rotate-hint">
          {wm.rotateHint}
        </p>
      </section>

      <section aria-labelledby="log">
        <h2 id="log">{wm.logTitle}</h2>
        <p class="muted">{wm.logLead(logDays)}</p>
        {deliveries.length === 0 ? <p class="empty">{wm.logEmpty}</p> : null}
        {deliveries.length ? (
          <DataTable columns={[wm.time, wm.event, wm.status, { label: wm.attempts, num: true }, { label: wm.statusCode, num: true }, wm.error]}>
            {deliveries.map((delivery) => (
              <tr key={delivery.id}>
                <td>
                  <Time ctx={ctx} value={delivery.lastAttemptAt ?? delivery.createdAt} withTime />
                </td>
                <td>{delivery.eventType}</td>
                <td>
                  <Tag tone={delivery.status === 'delivered' ? 'ok' : delivery.status === 'failed' ? 'bad' : 'status'}>{wm.deliveryStatus(delivery.status)}</Tag>
                </td>
                <td class="num">{delivery.attempts}</td>
                <td class="num">{delivery.lastStatusCode ?? '–'}</td>
                <td>{delivery.lastError ?? ''}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>

      <section class="panel" aria-labelledby="edit">
        <h2 id="edit">{wm.editTitle}</h2>
        <ErrorSummary state={state} />
        <PostForm ctx={ctx} action={base} novalidate>
          <TextField name="url" type="url" label={wm.url} hint={wm.urlHint} state={state} maxLength={2000} />
          <EventsField state={state} />
          <button type="submit" class="button">
            {wm.save}
          </button>
        </PostForm>
      </section>
    </MyLayout>
  );
}

/** Shown once, right after the secret was made; it is never shown again. */
export function WebhookSecretPage({ ctx, webhook, secret }: { ctx: PageContext; webhook: WebhookView; secret: string }) {
  return (
    <MyLayout ctx={ctx} title={wm.secretTitle} current="/my/webhooks">
      <h1>{wm.secretTitle}</h1>
      <p>{wm.secretLead}</p>
      <dl class="summary-list">
        <dt>{wm.address}</dt>
        <dd>{webhook.url}</dd>
        <dt>{wm.secretLabel}</dt>
        <dd>
          <code class="secret">{secret}</code>
        </dd>
      </dl>
      <p>
        <a class="button" href={`/my/webhooks/${webhook.id}`}>
          {wm.continue}
        </a>
      </p>
    </MyLayout>
  );
}
