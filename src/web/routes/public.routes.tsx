import type { FastifyInstance, FastifyRequest } from 'fastify';
import { anonymousRateLimit } from '../../lib/anonymous-rate-limit.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { ZSendInterestBody } from '../../modules/interests/interests.schemas.js';
import { ZSearchQuery } from '../../modules/search/search.schemas.js';
import { EXPORT_FORMATS, ZExportQuery } from '../../modules/imports/exports.service.js';
import { z } from 'zod';
import { emptyForm, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState } from '../forms.js';
import { m } from '../messages.js';
import { listingPath, type PublicListing } from '../pages/listing-parts.js';
import { HomePage, ListingPage, SearchPage, SearchResults, type InterestFormData } from '../pages/public.js';
import { htmxTarget } from '../htmx.js';
import { UUID } from '../params.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';

type Services = FastifyInstance['services'];

const ZInterestForm = z.object({
  message: fText(ZSendInterestBody.shape.message),
  organizationId: fOptionalText(z.uuid()),
});

const SEARCH_PAGE_SIZE = 20;

/** The query string as URLSearchParams, dropping anything that is not a plain value. */
export function paramsOf(request: FastifyRequest): URLSearchParams {
  const raw = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  const params = new URLSearchParams(raw);
  for (const key of [...params.keys()]) if (!key || /[\u0000-\u001f]/.test(key)) params.delete(key);
  return params;
}

/** Query parameters as a zod query schema reads them: a repeated key becomes a list. */
function schemaInputOf(params: URLSearchParams) {
  const input: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    input[key] = values.length > 1 ? values : values[0]!;
  }
  return input;
}

/** Search parameters for the search service: what /api/v1/search accepts, as its schema parses them. */
export function searchQueryOf(params: URLSearchParams) {
  const input = schemaInputOf(params);
  input.limit ??= String(SEARCH_PAGE_SIZE);
  return ZSearchQuery.safeParse(input);
}

export function publicRoutes(web: FastifyInstance, kit: WebKit) {
  const services = web.services;
  const { search, listings, techmonitor, listingCounters } = services;

  web.get('/', async (request, reply) => {
    const [all, offers, requests, issues] = await Promise.all([
      search.search(ZSearchQuery.parse({ limit: '1' })),
      search.search(ZSearchQuery.parse({ kind: 'offer', sort: 'newest', limit: '4' })),
      search.search(ZSearchQuery.parse({ kind: 'request', sort: 'newest', limit: '4' })),
      techmonitor.list(null, { limit: 1, offset: 0 }),
    ]);
    const sectors = Object.entries(all.facets.sectors ?? {})
      .map(([code, count]) => ({ code, count }))
      .filter((sector) => sector.count > 0)
      .sort((a, b) => b.count - a.count);
    const ctx = kit.ctx(request, reply);
    return kit.render(
      reply,
      <HomePage
        ctx={ctx}
        data={{
          offers: all.facets.kind?.offer ?? 0,
          requests: all.facets.kind?.request ?? 0,
          newestOffers: offers.items,
          newestRequests: requests.items,
          sectors,
          latestIssue: issues.items[0] ?? null,
        }}
      />,
    );
  });

  // The page runs the same search as GET /api/v1/search, so anonymous visitors share its limit per
  // minute (a scraper gains nothing by reading pages instead of the API).
  web.get('/search', { config: { rateLimit: anonymousRateLimit(web.config.limits.anonymousSearchPerMinute) } }, async (request, reply) => {
    const ctx = kit.ctx(request, reply);
    const params = paramsOf(request);
    const parsed = searchQueryOf(params);
    if (!parsed.success) {
      const problem = `${m.search.badQuery} ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`;
      const query = ZSearchQuery.parse({ q: params.get('q')?.slice(0, 500) ?? '' });
      return kit.render(reply, <SearchPage ctx={ctx} data={{ query, params, result: null, problem }} />, 400);
    }
    let result;
    try {
      result = await search.search(parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500 && error.statusCode !== 503) throw error;
      const problem = error.statusCode === 503 ? m.search.unavailable : error.message;
      return kit.render(reply, <SearchPage ctx={ctx} data={{ query: parsed.data, params, result: null, problem }} />, error.statusCode);
    }
    listingCounters.recordSearchAppearances(result.items.map((item) => item.id));
    const data = { query: parsed.data, params, result };
    // "Show more" asks for the next results alone, to append them.
    if (htmxTarget(request) === 'result-list') return kit.fragment(reply, <SearchResults ctx={ctx} data={data} appended />);
    return kit.render(reply, <SearchPage ctx={ctx} data={data} />);
  });

  // The export files of the listings under the search's filters, for whoever is logged in (every
  // field for editors and admins); anonymous visitors share the search's limit per minute.
  web.get<{ Params: { format: string } }>(
    '/search/export.:format',
    { config: { rateLimit: anonymousRateLimit(web.config.limits.anonymousSearchPerMinute) } },
    async (request, reply) => {
      const format = EXPORT_FORMATS.find((candidate) => candidate === request.params.format);
      if (!format) return web.notFoundPage(request, reply);
      const query = ZExportQuery.safeParse(schemaInputOf(paramsOf(request)));
      if (!query.success) throw new AppError('bad_request', 400, `${m.search.badQuery} ${query.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
      const file = await web.services.listingExport.file(request.actor, query.data, format);
      return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'private, no-store').send(file.body);
    },
  );

  // Mails link listings by id; the page's own address is its reference.
  web.get<{ Params: { reference: string } }>('/listings/:reference', async (request, reply) => {
    const { reference } = request.params;
    if (UUID.test(reference)) {
      const listing = await listings.get(request.actor, reference);
      return reply.redirect(listingPath(listing), 301);
    }
    return renderListing(request, reply, reference, null);
  });

  web.post<{ Params: { reference: string } }>('/listings/:reference/interest', async (request, reply) => {
    const actor = requireUser(request);
    const listing = await listings.getByReference(actor, request.params.reference);
    const values = formBody(request.body);
    const labels = { message: m.listing.message, organizationId: m.listing.actFor };
    const parsed = parseForm(ZInterestForm, values, labels);
    if (!parsed.ok) return renderListing(request, reply, request.params.reference, parsed.state);
    try {
      const { message, organizationId } = parsed.data;
      const interest = await services.interests.send(actor, { listingId: listing.id, message, ...(organizationId ? { organizationId } : {}) });
      return kit.redirect(reply, `/my/interests/${interest.id}`, 'interestSent');
    } catch (error) {
      return renderListing(request, reply, request.params.reference, formStateFromError(error, values, labels));
    }
  });

  async function renderListing(request: FastifyRequest, reply: import('fastify').FastifyReply, reference: string, state: FormState | null) {
    const actor = request.actor;
    const listing = await listings.getByReference(actor, reference);
    const isOwnerSide = actor ? await actsForListing(services, actor, listing) : false;
    if (!isOwnerSide) listingCounters.recordView(listing.id);
    const [related, interest] = await Promise.all([relatedListings(services, listing), interestForm(services, actor, state)]);
    const ctx = kit.ctx(request, reply);
    return kit.render(reply, <ListingPage ctx={ctx} listing={listing} related={related} isOwnerSide={isOwnerSide} interest={interest} />, state ? 400 : 200);
  }

  web.get('/sitemap.xml', async (_request, reply) => {
    const base = web.config.server.publicUrl;
    const urls = [`${base}/`, `${base}/search`, `${base}/tech-monitor`];
    let after: string | null = null;
    for (;;) {
      const batch = await listings.publishedWithOrganizationAfter(after, 1000);
      for (const { listing } of batch) urls.push(`${base}${listingPath(listing)}`);
      if (batch.length < 1000) break;
      after = batch[batch.length - 1]!.listing.id;
    }
    const issues = await techmonitor.list(null, { limit: 100, offset: 0 });
    for (const issue of issues.items) urls.push(`${base}/tech-monitor/${issue.id}`);
    const xml = urls.map((url) => `<url><loc>${escapeXml(url)}</loc></url>`).join('');
    return reply
      .header('content-type', 'application/xml; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(`<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${xml}</urlset>\n`);
  });

  web.get('/robots.txt', async (_request, reply) => {
    const base = web.config.server.publicUrl;
    const lines = ['User-agent: *', 'Disallow: /my', 'Disallow: /account', 'Disallow: /login', 'Disallow: /register', 'Disallow: /editor', 'Disallow: /admin', 'Disallow: /api/', `Sitemap: ${base}/sitemap.xml`];
    return reply.header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600').send(`${lines.join('\n')}\n`);
  });
}

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Whether the actor is on the owner side of the listing (its organisation or an intermediary for it). */
export async function actsForListing(services: Services, actor: Actor, listing: object) {
  // Only the owner side, editors and admins get the full view, which names the organisation id.
  if (!('organizationId' in listing) || typeof listing.organizationId !== 'string') return false;
  return actor.role === 'admin' || services.users.actsFor(actor, listing.organizationId);
}

async function relatedListings(services: Services, listing: PublicListing): Promise<PublicListing[]> {
  if (listing.status !== 'published') return [];
  const result = await services.search.search(ZSearchQuery.parse({ kind: listing.kind, sector: listing.sectors[0], limit: '5', sort: 'newest' }));
  return result.items.filter((item) => item.id !== listing.id).slice(0, 4);
}

async function interestForm(services: Services, actor: Actor | null, state: FormState | null): Promise<InterestFormData | null> {
  if (!actor) return null;
  if (!actor.emailVerified) return { organizations: [], state: emptyForm(), blocked: m.listing.verifyFirst };
  const me = await services.users.me(actor);
  const ids = [...(actor.organizationId ? [actor.organizationId] : []), ...me.clientOrganizationIds];
  if (ids.length === 0) return { organizations: [], state: emptyForm(), blocked: m.listing.noOrganization };
  const organizations = (await services.organizations.findMany(ids)).map((organization) => ({ id: organization.id, name: organization.name }));
  return { organizations, state: state ?? emptyForm() };
}
