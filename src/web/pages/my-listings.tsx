import type { toListing } from '../../modules/listings/listings.service.js';
import { EDITABLE_STATUSES, LISTING_TRANSITIONS, MAX_RENEWALS } from '../../modules/listings/listings.rules.js';
import type { ListingCounts } from '../../modules/listings/listings.service.js';
import { IPR_STATUSES, PARTNERSHIP_TYPES, SDGS, STAGES, TRL_LEVELS, type ListingStatus } from '../../modules/vocabularies/enums.js';
import { Checkbox, Choices, DataTable, ErrorSummary, offsetHref, Pager, PostForm, Select, StatsGrid, SubNav, Tag, TextArea, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { Layout } from '../layout.js';
import { label, m, stageExplained } from '../messages.js';
import { countryOptions, sectorOptions } from './account.js';
import { KindTag, listingPath, type PublicListing } from './listing-parts.js';
import { managesWebhooks } from '../../modules/webhooks/webhooks.rules.js';
import { wm } from '../webhooks/messages.js';
import { im } from '../import/messages.js';
import { mayImport } from '../../modules/imports/imports.service.js';

export type OwnListing = ReturnType<typeof toListing>;
export type ListingStats = ListingCounts & { interests: number };

/** The workspace's navigation, on every /my page. */
export function MyNav({ ctx, current }: { ctx: PageContext; current: string }) {
  const links = [
    { href: '/my', label: m.my.listings },
    { href: '/my/interests/received', label: m.my.interestsReceived },
    { href: '/my/interests/sent', label: m.my.interestsSent },
    { href: '/my/introductions', label: m.my.introductions },
    { href: '/my/saved-searches', label: m.my.savedSearches },
    ...(ctx.actor?.role === 'intermediary' ? [{ href: '/my/clients', label: m.my.clients }] : []),
    ...(ctx.actor && managesWebhooks(ctx.actor) ? [{ href: '/my/webhooks', label: wm.nav }] : []),
    ...(ctx.actor && mayImport(ctx.actor.role) ? [{ href: '/my/import', label: im.nav }] : []),
  ];
  // Pages name the item they belong to (a listing's page belongs to "My listings").
  return <SubNav ctx={ctx} label={m.my.title} items={links.map((link) => ({ ...link, current: () => link.href === current }))} />;
}

export function MyLayout({
  ctx,
  title,
  current,
  refreshSeconds,
  children,
}: {
  ctx: PageContext;
  title: string;
  current: string;
  refreshSeconds?: number;
  children: preact.ComponentChildren;
}) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true, refreshSeconds }}>
      <MyNav ctx={ctx} current={current} />
      {ctx.actor && !ctx.actor.emailVerified ? (
        <div class="banner" role="note">
          {m.my.verifyBanner}{' '}
          <PostForm ctx={ctx} action="/verify-email/resend" class="inline-form">
            <button type="submit" class="link-button">
              {m.my.resend}
            </button>
          </PostForm>
        </div>
      ) : null}
      {children}
    </Layout>
  );
}

const statusTone = (status: string) => (status === 'published' ? 'ok' : status === 'returned' || status === 'on_hold' ? 'warn' : status === 'rejected' ? 'bad' : 'status');

export interface MyListingsData {
  listings: OwnListing[];
  stats: Map<string, ListingStats>;
  total: number;
  offset: number;
  limit: number;
}

export function MyListingsPage({ ctx, data }: { ctx: PageContext; data: MyListingsData }) {
  return (
    <MyLayout ctx={ctx} title={m.my.listings} current="/my">
      <div class="page-head">
        <h1>{m.my.listings}</h1>
        <a class="button" href="/my/listings/new">
          {m.my.newListing}
        </a>
      </div>
      {data.total === 0 ? <p class="empty">{m.my.noListings}</p> : <MyListingsTable ctx={ctx} data={data} />}
    </MyLayout>
  );
}

/** The table of one's listings with their counts, and its pager; alone, the answer to "show more". */
export function MyListingsTable({ ctx, data, appended = false }: { ctx: PageContext; data: MyListingsData; appended?: boolean }) {
  return (
    <>
      <DataTable bodyId="my-listings-rows" headless={appended} columns={[m.listing.reference, m.my.status, m.my.expires, ...[m.my.views, m.my.searchAppearances, m.my.matchAppearances, m.my.interests].map((text) => ({ label: text, num: true }))]}>
        {data.listings.map((listing) => {
          const counts = data.stats.get(listing.id);
          return (
            <tr key={listing.id}>
              <td>
                <a href={`/my/listings/${listing.id}`}>{listing.title}</a>
                <span class="hint">
                  {label.kind(listing.kind)} · {listing.reference}
                  {listing.organization && listing.organizationId !== ctx.actor?.organizationId ? ` · ${listing.organization.name}` : ''}
                </span>
                {listing.editorNote && (listing.status === 'returned' || listing.status === 'on_hold' || listing.status === 'rejected') ? (
                  <span class="note">
                    {m.my.editorNote}: {listing.editorNote}
                  </span>
                ) : null}
              </td>
              <td data-label={m.my.status}>
                <Tag tone={statusTone(listing.status)}>{label.listingStatus(listing.status)}</Tag>
              </td>
              <td data-label={m.my.expires}>
                <Time ctx={ctx} value={listing.expiresAt} />
              </td>
              <td class="num" data-label={m.my.views}>{ctx.fmt.number(counts?.views ?? 0)}</td>
              <td class="num" data-label={m.my.searchAppearances}>{ctx.fmt.number(counts?.searchAppearances ?? 0)}</td>
              <td class="num" data-label={m.my.matchAppearances}>{ctx.fmt.number(counts?.matchAppearances ?? 0)}</td>
              <td class="num" data-label={m.my.interests}>{ctx.fmt.number(counts?.interests ?? 0)}</td>
            </tr>
          );
        })}
      </DataTable>
      <Pager
        ctx={ctx}
        id="my-listings-pager"
        listId="my-listings-rows"
        offset={data.offset}
        limit={data.limit}
        total={data.total}
        hrefAt={offsetHref('/my')}
        appended={appended}
      />
    </>
  );
}

interface HistoryEntry {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  createdAt: Date;
}

export interface MatchView {
  score: number;
  /** The matching service's calibrated verdict: the page shows it, never a threshold of its own. */
  label: 'strong' | 'possible' | 'weak';
  explanation: { summary: string; fits: string[]; gaps: string[] };
  listing: PublicListing;
}

const can = (action: keyof typeof LISTING_TRANSITIONS, status: string) => LISTING_TRANSITIONS[action].from.includes(status as ListingStatus);

const matchTone = { strong: 'ok', possible: 'status', weak: 'warn' } as const;

export interface MatchPage {
  items: MatchView[];
  total: number;
  summary: { message: string };
}

export function MyListingPage(props: { ctx: PageContext; listing: OwnListing; stats: ListingStats; matches: MatchPage; matchOffset: number; matchLimit: number; history: HistoryEntry[] }) {
  const { ctx, listing, stats, matches, matchOffset, matchLimit, history } = props;
  const actions = [
    can('submit', listing.status) ? { action: 'submit', label: m.my.submit, primary: true } : null,
    can('renew', listing.status) && listing.renewalCount < MAX_RENEWALS ? { action: 'renew', label: m.my.renew } : null,
    can('withdraw', listing.status) ? { action: 'withdraw', label: m.my.withdraw } : null,
    can('archive', listing.status) ? { action: 'archive', label: m.my.archive } : null,
  ].filter((entry): entry is { action: string; label: string; primary?: boolean } => entry !== null);
  return (
    <MyLayout ctx={ctx} title={listing.title} current="/my">
      <p class="card__meta">
        <KindTag kind={listing.kind} /> <span class="muted">{listing.reference}</span> <Tag tone={statusTone(listing.status)}>{label.listingStatus(listing.status)}</Tag>
      </p>
      <h1>{listing.title}</h1>
      {listing.editorNote ? (
        <div class="banner" role="note">
          <strong>{m.my.editorNote}:</strong> {listing.editorNote}
        </div>
      ) : null}
      <StatsGrid
        entries={[
          [m.my.views, ctx.fmt.number(stats.views)],
          [m.my.searchAppearances, ctx.fmt.number(stats.searchAppearances)],
          [m.my.matchAppearances, ctx.fmt.number(stats.matchAppearances)],
          [m.my.interests, <a href={`/my/interests/received?listingId=${listing.id}`}>{ctx.fmt.number(stats.interests)}</a>],
          [m.my.expires, <Time ctx={ctx} value={listing.expiresAt} />],
        ]}
      />
      <div class="actions">
        {EDITABLE_STATUSES.includes(listing.status) ? (
          <a class="button button--secondary" href={`/my/listings/${listing.id}/edit`}>
            {m.my.edit}
          </a>
        ) : null}
        {listing.status === 'published' ? (
          <a class="button button--secondary" href={listingPath(listing)}>
            {m.my.viewPublic}
          </a>
        ) : null}
        {actions.map((entry) => (
          <PostForm ctx={ctx} action={`/my/listings/${listing.id}/${entry.action}`} class="inline-form" key={entry.action}>
            <button type="submit" class={entry.primary ? 'button' : 'button button--secondary'}>
              {entry.label}
            </button>
          </PostForm>
        ))}
      </div>
      <section aria-labelledby="matches">
        <h2 id="matches">
          {m.my.matches} <span class="count">{ctx.fmt.number(matches.total)}</span>
        </h2>
        {matches.total === 0 ? <p class="empty">{m.my.noMatches}</p> : <p>{matches.summary.message}</p>}
        <MatchList ctx={ctx} listingId={listing.id} matches={matches} offset={matchOffset} limit={matchLimit} />
      </section>
      <section aria-labelledby="history">
        <h2 id="history">{m.my.history}</h2>
        <ol class="timeline">
          {history.map((entry) => (
            <li key={entry.id}>
              <Time ctx={ctx} value={entry.createdAt} /> · {entry.toStatus ? label.listingStatus(entry.toStatus) : entry.action}
              {entry.note ? <span class="note">{entry.note}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </MyLayout>
  );
}

/** The furthest offset ZMatchQuery accepts: the matches' pages end there. */
const MATCH_MAX_OFFSET = 1000;

/** A listing's matches with their explanations, and their pager; alone, the answer to "show more". */
export function MatchList(props: { ctx: PageContext; listingId: string; matches: MatchPage; offset: number; limit: number; appended?: boolean }) {
  const { ctx, listingId, matches, offset, limit, appended = false } = props;
  return (
    <>
      <div id="match-list">
        {matches.items.map((match) => (
          <article class="card match" key={match.listing.id}>
            <p class="card__meta">
              <Tag tone={matchTone[match.label]}>{label.matchLabel(match.label)}</Tag> <span class="muted">{m.my.matchScore(match.score)}</span>{' '}
              <KindTag kind={match.listing.kind} />
            </p>
            <h3 class="card__title">
              <a href={listingPath(match.listing)}>{match.listing.title}</a>
            </h3>
            <p>{match.listing.summary}</p>
            {/* The sentence read in five seconds stays in view; every reason is one click away. */}
            <p>{match.explanation.summary}</p>
            <details>
              <summary>{m.my.whyMatch}</summary>
              {match.explanation.fits.length ? (
                <>
                  <h4>{m.my.fits}</h4>
                  <ul>
                    {match.explanation.fits.map((fit) => (
                      <li key={fit}>{fit}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {match.explanation.gaps.length ? (
                <>
                  <h4>{m.my.gaps}</h4>
                  <ul>
                    {match.explanation.gaps.map((gap) => (
                      <li key={gap}>{gap}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </details>
          </article>
        ))}
      </div>
      <Pager
        ctx={ctx}
        id="match-pager"
        listId="match-list"
        offset={offset}
        limit={limit}
        total={matches.total}
        max={MATCH_MAX_OFFSET + limit}
        hrefAt={offsetHref(`/my/listings/${listingId}`)}
        appended={appended}
      />
    </>
  );
}

// ── the posting form ──────────────────────────────────────────────────────────────────────────

export const listingFormLabels: Record<string, string> = {
  kind: m.listingForm.kind,
  organizationId: m.listingForm.organization,
  title: m.listingForm.title,
  summary: m.listingForm.summary,
  description: m.listingForm.description,
  advantages: m.listingForm.advantages,
  specificationSought: m.listingForm.specificationSought,
  sectors: m.listingForm.sectors,
  keywords: m.listingForm.keywords,
  stage: m.listingForm.stage,
  trl: m.listingForm.trl,
  iprStatus: m.listingForm.iprStatus,
  iprNotes: m.listingForm.iprNotes,
  partnershipTypes: m.listingForm.partnershipTypes,
  targetCountries: m.listingForm.targetCountries,
  sdgs: m.listingForm.sdgs,
  anonymous: m.listingForm.anonymous,
};

export function ListingFormPage(props: { ctx: PageContext; state: FormState; organizations: { id: string; name: string }[]; editing: OwnListing | null }) {
  const { ctx, state, organizations, editing } = props;
  const kind = editing?.kind ?? (typeof state.values.kind === 'string' ? state.values.kind : undefined);
  const title = editing ? m.listingForm.editTitle(editing.reference) : m.listingForm.createTitle;
  const action = editing ? `/my/listings/${editing.id}` : '/my/listings';
  const canSubmit = !editing || editing.status === 'draft' || editing.status === 'returned';
  return (
    <MyLayout ctx={ctx} title={title} current="/my">
      <h1>{title}</h1>
      <p class="lead">{m.listingForm.intro}</p>
      <PostForm ctx={ctx} action={action} novalidate class="listing-form">
        <ErrorSummary state={state} />
        {editing ? (
          <input type="hidden" name="version" value={String(editing.version)} />
        ) : (
          <Choices
            name="kind"
            legend={m.listingForm.kind}
            type="radio"
            state={state}
            options={[
              { value: 'offer', label: m.listingForm.kindOffer },
              { value: 'request', label: m.listingForm.kindRequest },
            ]}
          />
        )}
        {!editing && organizations.length > 1 ? (
          <Select
            name="organizationId"
            label={m.listingForm.organization}
            hint={m.listingForm.organizationHint}
            state={state}
            options={organizations.map((organization) => ({ value: organization.id, label: organization.name }))}
          />
        ) : !editing && organizations[0] ? (
          <input type="hidden" name="organizationId" value={organizations[0].id} />
        ) : null}
        <TextField name="title" label={m.listingForm.title} hint={m.listingForm.titleHint} state={state} maxLength={200} required />
        <TextArea name="summary" label={m.listingForm.summary} hint={m.listingForm.summaryHint} state={state} maxLength={500} rows={3} required />
        <TextArea name="description" label={m.listingForm.description} hint={m.listingForm.descriptionHint} state={state} maxLength={4000} rows={8} required />
        {kind !== 'request' ? <TextArea name="advantages" label={m.listingForm.advantages} hint={m.listingForm.advantagesHint} state={state} maxLength={2000} rows={4} /> : null}
        {kind !== 'offer' ? (
          <TextArea name="specificationSought" label={m.listingForm.specificationSought} hint={m.listingForm.specificationHint} state={state} maxLength={2000} rows={4} />
        ) : null}
        <Choices name="sectors" legend={m.listingForm.sectors} hint={m.listingForm.sectorsHint} state={state} options={sectorOptions} />
        <TextField name="keywords" label={m.listingForm.keywords} hint={m.listingForm.keywordsHint} state={state} />
        <Choices
          name="stage"
          legend={m.listingForm.stage}
          type="radio"
          state={state}
          options={STAGES.map((entry) => ({ value: entry.code, label: entry.label, hint: stageExplained[entry.code] }))}
        />
        <Select
          name="trl"
          label={m.listingForm.trl}
          hint={m.listingForm.trlHint}
          state={state}
          placeholder=""
          options={TRL_LEVELS.map((entry) => ({ value: String(entry.code), label: label.trl(entry.code) }))}
        />
        <Choices name="iprStatus" legend={m.listingForm.iprStatus} type="radio" state={state} options={IPR_STATUSES.map((entry) => ({ value: entry.code, label: entry.label }))} />
        <TextArea name="iprNotes" label={m.listingForm.iprNotes} hint={m.listingForm.iprNotesHint} state={state} maxLength={1000} rows={2} />
        <Choices
          name="partnershipTypes"
          legend={m.listingForm.partnershipTypes}
          hint={m.listingForm.partnershipHint}
          state={state}
          options={PARTNERSHIP_TYPES.map((entry) => ({ value: entry.code, label: entry.label }))}
        />
        <Select name="targetCountries" label={m.listingForm.targetCountries} hint={m.listingForm.targetCountriesHint} state={state} options={countryOptions} multiple size={6} />
        <details class="field">
          <summary>{m.listingForm.sdgs}</summary>
          <Choices name="sdgs" legend={m.listingForm.sdgs} state={state} options={SDGS.map((entry) => ({ value: String(entry.code), label: label.sdg(entry.code) }))} />
        </details>
        <Checkbox name="anonymous" label={m.listingForm.anonymous} hint={m.listingForm.anonymousHint} state={state} />
        {editing?.status === 'published' ? <p class="hint">{m.listingForm.pendingReview}</p> : null}
        <div class="actions">
          <button type="submit" name="intent" value="save" class={canSubmit ? 'button button--secondary' : 'button'}>
            {editing ? m.listingForm.save : m.listingForm.saveDraft}
          </button>
          {canSubmit ? (
            <button type="submit" name="intent" value="submit" class="button">
              {m.listingForm.saveAndSubmit}
            </button>
          ) : null}
        </div>
      </PostForm>
    </MyLayout>
  );
}
