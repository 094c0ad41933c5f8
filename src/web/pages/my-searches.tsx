import { ALERT_FREQUENCIES } from '../../modules/alerts/alerts.schemas.js';
import { PostForm, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { label, m } from '../messages.js';
import { MyLayout } from './my-listings.js';

interface SavedSearchView {
  id: string;
  kind: string;
  name: string;
  query: string;
  filters: Record<string, unknown>;
  listingId: string | null;
  frequency: string;
  active: boolean;
  createdAt: Date;
}

/** The saved search as a link to the search page it came from. */
function searchUrlOf(saved: SavedSearchView) {
  const params = new URLSearchParams();
  if (saved.query) params.set('q', saved.query);
  for (const [key, value] of Object.entries(saved.filters)) {
    if (Array.isArray(value)) for (const entry of value) params.append(key, String(entry));
    else if (value !== undefined && value !== null) params.set(key, String(value));
  }
  return `/search${params.toString() ? `?${params}` : ''}`;
}

export function SavedSearchesPage({ ctx, items }: { ctx: PageContext; items: SavedSearchView[] }) {
  return (
    <MyLayout ctx={ctx} title={m.my.savedSearches} current="/my/saved-searches">
      <h1>{m.my.savedSearches}</h1>
      {items.length === 0 ? <p class="empty">{m.my.noSavedSearches}</p> : null}
      {items.map((saved) => (
        <article class="card" key={saved.id}>
          <h2 class="card__title">
            {saved.kind === 'listing' && saved.listingId ? <a href={`/my/listings/${saved.listingId}`}>{saved.name}</a> : <a href={searchUrlOf(saved)}>{saved.name}</a>}
          </h2>
          <p class="muted">
            <Time ctx={ctx} value={saved.createdAt} />
            {saved.query ? ` · ${m.my.query}: ${saved.query}` : ''}
          </p>
          <div class="actions">
            <PostForm ctx={ctx} action={`/my/saved-searches/${saved.id}`} class="inline-fields">
              <div class="field">
                <label for={`frequency-${saved.id}`}>{m.my.frequency}</label>
                <select id={`frequency-${saved.id}`} name="frequency">
                  {ALERT_FREQUENCIES.map((frequency) => (
                    <option value={frequency} selected={saved.frequency === frequency} key={frequency}>
                      {label.frequency(frequency)}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field choice">
                <input type="checkbox" id={`active-${saved.id}`} name="active" checked={saved.active} />
                <label for={`active-${saved.id}`}>{m.my.active}</label>
              </div>
              <button type="submit" class="button button--secondary button--small">
                {m.my.save}
              </button>
            </PostForm>
            <PostForm ctx={ctx} action={`/my/saved-searches/${saved.id}/delete`} class="inline-form">
              <button type="submit" class="button button--danger button--small">
                {m.my.delete}
              </button>
            </PostForm>
          </div>
        </article>
      ))}
    </MyLayout>
  );
}

export function ClientsPage({ ctx, clients }: { ctx: PageContext; clients: { id: string; name: string; country: string; type: string }[] }) {
  return (
    <MyLayout ctx={ctx} title={m.my.clients} current="/my/clients">
      <h1>{m.my.clients}</h1>
      <p>{m.my.clientsIntro}</p>
      {clients.length === 0 ? <p class="empty">{m.my.noClients}</p> : null}
      <ul class="card-list">
        {clients.map((client) => (
          <li class="card" key={client.id}>
            <h2 class="card__title">{client.name}</h2>
            <p class="muted">
              {label.organizationType(client.type)} · {label.country(client.country)}
            </p>
            <p>
              <a href={`/my/listings/new?organizationId=${client.id}`}>{m.my.newListing}</a>
            </p>
          </li>
        ))}
      </ul>
    </MyLayout>
  );
}
