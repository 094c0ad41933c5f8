import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadRequest, Conflict } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { ZOrganizationInput, ZOrganizationListQuery } from '../../modules/organizations/organizations.schemas.js';
import { ZBounceBody, ZSubscriberListQuery } from '../../modules/techmonitor/techmonitor.schemas.js';
import { ZUserListQuery } from '../../modules/users/users.schemas.js';
import { USER_ROLES } from '../../modules/vocabularies/enums.js';
import { emptyForm, formBody, formStateFromError, fOptionalText, fText, parseForm, type FormState } from '../forms.js';
import { returnPathOf } from '../session.js';
import type { WebKit } from '../web.plugin.js';
import { adminOnlyPages } from '../editor/guards.js';
import { am } from './messages.js';
import { OrganisationPage, OrganisationsPage, organisationFormValues, type OrganisationLinks } from './organisation-pages.js';
import { JobsPage, SearchStatusPage, SubscribersPage } from './operations-pages.js';
import { UsersPage } from './pages.js';

const ZRoleForm = z.object({ role: fText(z.enum(USER_ROLES)) });
const USERS_PER_PAGE = 50;
const ORGANISATIONS_PER_PAGE = 50;
const SUBSCRIBERS_PER_PAGE = 50;
const FAILED_SHOWN = 50;
/** How many intermediary accounts the "link an intermediary" list offers, and client search results. */
const INTERMEDIARY_OPTIONS = 100;
const CLIENT_RESULTS = 10;

const ZOrganisationForm = z.object({
  name: fText(ZOrganizationInput.shape.name),
  type: fText(ZOrganizationInput.shape.type),
  size: fOptionalText(ZOrganizationInput.shape.size.unwrap().unwrap()),
  country: fText(ZOrganizationInput.shape.country),
  website: fOptionalText(ZOrganizationInput.shape.website.unwrap().unwrap()),
  contactEmail: fOptionalText(ZOrganizationInput.shape.contactEmail.unwrap().unwrap()),
  contactPhone: fOptionalText(ZOrganizationInput.shape.contactPhone.unwrap().unwrap()),
});
const organisationLabels = {
  name: am.organisation.name,
  type: am.organisation.type,
  size: am.organisation.size,
  country: am.organisation.country,
  website: am.organisation.website,
  contactEmail: am.organisation.contactEmail,
  contactPhone: am.organisation.contactPhone,
};
const ZLinkForm = z.object({ intermediaryId: fText(z.uuid()), organizationId: fText(z.uuid()) });
const ZQueueForm = z.object({ queue: fOptionalText(z.string().max(50)) });
const ZBounceForm = z.object({ email: fText(ZBounceBody.shape.email) });

/** A query parameter as one trimmed string ('' when absent or repeated). */
const param = (query: Record<string, unknown>, name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');

/**
 * A list page's query: each filter the service's own schema accepts, any other dropped (the values
 * come from the page's own form, so one it never offers was not chosen there), and the page's size
 * and offset. Lenient, unlike params.ts's listQuery, which answers a bad parameter with the 400 page.
 */
function lenientListQuery<S extends z.ZodObject>(schema: S, query: Record<string, unknown>, filters: (keyof S['shape'] & string)[], limit: number): z.infer<S> {
  const values: Record<string, unknown> = { limit, offset: param(query, 'offset') || 0 };
  for (const name of filters) {
    const value = param(query, name);
    if (value !== '' && (schema.shape[name] as z.ZodType).safeParse(value).success) values[name] = value;
  }
  const parsed = schema.safeParse(values);
  return parsed.success ? parsed.data : schema.parse({ limit });
}

/**
 * Back to the list the form was posted from (the page returnPathOf finds, with its filters), when
 * it is the expected page; else to that page without filters.
 */
function back(request: FastifyRequest, path: string) {
  const page = returnPathOf(request);
  return page.split('?')[0] === path ? page : path;
}

/** The admins' workspace under /admin: every route behind one role check. */
export function adminPages(kit: WebKit) {
  return async (web: FastifyInstance) => {
    web.addHook('onRequest', adminOnlyPages);
    const { users, organizations, jobs, mail, search, newsletter } = web.services;
    const actorOf = (request: FastifyRequest) => request.actor as Actor;

    web.get('/admin', async (_request, reply) => reply.redirect('/admin/users', 303));

    // ── users ──────────────────────────────────────────────────────────────────────────────────

    web.get<{ Querystring: Record<string, string> }>('/admin/users', async (request, reply) => {
      // Past the first page the list goes on with the same pager as the other lists.
      const { limit, offset, ...filter } = lenientListQuery(ZUserListQuery, request.query, ['q', 'role'], USERS_PER_PAGE);
      const found = await users.list(filter, limit, offset);
      const shown = { q: filter.q ?? '', role: filter.role ?? '' };
      return kit.render(reply, <UsersPage ctx={kit.ctx(request, reply)} users={found.items} total={found.total} filter={shown} offset={offset} limit={limit} />);
    });

    web.post<{ Params: { id: string } }>('/admin/users/:id/role', async (request, reply) => {
      const parsed = parseForm(ZRoleForm, formBody(request.body), { role: 'Role' });
      // The role comes from a fixed list of options: anything else was not sent by this page.
      if (!parsed.ok) throw new BadRequest('Choose one of the roles offered');
      await users.adminUpdate(actorOf(request), request.params.id, { role: parsed.data.role });
      return kit.redirect(reply, back(request, '/admin/users'), 'adminRoleChanged');
    });

    web.post<{ Params: { id: string; change: string } }>('/admin/users/:id/:change', async (request, reply) => {
      const { id, change } = request.params;
      if (change === 'disable' || change === 'enable') {
        await users.adminUpdate(actorOf(request), id, { disabled: change === 'disable' });
        return kit.redirect(reply, back(request, '/admin/users'), change === 'disable' ? 'adminUserDisabled' : 'adminUserEnabled');
      }
      if (change === 'resend-verification') {
        await users.resendVerificationFor(actorOf(request), id);
        return kit.redirect(reply, back(request, '/admin/users'), 'adminVerificationSent');
      }
      return web.notFoundPage(request, reply);
    });

    // ── organisations ──────────────────────────────────────────────────────────────────────────

    web.get<{ Querystring: Record<string, string> }>('/admin/organisations', async (request, reply) => {
      const { limit, offset, ...filter } = lenientListQuery(ZOrganizationListQuery, request.query, ['q', 'country', 'type'], ORGANISATIONS_PER_PAGE);
      const found = await organizations.list(filter, limit, offset);
      const shown = { q: filter.q ?? '', country: filter.country ?? '', type: filter.type ?? '' };
      return kit.render(reply, <OrganisationsPage ctx={kit.ctx(request, reply)} organisations={found.items} total={found.total} filter={shown} offset={offset} limit={limit} />);
    });

    async function linksOf(organizationId: string, clientQuery: string): Promise<OrganisationLinks> {
      const [actingFor, intermediaries, own] = await Promise.all([
        users.list({ clientOf: organizationId }, INTERMEDIARY_OPTIONS, 0),
        users.list({ role: 'intermediary' }, INTERMEDIARY_OPTIONS, 0),
        users.list({ organizationId, role: 'intermediary' }, INTERMEDIARY_OPTIONS, 0),
      ]);
      // Each intermediary's client ids, then every client organisation in one query.
      const clientIds = await Promise.all(own.items.map((user) => users.clientOrganizationIds(user.id)));
      const clientsById = new Map((await organizations.findMany([...new Set(clientIds.flat())])).map((row) => [row.id, row]));
      const ownIntermediaries = own.items.map((user, index) => ({
        user,
        clients: clientIds[index]!.flatMap((id) => clientsById.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      }));
      const found =
        clientQuery && ownIntermediaries.length > 0
          ? (await organizations.list({ q: clientQuery }, CLIENT_RESULTS + 1, 0)).items.filter((row) => row.id !== organizationId).slice(0, CLIENT_RESULTS)
          : [];
      return { actingFor: actingFor.items, intermediaries: intermediaries.items, ownIntermediaries, clientQuery, found };
    }

    async function renderOrganisation(request: FastifyRequest, reply: FastifyReply, id: string, state: FormState | null, status = 200) {
      const organisation = await organizations.get(id);
      const clientQuery = param(request.query as Record<string, unknown>, 'clientq').slice(0, 200);
      const page = (
        <OrganisationPage
          ctx={kit.ctx(request, reply)}
          organisation={organisation}
          state={state ?? emptyForm(organisationFormValues(organisation))}
          links={await linksOf(id, clientQuery)}
        />
      );
      return kit.render(reply, page, status);
    }

    web.get<{ Params: { id: string } }>('/admin/organisations/:id', async (request, reply) => renderOrganisation(request, reply, request.params.id, null));

    web.post<{ Params: { id: string } }>('/admin/organisations/:id', async (request, reply) => {
      const { id } = request.params;
      const values = formBody(request.body);
      const parsed = parseForm(ZOrganisationForm, values, organisationLabels);
      if (!parsed.ok) return renderOrganisation(request, reply, id, parsed.state, 400);
      try {
        await organizations.update(actorOf(request), id, parsed.data);
      } catch (error) {
        return renderOrganisation(request, reply, id, formStateFromError(error, values, organisationLabels), 400);
      }
      return kit.redirect(reply, `/admin/organisations/${id}`, 'adminOrganizationSaved');
    });

    // Links between an intermediary (a user) and a client organisation, made or ended from either
    // side's page: the client's ("intermediaries acting for it") or the intermediary's organisation's.
    web.post<{ Params: { id: string; change: string } }>('/admin/organisations/:id/links/:change', async (request, reply) => {
      const { id, change } = request.params;
      if (change !== 'add' && change !== 'remove') return web.notFoundPage(request, reply);
      const parsed = parseForm(ZLinkForm, formBody(request.body), {});
      // Both ids come from this page's own buttons and options.
      if (!parsed.ok) throw new BadRequest('Choose an intermediary and an organisation offered on the page');
      const { intermediaryId, organizationId } = parsed.data;
      if (change === 'add') await users.addClient(actorOf(request), intermediaryId, organizationId);
      else await users.removeClient(actorOf(request), intermediaryId, organizationId);
      return kit.redirect(reply, `/admin/organisations/${id}`, change === 'add' ? 'adminClientLinked' : 'adminClientUnlinked');
    });

    // ── jobs and mail ──────────────────────────────────────────────────────────────────────────

    web.get<{ Querystring: Record<string, string> }>('/admin/jobs', async (request, reply) => {
      const queues = await jobs.openJobStats();
      const wanted = param(request.query, 'queue');
      const queue = queues.some((row) => row.queue === wanted) ? wanted : '';
      const [mailCounts, failedMail, failedJobs] = await Promise.all([
        mail.counts(),
        mail.list({ status: 'failed' }, FAILED_SHOWN, 0),
        jobs.list(queue || undefined, 'failed', FAILED_SHOWN, 0),
      ]);
      return kit.render(reply, <JobsPage ctx={kit.ctx(request, reply)} data={{ queues, mailCounts, failedMail, failedJobs, queue }} />);
    });

    // Jobs are numbered: the parameter is not an `…Id`, which the web context requires to be a UUID.
    web.post<{ Params: { jobNumber: string } }>('/admin/jobs/:jobNumber/retry', async (request, reply) => {
      const id = Number(request.params.jobNumber);
      if (!Number.isSafeInteger(id) || id <= 0) return web.notFoundPage(request, reply);
      if (!(await jobs.retry(id))) throw new Conflict('This job is not failed (any more): someone may have retried it already.', 'job_not_failed');
      return kit.redirect(reply, back(request, '/admin/jobs'), 'adminJobRetried');
    });

    web.post('/admin/jobs/retry-failed', async (request, reply) => {
      const parsed = parseForm(ZQueueForm, formBody(request.body), {});
      if (!parsed.ok) throw new BadRequest('Choose one of the queues offered');
      await jobs.retryAllFailed(parsed.data.queue ?? undefined);
      return kit.redirect(reply, back(request, '/admin/jobs'), 'adminJobsRetried');
    });

    web.post<{ Params: { id: string } }>('/admin/mail/:id/retry', async (request, reply) => {
      await mail.retry(request.params.id);
      return kit.redirect(reply, back(request, '/admin/jobs'), 'adminMailRetried');
    });

    web.post('/admin/mail/retry-failed', async (request, reply) => {
      await mail.retryAllFailed();
      return kit.redirect(reply, back(request, '/admin/jobs'), 'adminMailsRetried');
    });

    // ── search index ───────────────────────────────────────────────────────────────────────────

    web.get('/admin/search', async (request, reply) => {
      return kit.render(reply, <SearchStatusPage ctx={kit.ctx(request, reply)} status={await search.adminStatus()} />);
    });

    web.post('/admin/search/reindex', async (request, reply) => {
      await search.requestReindex(actorOf(request));
      return kit.redirect(reply, '/admin/search', 'adminReindexStarted');
    });

    // ── Tech Monitor subscribers ───────────────────────────────────────────────────────────────

    web.get<{ Querystring: Record<string, string> }>('/admin/subscribers', async (request, reply) => {
      const { limit, offset, ...filter } = lenientListQuery(ZSubscriberListQuery, request.query, ['status', 'q'], SUBSCRIBERS_PER_PAGE);
      const [list, counts] = await Promise.all([newsletter.listSubscribers(filter, limit, offset), newsletter.subscriberCounts()]);
      const shown = { status: filter.status ?? '', q: filter.q ?? '' };
      return kit.render(reply, <SubscribersPage ctx={kit.ctx(request, reply)} list={list} counts={counts} filter={shown} offset={offset} limit={limit} />);
    });

    web.post('/admin/subscribers/bounce', async (request, reply) => {
      const parsed = parseForm(ZBounceForm, formBody(request.body), {});
      if (!parsed.ok) throw new BadRequest('The address to mark as bounced is missing');
      await newsletter.markBounced(actorOf(request), parsed.data.email, 'marked by an admin on /admin/subscribers');
      return kit.redirect(reply, back(request, '/admin/subscribers'), 'adminSubscriberBounced');
    });
  };
}
