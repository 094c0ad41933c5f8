import type { ComponentChildren } from 'preact';
import { ZSearchFilters, type SearchApiQuery } from '../../modules/search/search.schemas.js';
import { ErrorSummary, Pager, PostForm, Select, Tag, TextArea, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { isStaff } from '../../modules/users/users.rules.js';
import type { FormState } from '../forms.js';
import { Layout } from '../layout.js';
import { label, m, stageExplained } from '../messages.js';
import { ListingCard, listingPath, type Highlights, type PublicListing } from './listing-parts.js';

// ── home ──────────────────────────────────────────────────────────────────────────────────────

export interface HomeData {
  offers: number;
  requests: number;
  newestOffers: PublicListing[];
  newestRequests: PublicListing[];
  sectors: { code: string; count: number }[];
  latestIssue: { id: string; volume: number; number: number; title: string; theme: { text: string }; publishedAt: Date | null } | null;
}

export function HomePage({ ctx, data }: { ctx: PageContext; data: HomeData }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.home.title, description: m.site.tagline, canonical: '/' }}>
      <section class="hero">
        <h1>{m.home.title}</h1>
        <p class="lead">{m.home.intro}</p>
        <form method="get" action="/search" class="search-box" role="search">
          <label for="q" class="visually-hidden">
            {m.home.searchLabel}
          </label>
          <input id="q" name="q" type="search" placeholder={m.home.searchPlaceholder} />
          <button type="submit" class="button">
            {m.home.searchButton}
          </button>
        </form>
        <p class="stats">
          <a href="/search?kind=offer">{m.home.liveOffers(ctx.fmt.number(data.offers))}</a>
          <span aria-hidden="true"> · </span>
          <a href="/search?kind=request">{m.home.liveRequests(ctx.fmt.number(data.requests))}</a>
          <span aria-hidden="true"> · </span>
          <a href="/my/listings/new">{m.home.postCta}</a>
        </p>
      </section>
      <div class="columns">
        <section aria-labelledby="newest-offers">
          <h2 id="newest-offers">{m.home.newestOffers}</h2>
          {data.newestOffers.map((listing) => (
            <ListingCard ctx={ctx} listing={listing} key={listing.id} />
          ))}
          <p>
            <a href="/search?kind=offer&sort=newest">{m.home.seeAll}</a>
          </p>
        </section>
        <section aria-labelledby="newest-requests">
          <h2 id="newest-requests">{m.home.newestRequests}</h2>
          {data.newestRequests.map((listing) => (
            <ListingCard ctx={ctx} listing={listing} key={listing.id} />
          ))}
          <p>
            <a href="/search?kind=request&sort=newest">{m.home.seeAll}</a>
          </p>
        </section>
      </div>
      <section aria-labelledby="sectors">
        <h2 id="sectors">{m.home.browseSectors}</h2>
        <ul class="sector-grid">
          {data.sectors.map((sector) => (
            <li key={sector.code}>
              <a href={`/search?sector=${sector.code}`}>
                <span>{label.sector(sector.code)}</span> <span class="count">{ctx.fmt.number(sector.count)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      {data.latestIssue ? (
        <section aria-labelledby="latest-issue" class="panel">
          <h2 id="latest-issue">{m.home.latestIssue}</h2>
          <p>
            <a href={`/tech-monitor/${data.latestIssue.id}`}>{m.techMonitor.issueTitle(data.latestIssue.volume, data.latestIssue.number, data.latestIssue.title)}</a>{' '}
            <span class="muted">
              <Time ctx={ctx} value={data.latestIssue.publishedAt} />
            </span>
          </p>
          <p>{data.latestIssue.theme.text}</p>
          <p>
            <a href="/tech-monitor">{m.home.allIssues}</a>
          </p>
        </section>
      ) : null}
    </Layout>
  );
}

// ── search ────────────────────────────────────────────────────────────────────────────────────

type FacetCounts = Record<string, Record<string, number>>;
export interface SearchPageData {
  query: SearchApiQuery;
  /** The query string as given, so links change one thing and keep the rest. */
  params: URLSearchParams;
  result: { items: (PublicListing & { highlights: Highlights })[]; total: number; facets: FacetCounts; approximate: boolean } | null;
  problem?: string;
}

/** The facets shown, with the query parameter each one sets and how its values are named. */
const FACETS: { field: string; param: string; title: string; name: (code: string) => string }[] = [
  { field: 'kind', param: 'kind', title: m.search.facet.kind, name: label.kindPlural },
  { field: 'sectors', param: 'sector', title: m.search.facet.sector, name: label.sector },
  { field: 'country', param: 'country', title: m.search.facet.country, name: label.country },
  { field: 'stage', param: 'stage', title: m.search.facet.stage, name: label.stage },
  { field: 'trl', param: 'trl', title: m.search.facet.trl, name: (code) => label.trl(code) },
  { field: 'iprStatus', param: 'iprStatus', title: m.search.facet.iprStatus, name: label.ipr },
  { field: 'partnershipTypes', param: 'partnershipType', title: m.search.facet.partnershipType, name: label.partnership },
  { field: 'sdgs', param: 'sdg', title: m.search.facet.sdg, name: (code) => label.sdg(code) },
];

const valuesOfParam = (params: URLSearchParams, param: string) => params.getAll(param).flatMap((value) => value.split(',')).filter(Boolean);

/** The search URL with one value of a filter switched on or off; the page goes back to the first. */
export function toggledUrl(params: URLSearchParams, param: string, value: string) {
  const next = new URLSearchParams(params);
  next.delete('offset');
  if (param === 'trl') {
    const on = params.get('trlMin') === value && params.get('trlMax') === value;
    next.delete('trlMin');
    next.delete('trlMax');
    if (!on) {
      next.set('trlMin', value);
      next.set('trlMax', value);
    }
    return `/search?${next}`;
  }
  if (param === 'kind') {
    if (params.get('kind') === value) next.delete('kind');
    else next.set('kind', value);
    return `/search?${next}`;
  }
  const current = valuesOfParam(params, param);
  next.delete(param);
  const updated = current.includes(value) ? current.filter((entry) => entry !== value) : [...current, value];
  for (const entry of updated) next.append(param, entry);
  return `/search?${next}`;
}

function isSelected(params: URLSearchParams, param: string, value: string) {
  if (param === 'trl') return params.get('trlMin') === value && params.get('trlMax') === value;
  return valuesOfParam(params, param).includes(value);
}

function withOffset(params: URLSearchParams, offset: number) {
  const next = new URLSearchParams(params);
  if (offset > 0) next.set('offset', String(offset));
  else next.delete('offset');
  return `/search?${next}`;
}

/**
 * The results and their pager: on the search page, and alone as the answer to "show more", whose
 * items are appended to the list (see Pager).
 */
export function SearchResults({ ctx, data, appended = false }: { ctx: PageContext; data: SearchPageData; appended?: boolean }) {
  const { query, params, result } = data;
  if (!result) return null;
  return (
    <>
      <div class="result-list" id="result-list" hx-boost="false">
        {result.items.map((item) => (
          <ListingCard ctx={ctx} listing={item} highlights={item.highlights} headingLevel={3} key={item.id} />
        ))}
      </div>
      <Pager
        ctx={ctx}
        id="search-pager"
        listId="result-list"
        offset={query.offset}
        limit={query.limit}
        total={result.total}
        hrefAt={(offset) => withOffset(params, offset)}
        appended={appended}
      />
    </>
  );
}

export function SearchPage({ ctx, data }: { ctx: PageContext; data: SearchPageData }) {
  const { query, params, result } = data;
  const selected = FACETS.flatMap((facet) => {
    const values = facet.param === 'trl' ? (params.get('trlMin') && params.get('trlMin') === params.get('trlMax') ? [params.get('trlMin')!] : []) : valuesOfParam(params, facet.param);
    return values.map((value) => ({ facet, value }));
  });
  const canonical = `/search${params.toString() ? `?${params}` : ''}`;
  return (
    <Layout ctx={ctx} meta={{ title: m.search.title(query.q), description: m.search.description, canonical, noindex: Boolean(query.q) }}>
      <h1>{m.search.heading}</h1>
      <form method="get" action="/search" class="search-box" role="search">
        <label for="q" class="visually-hidden">
          {m.home.searchLabel}
        </label>
        <input id="q" name="q" type="search" value={query.q} placeholder={m.home.searchPlaceholder} />
        {[...params].filter(([key]) => !['q', 'offset'].includes(key)).map(([key, value], index) => (
          <input type="hidden" name={key} value={value} key={`${key}-${index}`} />
        ))}
        <button type="submit" class="button">
          {m.home.searchButton}
        </button>
      </form>
      {data.problem ? (
        <div class="error-summary" role="alert">
          <p>{data.problem}</p>
        </div>
      ) : null}
      {/* With htmx, facet, sort and page links refresh this part in place (the URL still changes); without it they are plain links. */}
      <div id="search-main" hx-boost="true" hx-select="#search-main" hx-target="#search-main" hx-swap="outerHTML">
      {selected.length ? (
        <ul class="chips" aria-label={m.search.filters}>
          {selected.map(({ facet, value }) => (
            <li key={`${facet.param}-${value}`}>
              <a class="chip" href={toggledUrl(params, facet.param, value)} aria-label={m.search.removeFilter(facet.name(value))}>
                {facet.name(value)} <span aria-hidden="true">×</span>
              </a>
            </li>
          ))}
          <li>
            <a href={query.q ? `/search?q=${encodeURIComponent(query.q)}` : '/search'}>{m.search.clearFilters}</a>
          </li>
        </ul>
      ) : null}
      {result ? (
        <div class="search-layout" id="results">
          <aside class="facets" aria-label={m.search.filters}>
            <h2 class="visually-hidden">{m.search.filters}</h2>
            {FACETS.map((facet) => {
              const counts = Object.entries(result.facets[facet.field] ?? {}).filter(([, n]) => n > 0);
              if (counts.length === 0) return null;
              counts.sort((a, b) => (facet.field === 'trl' || facet.field === 'sdgs' ? Number(a[0]) - Number(b[0]) : b[1] - a[1]));
              return (
                <details class="facet" open={facet.field === 'kind' || facet.field === 'sectors' || selected.some((entry) => entry.facet === facet)} key={facet.field}>
                  <summary>{facet.title}</summary>
                  <ul>
                    {counts.slice(0, 20).map(([value, n]) => {
                      const on = isSelected(params, facet.param, value);
                      return (
                        <li key={value}>
                          <a href={toggledUrl(params, facet.param, value)} aria-current={on ? 'true' : undefined} class={on ? 'facet__on' : undefined}>
                            <span>{facet.name(value)}</span> <span class="count">{ctx.fmt.number(n)}</span>
                          </a>
                        </li>
                      );
                    })}
                  </ul>
                </details>
              );
            })}
          </aside>
          <section class="results" aria-labelledby="result-count">
            <div class="results__bar">
              <h2 id="result-count" class="results__count">
                {m.search.resultCount(ctx.fmt.number(result.total), result.approximate)}
              </h2>
              <form method="get" action="/search" class="sort-form">
                {[...params].filter(([key]) => !['sort', 'offset'].includes(key)).map(([key, value], index) => (
                  <input type="hidden" name={key} value={value} key={`${key}-${index}`} />
                ))}
                <label for="sort">{m.search.sort}</label>
                <select id="sort" name="sort" data-autosubmit>
                  <option value="relevance" selected={query.sort === 'relevance'}>
                    {m.search.sortRelevance}
                  </option>
                  <option value="newest" selected={query.sort === 'newest'}>
                    {m.search.sortNewest}
                  </option>
                </select>
                <button type="submit" class="button button--secondary button--small js-hidden">
                  {m.search.apply}
                </button>
              </form>
            </div>
            {result.items.length === 0 ? <p class="empty">{m.search.noResults}</p> : null}
            <SearchResults ctx={ctx} data={data} />
            <SaveSearch ctx={ctx} params={params} />
            <ExportLinks ctx={ctx} params={params} />
          </section>
        </div>
      ) : null}
      </div>
    </Layout>
  );
}

/** The search's filters are the export's (/search/export.*: the API's export files, for the person logged in); its words are not. */
const EXPORT_FILTERS: string[] = Object.keys(ZSearchFilters.shape);

function ExportLinks({ ctx, params }: { ctx: PageContext; params: URLSearchParams }) {
  const staff = isStaff(ctx.actor);
  const filters = new URLSearchParams([...params].filter(([key]) => EXPORT_FILTERS.includes(key)));
  const query = filters.toString() ? `?${filters}` : '';
  return (
    <section class="panel" aria-labelledby="export-listings" hx-boost="false">
      <h2 id="export-listings">{m.search.exportTitle}</h2>
      <p class="hint">{staff ? m.search.exportHintStaff : m.search.exportHint}</p>
      <p>
        <a href={`/search/export.csv${query}`} download>
          CSV
        </a>{' '}
        ·{' '}
        <a href={`/search/export.xlsx${query}`} download>
          XLSX
        </a>{' '}
        ·{' '}
        <a href={`/search/export.json${query}`} download>
          JSON
        </a>
      </p>
    </section>
  );
}

function SaveSearch({ ctx, params }: { ctx: PageContext; params: URLSearchParams }) {
  const q = params.get('q') ?? '';
  return (
    <section class="panel save-search" aria-labelledby="save-search" hx-boost="false">
      <h2 id="save-search">{m.search.alertMe}</h2>
      <p class="hint">{m.search.alertHint}</p>
      {ctx.actor ? (
        <PostForm ctx={ctx} action="/my/saved-searches" class="inline-fields">
          <input type="hidden" name="search" value={params.toString()} />
          <div class="field">
            <label for="alert-name">{m.search.alertName}</label>
            <input id="alert-name" name="name" type="text" maxLength={100} value={q || m.search.heading} required />
          </div>
          <button type="submit" class="button button--secondary">
            {m.search.alertMe}
          </button>
        </PostForm>
      ) : (
        <p>
          <a class="button button--secondary" href={`/login?next=${encodeURIComponent(ctx.path)}`}>
            {m.nav.login}
          </a>
        </p>
      )}
    </section>
  );
}

// ── one listing ───────────────────────────────────────────────────────────────────────────────

type ListingView = PublicListing & { contact?: { name: string; email: string; phone: string | null } | null; editorNote?: string | null };

export interface InterestFormData {
  /** Who may write for whom: the actor's own organisation and, for intermediaries, the clients. */
  organizations: { id: string; name: string }[];
  state: FormState;
  blocked?: string;
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function ListingPage({ ctx, listing, related, isOwnerSide, interest }: { ctx: PageContext; listing: ListingView; related: PublicListing[]; isOwnerSide: boolean; interest: InterestFormData | null }) {
  const description = listing.summary.length > 155 ? `${listing.summary.slice(0, 152)}…` : listing.summary;
  return (
    <Layout ctx={ctx} meta={{ title: listing.title, description, canonical: listingPath(listing), noindex: listing.status !== 'published' }}>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/search">{m.nav.search}</a> › <a href={`/search?kind=${listing.kind}`}>{label.kindPlural(listing.kind)}</a>
      </nav>
      <article class="listing">
        <header class="listing__header">
          <p class="card__meta">
            <Tag tone={listing.kind}>{label.kind(listing.kind)}</Tag> <span class="muted">{listing.reference}</span>
            {listing.status !== 'published' ? <Tag tone="status">{label.listingStatus(listing.status)}</Tag> : null}
          </p>
          <h1>{listing.title}</h1>
          <p class="lead">{listing.summary}</p>
        </header>
        <div class="listing__body">
          <div class="listing__main">
            <section>
              <h2>{m.listing.description}</h2>
              <p class="prose">{listing.description}</p>
            </section>
            {listing.kind === 'offer' && listing.advantages ? (
              <section>
                <h2>{m.listing.advantages}</h2>
                <p class="prose">{listing.advantages}</p>
              </section>
            ) : null}
            {listing.kind === 'request' && listing.specificationSought ? (
              <section>
                <h2>{m.listing.specificationSought}</h2>
                <p class="prose">{listing.specificationSought}</p>
              </section>
            ) : null}
            {listing.keywords.length ? (
              <section>
                <h2>{m.listing.keywords}</h2>
                <ul class="tags">
                  {listing.keywords.map((keyword) => (
                    <li key={keyword}>
                      <a class="tag" href={`/search?q=${encodeURIComponent(keyword)}`}>
                        {keyword}
                      </a>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
          <aside class="listing__facts panel" aria-labelledby="facts">
            <h2 id="facts">{m.listing.facts}</h2>
            <dl>
              <Fact term={m.listing.stage}>
                {label.stage(listing.stage)}
                <span class="hint">{stageExplained[listing.stage]}</span>
              </Fact>
              <Fact term={m.listing.trl}>{label.trl(listing.trl)}</Fact>
              <Fact term={m.listing.ipr}>{label.ipr(listing.iprStatus)}</Fact>
              {listing.iprNotes ? <Fact term={m.listing.iprNotes}>{listing.iprNotes}</Fact> : null}
              <Fact term={m.listing.partnershipTypes}>
                <ul class="plain">
                  {listing.partnershipTypes.map((code) => (
                    <li key={code}>{label.partnership(code)}</li>
                  ))}
                </ul>
              </Fact>
              <Fact term={m.listing.sectors}>
                <ul class="plain">
                  {listing.sectors.map((code) => (
                    <li key={code}>
                      <a href={`/search?sector=${code}`}>{label.sector(code)}</a>
                    </li>
                  ))}
                </ul>
              </Fact>
              <Fact term={m.listing.country}>{label.country(listing.country)}</Fact>
              {listing.targetCountries.length ? <Fact term={m.listing.targetCountries}>{listing.targetCountries.map(label.country).join(', ')}</Fact> : null}
              {listing.sdgs.length ? (
                <Fact term={m.listing.sdgs}>
                  <ul class="plain">
                    {listing.sdgs.map((sdg) => (
                      <li key={sdg}>{label.sdg(sdg)}</li>
                    ))}
                  </ul>
                </Fact>
              ) : null}
              <Fact term={m.listing.owner}>
                {listing.organization ? (
                  <>
                    {listing.organization.name}
                    <span class="hint">{label.organizationType(listing.organization.type)}</span>
                  </>
                ) : (
                  <span class="hint">{m.listing.anonymousOwner}</span>
                )}
              </Fact>
              {listing.publishedAt ? (
                <Fact term={m.listing.published}>
                  <Time ctx={ctx} value={listing.publishedAt} />
                </Fact>
              ) : null}
              {listing.expiresAt ? (
                <Fact term={m.listing.expires}>
                  <Time ctx={ctx} value={listing.expiresAt} />
                </Fact>
              ) : null}
            </dl>
          </aside>
        </div>
        <section class="panel interest" id="interest" aria-labelledby="interest-title">
          <h2 id="interest-title">{m.listing.expressInterest}</h2>
          <InterestSection ctx={ctx} listing={listing} isOwnerSide={isOwnerSide} interest={interest} />
        </section>
      </article>
      {related.length ? (
        <section aria-labelledby="related">
          <h2 id="related">{m.listing.related}</h2>
          <div class="grid">
            {related.map((entry) => (
              <ListingCard ctx={ctx} listing={entry} key={entry.id} />
            ))}
          </div>
        </section>
      ) : null}
    </Layout>
  );
}

function InterestSection({ ctx, listing, isOwnerSide, interest }: { ctx: PageContext; listing: ListingView; isOwnerSide: boolean; interest: InterestFormData | null }) {
  if (isOwnerSide) {
    return (
      <p>
        {m.listing.ownListing} <a href={`/my/listings/${listing.id}`}>{m.listing.manage}</a>
      </p>
    );
  }
  if (!ctx.actor || !interest) {
    return (
      <>
        <p>{m.listing.interestIntro}</p>
        <p>
          <a class="button" href={`/login?next=${encodeURIComponent(`${listingPath(listing)}#interest`)}`}>
            {m.listing.loginToExpress}
          </a>
        </p>
      </>
    );
  }
  if (interest.blocked) return <p>{interest.blocked}</p>;
  const { state, organizations } = interest;
  return (
    <>
      <p>{m.listing.interestIntro}</p>
      <PostForm ctx={ctx} action={`${listingPath(listing)}/interest`} novalidate>
        <ErrorSummary state={state} />
        {organizations.length > 1 ? (
          <Select
            name="organizationId"
            label={m.listing.actFor}
            hint={m.listing.actForHint}
            state={state}
            options={organizations.map((organization) => ({ value: organization.id, label: organization.name }))}
          />
        ) : organizations[0] ? (
          <input type="hidden" name="organizationId" value={organizations[0].id} />
        ) : null}
        <TextArea name="message" label={m.listing.message} hint={m.listing.messageHint} state={state} maxLength={4000} rows={6} required />
        <button type="submit" class="button">
          {m.listing.send}
        </button>
      </PostForm>
    </>
  );
}
