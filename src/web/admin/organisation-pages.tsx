import type { OrganizationRow } from '../../modules/organizations/organizations.service.js';
import type { UserView } from '../../modules/users/users.schemas.js';
import { DataTable, ErrorSummary, PostForm, Select, TextField } from '../components.js';
import type { PageContext } from '../context.js';
import type { FormState } from '../forms.js';
import { label } from '../messages.js';
import { countryOptions, organizationSizeOptions, organizationTypeOptions } from '../pages/account.js';
import { am } from './messages.js';
import { AdminLayout, FilterSearch, FilterSelect, NumberedPager } from './pages.js';

export interface OrganisationFilter {
  q: string;
  country: string;
  type: string;
}

export function OrganisationsPage(props: { ctx: PageContext; organisations: OrganizationRow[]; total: number; filter: OrganisationFilter; offset: number; limit: number }) {
  const { ctx, organisations, total, filter, offset, limit } = props;
  return (
    <AdminLayout ctx={ctx} title={am.organisations.title}>
      <h1>{am.organisations.title}</h1>
      <form method="get" action="/admin/organisations" class="card inline-fields">
        <FilterSearch label={am.organisations.search} value={filter.q} maxLength={200} />
        <FilterSelect name="country" label={am.organisations.country} any={am.organisations.anyCountry} options={countryOptions} selected={filter.country} />
        <FilterSelect name="type" label={am.organisations.type} any={am.organisations.anyType} options={organizationTypeOptions} selected={filter.type} />
        <button type="submit" class="button button--secondary">
          {am.organisations.find}
        </button>
      </form>
      <p>{am.organisations.total(total)}</p>
      {organisations.length === 0 ? (
        <p class="empty">{am.organisations.none}</p>
      ) : (
        <DataTable columns={[am.organisations.name, am.organisations.country, am.organisations.type, am.organisations.size]}>
          {organisations.map((organisation) => (
            <tr key={organisation.id}>
              <td data-label={am.organisations.name}>
                <a href={`/admin/organisations/${organisation.id}`}>{organisation.name}</a>
              </td>
              <td data-label={am.organisations.country}>{label.country(organisation.country)}</td>
              <td data-label={am.organisations.type}>{label.organizationType(organisation.type)}</td>
              <td data-label={am.organisations.size}>{organisation.size ? label.organizationSize(organisation.size) : '–'}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <NumberedPager path="/admin/organisations" params={{ ...filter }} offset={offset} limit={limit} total={total} />
    </AdminLayout>
  );
}

/** The form's values from an organisation as stored. */
export function organisationFormValues(row: OrganizationRow) {
  return {
    name: row.name,
    type: row.type,
    size: row.size ?? '',
    country: row.country,
    website: row.website ?? '',
    contactEmail: row.contactEmail ?? '',
    contactPhone: row.contactPhone ?? '',
  };
}

export interface OrganisationLinks {
  /** Intermediaries (of any organisation) acting for this one. */
  actingFor: UserView[];
  /** Intermediary accounts that could be linked (the select's options). */
  intermediaries: UserView[];
  /** This organisation's own intermediaries, each with the clients it acts for. */
  ownIntermediaries: { user: UserView; clients: OrganizationRow[] }[];
  /** Organisations found to add as clients (the search on this page). */
  clientQuery: string;
  found: OrganizationRow[];
}

export function OrganisationPage({ ctx, organisation, state, links }: { ctx: PageContext; organisation: OrganizationRow; state: FormState; links: OrganisationLinks }) {
  const linkedIds = new Set(links.actingFor.map((user) => user.id));
  const candidates = links.intermediaries.filter((user) => !linkedIds.has(user.id));
  const path = `/admin/organisations/${organisation.id}`;
  return (
    <AdminLayout ctx={ctx} title={organisation.name}>
      <p>
        <a href="/admin/organisations">← {am.organisation.back}</a>
      </p>
      <h1>{organisation.name}</h1>

      <section class="panel" aria-labelledby="details">
        <h2 id="details">{am.organisation.details}</h2>
        <PostForm ctx={ctx} action={path} novalidate>
          <ErrorSummary state={state} />
          <TextField name="name" label={am.organisation.name} state={state} maxLength={200} required />
          <Select name="type" label={am.organisation.type} state={state} options={organizationTypeOptions} />
          <Select name="size" label={am.organisation.size} state={state} options={organizationSizeOptions} placeholder={am.organisation.sizeUnknown} />
          <Select name="country" label={am.organisation.country} state={state} options={countryOptions} />
          <TextField name="website" type="url" label={am.organisation.website} hint={am.organisation.websiteHint} state={state} maxLength={300} />
          <TextField name="contactEmail" type="email" label={am.organisation.contactEmail} state={state} maxLength={254} />
          <TextField name="contactPhone" label={am.organisation.contactPhone} state={state} maxLength={40} />
          <button type="submit" class="button">
            {am.organisation.save}
          </button>
        </PostForm>
      </section>

      <section class="panel" aria-labelledby="acting-for">
        <h2 id="acting-for">{am.organisation.actingFor}</h2>
        <p class="hint">{am.organisation.actingForIntro}</p>
        {links.actingFor.length === 0 ? (
          <p>{am.organisation.noneActingFor}</p>
        ) : (
          <ul class="card-list">
            {links.actingFor.map((user) => (
              <li key={user.id} class="card">
                {user.name} <span class="muted">{user.email}</span>{' '}
                <UnlinkForm ctx={ctx} path={path} intermediary={user} client={organisation} />
              </li>
            ))}
          </ul>
        )}
        {candidates.length === 0 ? (
          links.intermediaries.length === 0 ? <p class="hint">{am.organisation.noIntermediaries}</p> : null
        ) : (
          <PostForm ctx={ctx} action={`${path}/links/add`} class="inline-fields">
            <input type="hidden" name="organizationId" value={organisation.id} />
            <div class="field">
              <label for="intermediaryId">{am.organisation.addIntermediary}</label>
              <select id="intermediaryId" name="intermediaryId">
                {candidates.map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.name} ({user.email})
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button button--secondary">
              {am.organisation.link}
            </button>
          </PostForm>
        )}
      </section>

      {links.ownIntermediaries.length > 0 ? (
        <section class="panel" aria-labelledby="clients">
          <h2 id="clients">{am.organisation.clients}</h2>
          <p class="hint">{am.organisation.clientsIntro}</p>
          {links.ownIntermediaries.map(({ user, clients }) => (
            <div key={user.id}>
              <h3>{am.organisation.clientsOf(user.name)}</h3>
              {clients.length === 0 ? (
                <p>{am.organisation.noClients}</p>
              ) : (
                <ul class="card-list">
                  {clients.map((client) => (
                    <li key={client.id} class="card">
                      <a href={`/admin/organisations/${client.id}`}>{client.name}</a> <span class="muted">{label.country(client.country)}</span>{' '}
                      <UnlinkForm ctx={ctx} path={path} intermediary={user} client={client} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          ))}
          <form method="get" action={path} class="inline-fields">
            <div class="field">
              <label for="clientq">{am.organisation.findClient}</label>
              <input id="clientq" name="clientq" type="search" value={links.clientQuery} maxLength={200} />
            </div>
            <button type="submit" class="button button--secondary">
              {am.organisation.findClientButton}
            </button>
          </form>
          {links.clientQuery ? (
            links.found.length === 0 ? (
              <p>{am.organisation.noClientFound}</p>
            ) : (
              <ul class="card-list">
                {links.found.map((client) => (
                  <li key={client.id} class="card">
                    {client.name} <span class="muted">{label.country(client.country)}</span>
                    {links.ownIntermediaries.map(({ user, clients }) =>
                      clients.some((linked) => linked.id === client.id) ? null : (
                        <PostForm key={user.id} ctx={ctx} action={`${path}/links/add`} class="inline-form">
                          <input type="hidden" name="intermediaryId" value={user.id} />
                          <input type="hidden" name="organizationId" value={client.id} />{' '}
                          <button type="submit" class="button button--small button--secondary">
                            {am.organisation.addClient}
                            {links.ownIntermediaries.length > 1 ? ` ${am.organisation.of(user.name)}` : ''}
                            <span class="visually-hidden"> ({am.organisation.addClientOf(user.name, client.name)})</span>
                          </button>
                        </PostForm>
                      ),
                    )}
                  </li>
                ))}
              </ul>
            )
          ) : null}
        </section>
      ) : null}
    </AdminLayout>
  );
}

function UnlinkForm({ ctx, path, intermediary, client }: { ctx: PageContext; path: string; intermediary: UserView; client: OrganizationRow }) {
  return (
    <PostForm ctx={ctx} action={`${path}/links/remove`} class="inline-form">
      <input type="hidden" name="intermediaryId" value={intermediary.id} />
      <input type="hidden" name="organizationId" value={client.id} />
      <button type="submit" class="button button--small button--danger">
        {am.organisation.unlink}
        <span class="visually-hidden"> ({am.organisation.unlinkNamed(intermediary.name, client.name)})</span>
      </button>
    </PostForm>
  );
}
