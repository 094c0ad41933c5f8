import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ALERT_FREQUENCIES, ZCreateSavedSearchBody } from '../../modules/alerts/alerts.schemas.js';
import { BadRequest } from '../../lib/errors.js';
import { fCheckbox, fText, formBody, parseForm } from '../forms.js';
import { m } from '../messages.js';
import { ClientsPage, SavedSearchesPage } from '../pages/my-searches.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';
import { searchQueryOf } from './public.routes.js';

const ZUpdateForm = z.object({ frequency: fText(z.enum(ALERT_FREQUENCIES)), active: fCheckbox() });

export function mySearchesRoutes(web: FastifyInstance, kit: WebKit) {
  const { alerts, users, organizations } = web.services;

  web.get('/my/saved-searches', async (request, reply) => {
    const actor = requireUser(request);
    const { items } = await alerts.list(actor, 100, 0);
    return kit.render(reply, <SavedSearchesPage ctx={kit.ctx(request, reply)} items={items} />);
  });

  // "Alert me about new results" on the search page: the search's own words and filters are saved.
  web.post('/my/saved-searches', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const params = new URLSearchParams(typeof values.search === 'string' ? values.search : '');
    const search = searchQueryOf(params);
    if (!search.success) throw new BadRequest(m.search.badQuery);
    const { q, kind, sector, country, targetCountry, stage, trlMin, trlMax, iprStatus, partnershipType, sdg } = search.data;
    const filters = Object.fromEntries(
      Object.entries({ kind, sector, country, targetCountry, stage, trlMin, trlMax, iprStatus, partnershipType, sdg }).filter(
        ([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0),
      ),
    );
    const name = typeof values.name === 'string' && values.name.trim() ? values.name : q || m.search.heading;
    await alerts.create(actor, ZCreateSavedSearchBody.parse({ name: name.slice(0, 100), kind: 'query', query: q.slice(0, 200), filters }));
    return kit.redirect(reply, '/my/saved-searches', 'savedSearchCreated');
  });

  web.post<{ Params: { id: string } }>('/my/saved-searches/:id', async (request, reply) => {
    const actor = requireUser(request);
    const parsed = parseForm(ZUpdateForm, formBody(request.body), { frequency: m.my.frequency, active: m.my.active });
    if (!parsed.ok) throw new BadRequest(Object.values(parsed.state.errors).join(' '));
    await alerts.update(actor, request.params.id, parsed.data);
    return kit.redirect(reply, '/my/saved-searches', 'savedSearchUpdated');
  });

  web.post<{ Params: { id: string } }>('/my/saved-searches/:id/delete', async (request, reply) => {
    await alerts.remove(requireUser(request), request.params.id);
    return kit.redirect(reply, '/my/saved-searches', 'savedSearchDeleted');
  });

  web.get('/my/clients', async (request, reply) => {
    const actor = requireUser(request);
    const ids = await users.clientOrganizationIds(actor.id);
    const clients = (await organizations.findMany(ids)).map((row) => ({ id: row.id, name: row.name, country: row.country, type: row.type }));
    return kit.render(reply, <ClientsPage ctx={kit.ctx(request, reply)} clients={clients} />);
  });
}
