import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { ZListingContent, ZListingQuery } from '../../modules/listings/listings.schemas.js';
import { ZMatchQuery } from '../../modules/matching/matching.schemas.js';
import { LISTING_KINDS } from '../../modules/vocabularies/enums.js';
import { emptyForm, fCheckbox, fCommaList, fInt, fList, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState, type FormValues } from '../forms.js';
import type { FlashKey } from '../messages.js';
import { ListingFormPage, listingFormLabels, MyListingPage, MyListingsPage, type OwnListing } from '../pages/my-listings.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';

type Services = FastifyInstance['services'];

const content = ZListingContent.shape;

/** The posting form's fields, parsed into what the listing service takes (its own schema's rules). */
const ZListingForm = z.object({
  title: fText(content.title),
  summary: fText(content.summary),
  description: fText(content.description),
  advantages: fOptionalText(z.string().trim().max(2000, { message: 'must be at most 2000 characters' })),
  specificationSought: fOptionalText(z.string().trim().max(2000, { message: 'must be at most 2000 characters' })),
  sectors: fList(content.sectors),
  keywords: fCommaList(content.keywords),
  stage: fText(content.stage),
  trl: fInt(content.trl),
  iprStatus: fText(content.iprStatus),
  iprNotes: fOptionalText(z.string().trim().max(1000, { message: 'must be at most 1000 characters' })),
  partnershipTypes: fList(content.partnershipTypes),
  targetCountries: fList(content.targetCountries),
  sdgs: fList(content.sdgs),
  anonymous: fCheckbox(),
});

const ZCreateForm = ZListingForm.extend({
  kind: fText(z.enum(LISTING_KINDS)),
  organizationId: fOptionalText(z.uuid()),
});

const ZEditForm = ZListingForm.extend({ version: fInt(z.number().int().positive()) });

const ACTION_FLASH: Record<string, FlashKey> = { submit: 'listingSubmitted', withdraw: 'listingWithdrawn', renew: 'listingRenewed', archive: 'listingArchived' };

/** A listing's values as the form shows them. */
function formValuesOf(listing: OwnListing): FormValues {
  return {
    title: listing.title,
    summary: listing.summary,
    description: listing.description,
    advantages: listing.advantages ?? '',
    specificationSought: listing.specificationSought ?? '',
    sectors: listing.sectors,
    keywords: listing.keywords.join(', '),
    stage: listing.stage,
    trl: String(listing.trl),
    iprStatus: listing.iprStatus,
    iprNotes: listing.iprNotes ?? '',
    partnershipTypes: listing.partnershipTypes,
    targetCountries: listing.targetCountries,
    sdgs: listing.sdgs.map(String),
    anonymous: listing.anonymous ? 'on' : '',
  };
}

/** The organisations the actor may post for: its own, then the clients it represents. */
export async function organizationsFor(services: Services, actor: Actor) {
  const ids = await services.users.organizationsActedFor(actor);
  const rows = await services.organizations.findMany(ids);
  return ids.flatMap((id) => rows.filter((row) => row.id === id).map((row) => ({ id: row.id, name: row.name })));
}

/** The full view (owners, editors) names the organisation id; the public one does not. */
const isOwnView = (listing: object): listing is OwnListing => 'version' in listing;

/** The full (owner-side) view of a listing, or 404 for anyone else. */
async function ownListing(services: Services, actor: Actor, id: string): Promise<OwnListing> {
  const listing = await services.listings.get(actor, id);
  if (!isOwnView(listing)) throw new NotFound('Listing');
  return listing;
}

export function myListingsRoutes(web: FastifyInstance, kit: WebKit) {
  const services = web.services;
  const { listings, listingCounters, interests, matching } = services;

  async function statsOf(actor: Actor, ids: string[]) {
    const [counts, interestCounts] = await Promise.all([listingCounters.countsOf(ids), interests.receivedCounts(actor, ids)]);
    return new Map(ids.map((id) => [id, { ...counts.get(id)!, interests: interestCounts.get(id) ?? 0 }]));
  }

  web.get('/my', async (request, reply) => {
    const actor = requireUser(request);
    const { items } = await listings.list(actor, ZListingQuery.parse({ mine: 'true', sort: 'updated', limit: '100' }));
    const own = items.filter(isOwnView);
    const stats = await statsOf(actor, own.map((listing) => listing.id));
    return kit.render(reply, <MyListingsPage ctx={kit.ctx(request, reply)} listings={own} stats={stats} />);
  });

  async function formPage(request: FastifyRequest, reply: FastifyReply, state: FormState, editing: OwnListing | null, status = 200) {
    const actor = requireUser(request);
    const organizations = editing ? [] : await organizationsFor(services, actor);
    return kit.render(reply, <ListingFormPage ctx={kit.ctx(request, reply)} state={state} organizations={organizations} editing={editing} />, status);
  }

  web.get<{ Querystring: { organizationId?: string; kind?: string } }>('/my/listings/new', async (request, reply) => {
    const { organizationId, kind } = request.query;
    const preset = { iprStatus: 'none', ...(typeof organizationId === 'string' ? { organizationId } : {}), ...(kind === 'offer' || kind === 'request' ? { kind } : {}) };
    return formPage(request, reply, emptyForm(preset), null);
  });

  web.post('/my/listings', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(ZCreateForm, values, listingFormLabels);
    if (!parsed.ok) return formPage(request, reply, parsed.state, null, 400);
    const { organizationId, ...body } = parsed.data;
    let created;
    try {
      created = await listings.create(actor, { ...body, ...(organizationId ? { organizationId } : {}) });
    } catch (error) {
      return formPage(request, reply, formStateFromError(error, values, listingFormLabels), null, 400);
    }
    if (values.intent === 'submit') {
      try {
        await listings.transition(actor, created.id, 'submit');
      } catch (error) {
        // The draft is saved; the editing form says why it could not be submitted yet.
        return formPage(request, reply, formStateFromError(error, formValuesOf(created), listingFormLabels), created, 400);
      }
      return kit.redirect(reply, `/my/listings/${created.id}`, 'listingSubmitted');
    }
    return kit.redirect(reply, `/my/listings/${created.id}`, 'listingCreated');
  });

  web.get<{ Params: { id: string } }>('/my/listings/:id', async (request, reply) => {
    const actor = requireUser(request);
    const listing = await ownListing(services, actor, request.params.id);
    const [stats, history, matches] = await Promise.all([
      statsOf(actor, [listing.id]),
      listings.history(actor, listing.id),
      matching.matchesFor(actor, listing.id, ZMatchQuery.parse({ limit: '10' })),
    ]);
    listingCounters.recordMatchAppearances(matches.items.map((match) => match.listing.id));
    return kit.render(
      reply,
      <MyListingPage ctx={kit.ctx(request, reply)} listing={listing} stats={stats.get(listing.id)!} matches={matches.items} matchTotal={matches.total} matchSummary={matches.summary.message} history={history} />,
    );
  });

  web.get<{ Params: { id: string } }>('/my/listings/:id/edit', async (request, reply) => {
    const actor = requireUser(request);
    const listing = await ownListing(services, actor, request.params.id);
    return formPage(request, reply, emptyForm(formValuesOf(listing)), listing);
  });

  web.post<{ Params: { id: string } }>('/my/listings/:id', async (request, reply) => {
    const actor = requireUser(request);
    const listing = await ownListing(services, actor, request.params.id);
    const values = formBody(request.body);
    const parsed = parseForm(ZEditForm, values, listingFormLabels);
    if (!parsed.ok) return formPage(request, reply, parsed.state, listing, 400);
    try {
      await listings.update(actor, listing.id, parsed.data);
      if (values.intent === 'submit') await listings.transition(actor, listing.id, 'submit');
    } catch (error) {
      return formPage(request, reply, formStateFromError(error, values, listingFormLabels), await ownListing(services, actor, listing.id), 400);
    }
    return kit.redirect(reply, `/my/listings/${listing.id}`, values.intent === 'submit' ? 'listingSubmitted' : 'listingSaved');
  });

  web.post<{ Params: { id: string; action: string } }>('/my/listings/:id/:action', async (request, reply) => {
    const actor = requireUser(request);
    const { id, action } = request.params;
    if (action !== 'submit' && action !== 'withdraw' && action !== 'renew' && action !== 'archive') return web.notFoundPage(request, reply);
    await listings.transition(actor, id, action);
    return kit.redirect(reply, `/my/listings/${id}`, ACTION_FLASH[action]);
  });
}
