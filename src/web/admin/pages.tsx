import type { ComponentChildren } from 'preact';
import type { UserView } from '../../modules/users/users.schemas.js';
import { USER_ROLES } from '../../modules/vocabularies/enums.js';
import { DataTable, PostForm, SubNav, Tag, type SubNavItem } from '../components.js';
import type { PageContext } from '../context.js';
import { Layout } from '../layout.js';
import { am } from './messages.js';

const SECTIONS: SubNavItem[] = [
  { href: '/admin/users', label: am.nav.users },
  { href: '/admin/organisations', label: am.nav.organisations },
  { href: '/admin/jobs', label: am.nav.jobs },
  { href: '/admin/search', label: am.nav.search },
  { href: '/admin/subscribers', label: am.nav.subscribers },
];

/** The admin pages' frame: the sub-navigation between the sections, the current one marked. */
export function AdminLayout({ ctx, title, children }: { ctx: PageContext; title: string; children: ComponentChildren }) {
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <SubNav ctx={ctx} label={am.nav.admin} items={SECTIONS} />
      {children}
    </Layout>
  );
}

/** A list filter of the GET form above a list: a select whose first option means "any". */
export function FilterSelect(props: { name: string; label: string; any: string; options: { value: string; label: string }[]; selected: string }) {
  const { name, label, any, options, selected } = props;
  return (
    <div class="field">
      <label for={name}>{label}</label>
      <select id={name} name={name}>
        <option value="">{any}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === selected}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list filter of the GET form above a list: the words to look for. */
export function FilterSearch({ label, value, maxLength }: { label: string; value: string; maxLength: number }) {
  return (
    <div class="field">
      <label for="q">{label}</label>
      <input id="q" name="q" type="search" value={value} maxLength={maxLength} />
    </div>
  );
}

/**
 * Previous and next links, and "Page X of Y", for a list of `total` items shown `limit` at a time;
 * keeps the other query parameters. The admin lists page by number; the workspace lists use the
 * shared "show more" Pager of components.tsx.
 */
export function NumberedPager({ path, params, offset, limit, total }: { path: string; params: Record<string, string>; offset: number; limit: number; total: number }) {
  if (total <= limit) return null;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.ceil(total / limit);
  const link = (to: number) => {
    const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== ''));
    if (to > 0) query.set('offset', String(to));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return (
    <nav class="pagination" aria-label={am.pages.page(page, pages)}>
      {offset > 0 ? (
        <a rel="prev" href={link(Math.max(0, offset - limit))}>
          ← {am.pages.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="muted">{am.pages.page(page, pages)}</span>
      {offset + limit < total ? (
        <a rel="next" href={link(offset + limit)}>
          {am.pages.next} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}

export function UsersPage(props: { ctx: PageContext; users: UserView[]; total: number; filter: { q: string; role: string }; offset: number; limit: number }) {
  const { ctx, users, total, filter, offset, limit } = props;
  const { q, role } = filter;
  return (
    <AdminLayout ctx={ctx} title={am.users.title}>
      <h1>{am.users.title}</h1>
      <form method="get" action="/admin/users" class="card">
        <FilterSearch label={am.users.search} value={q} maxLength={200} />
        <FilterSelect name="role" label={am.users.role} any={am.users.anyRole} options={USER_ROLES.map((code) => ({ value: code, label: am.roleName[code]! }))} selected={role} />
        <button type="submit" class="button button--secondary">
          {am.users.find}
        </button>
      </form>
      <p>{am.users.total(total)}</p>
      {users.length === 0 ? (
        <p>{am.users.none}</p>
      ) : (
        <DataTable columns={[am.users.name, am.users.email, am.users.state, am.users.actions]}>
          {users.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                <Tag tone={user.disabled ? 'warn' : 'ok'}>{user.disabled ? am.users.disabled : am.users.active}</Tag>{' '}
                <Tag>{user.emailVerified ? am.users.verified : am.users.unverified}</Tag>
              </td>
              <td>
                <PostForm ctx={ctx} action={`/admin/users/${user.id}/role`} class="inline-form">
                  <label for={`role-${user.id}`} class="visually-hidden">
                    {am.users.changeRole(user.name)}
                  </label>
                  <select id={`role-${user.id}`} name="role">
                    {USER_ROLES.map((code) => (
                      <option key={code} value={code} selected={code === user.role}>
                        {am.roleName[code]}
                      </option>
                    ))}
                  </select>{' '}
                  <button type="submit" class="button button--small button--secondary">
                    {am.users.saveRole}
                  </button>
                </PostForm>
                <PostForm ctx={ctx} action={`/admin/users/${user.id}/${user.disabled ? 'enable' : 'disable'}`} class="inline-form">
                  <button type="submit" class={`button button--small ${user.disabled ? 'button--secondary' : 'button--danger'}`}>
                    {user.disabled ? am.users.enable : am.users.disable}
                  </button>
                </PostForm>
                {user.emailVerified ? null : (
                  <PostForm ctx={ctx} action={`/admin/users/${user.id}/resend-verification`} class="inline-form">
                    <button type="submit" class="button button--small button--secondary">
                      {am.users.resend}
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <NumberedPager path="/admin/users" params={filter} offset={offset} limit={limit} total={total} />
    </AdminLayout>
  );
}
