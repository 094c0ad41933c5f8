import type { EntryListing } from '../../modules/techmonitor/techmonitor.schemas.js';
import { Choices, ErrorSummary, PostForm, TextField, Time } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { Layout } from '../layout.js';
import { label, m } from '../messages.js';
import { KindTag, listingPath } from './listing-parts.js';
import { sectorOptions } from './account.js';

interface IssueSummary {
  id: string;
  volume: number;
  number: number;
  title: string;
  theme: { text: string; sectors: string[] };
  periodStart: string;
  periodEnd: string;
  publishedAt: Date | null;
}

export function TechMonitorPage({ ctx, issues, state }: { ctx: PageContext; issues: IssueSummary[]; state: FormState }) {
  return (
    <Layout ctx={ctx} meta={{ title: m.techMonitor.title, description: m.techMonitor.intro, canonical: '/tech-monitor' }}>
      <h1>{m.techMonitor.title}</h1>
      <p class="lead">{m.techMonitor.intro}</p>
      <div class="columns columns--wide-left">
        <section aria-labelledby="issues">
          <h2 id="issues">{m.techMonitor.issues}</h2>
          {issues.length === 0 ? <p class="empty">{m.techMonitor.noIssues}</p> : null}
          {issues.map((issue) => (
            <article class="card" key={issue.id}>
              <h3 class="card__title">
                <a href={`/tech-monitor/${issue.id}`}>{m.techMonitor.issueTitle(issue.volume, issue.number, issue.title)}</a>
              </h3>
              <p class="muted">
                <Time ctx={ctx} value={issue.publishedAt} />
              </p>
              <p>{issue.theme.text}</p>
            </article>
          ))}
        </section>
        <SubscribeForm ctx={ctx} state={state} />
      </div>
    </Layout>
  );
}

function SubscribeForm({ ctx, state }: { ctx: PageContext; state: FormState }) {
  return (
    <section class="panel" aria-labelledby="subscribe" id="subscribe-form">
      <h2 id="subscribe">{m.techMonitor.subscribe}</h2>
      <p class="hint">{m.techMonitor.subscribeIntro}</p>
      <PostForm ctx={ctx} action="/tech-monitor/subscribe" novalidate>
        <ErrorSummary state={state} />
        <TextField name="email" type="email" label={m.auth.email} state={state} autocomplete="email" required />
        <TextField name="name" label={m.techMonitor.nameOptional} state={state} autocomplete="name" maxLength={120} />
        <details>
          <summary>{m.listingForm.sectors}</summary>
          <Choices name="sectors" legend={m.listingForm.sectors} state={state} options={sectorOptions} />
        </details>
        <button type="submit" class="button">
          {m.techMonitor.subscribeButton}
        </button>
      </PostForm>
    </section>
  );
}

interface IssueDetail extends IssueSummary {
  entries: { id: string; position: number; note: string | null; listing: EntryListing }[];
}

export function IssuePage({ ctx, issue }: { ctx: PageContext; issue: IssueDetail }) {
  const title = m.techMonitor.issueTitle(issue.volume, issue.number, issue.title);
  return (
    <Layout ctx={ctx} meta={{ title, description: issue.theme.text.slice(0, 155), canonical: `/tech-monitor/${issue.id}` }}>
      <nav class="breadcrumbs" aria-label="Breadcrumbs">
        <a href="/tech-monitor">{m.techMonitor.title}</a>
      </nav>
      <h1>{title}</h1>
      <p class="muted">
        {m.techMonitor.period}: <Time ctx={ctx} value={issue.periodStart} /> – <Time ctx={ctx} value={issue.periodEnd} />
      </p>
      <section class="panel" aria-labelledby="theme">
        <h2 id="theme">{m.techMonitor.theme}</h2>
        <p>{issue.theme.text}</p>
        {issue.theme.sectors.length ? <p class="muted">{issue.theme.sectors.map(label.sector).join(' · ')}</p> : null}
      </section>
      <section aria-labelledby="entries">
        <h2 id="entries">{m.techMonitor.entries}</h2>
        <ol class="entries">
          {issue.entries.map((entry) => (
            <li class="card" key={entry.id}>
              <p class="card__meta">
                <KindTag kind={entry.listing.kind} /> <span class="muted">{entry.listing.reference}</span>
              </p>
              <h3 class="card__title">
                <a href={listingPath(entry.listing)}>{entry.listing.title}</a>
              </h3>
              <p>{entry.listing.summary}</p>
              <ul class="facts-inline">
                <li>{entry.listing.organization ? entry.listing.organization.name : label.country(entry.listing.country)}</li>
                <li>{label.stage(entry.listing.stage)}</li>
                <li>TRL {entry.listing.trl}</li>
              </ul>
              {entry.note ? (
                <p class="note">
                  <strong>{m.techMonitor.editorNote}:</strong> {entry.note}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}

export function MessagePage({ ctx, title, text, links }: { ctx: PageContext; title: string; text: string; links?: { href: string; label: string }[] }) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <div class="narrow">
        <h1>{title}</h1>
        <p class="lead">{text}</p>
        {links?.map((link) => (
          <p key={link.href}>
            <a href={link.href}>{link.label}</a>
          </p>
        ))}
      </div>
    </Layout>
  );
}
