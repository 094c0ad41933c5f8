import { Feed } from 'feed';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../lib/http-schemas.js';
import { ZSearchFilters } from '../search/search.schemas.js';
import { countryName } from '../vocabularies/countries.js';
import { labelOf, SECTORS } from '../vocabularies/enums.js';

// Atom feeds of newly published offers and requests, filtered by the search filters, for feed
// readers and partner sites. Only public fields: an anonymous listing's owner never appears.

const ZFeedQuery = ZSearchFilters.extend({ limit: z.coerce.number().int().min(1).max(100).default(50) });

const sectorLabel = (code: string) => labelOf(SECTORS, code);

const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const publicUrl = app.config.server.publicUrl;

  app.get(
    '/listings.atom',
    {
      schema: {
        tags: ['feeds'],
        summary: 'Atom feed of newly published technology offers and requests (search filters apply)',
        querystring: ZFeedQuery,
        produces: ['application/atom+xml'],
        response: { 200: z.string().describe('application/atom+xml'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { limit, ...filters } = request.query;
      const { items } = await app.services.listings.list(null, { ...filters, sort: 'newest', limit, offset: 0 });
      const self = `${publicUrl}${request.url}`;
      const kindTitle = filters.kind === 'offer' ? 'Technology offers' : filters.kind === 'request' ? 'Technology requests' : 'Technology offers and requests';
      const feed = new Feed({
        id: self,
        title: `${kindTitle}${filters.sector?.length ? `: ${filters.sector.map(sectorLabel).join(', ')}` : ''}`,
        description: 'Newly published listings of the technology database',
        link: `${publicUrl}/`,
        language: 'en',
        updated: items[0]?.publishedAt ?? new Date(0),
        generator: 'Technology Database',
        feedLinks: { atom: self },
        author: { name: 'Technology Database', link: `${publicUrl}/` },
        copyright: 'Listings belong to the organisations that posted them',
      });
      for (const listing of items) {
        const link = `${publicUrl}/listings/${listing.id}`;
        feed.addItem({
          id: `urn:uuid:${listing.id}`,
          title: `${listing.reference}: ${listing.title}`,
          link,
          date: listing.updatedAt,
          published: listing.publishedAt ?? listing.updatedAt,
          description: listing.summary,
          category: listing.sectors.map((code) => ({ name: sectorLabel(code), term: code })),
          author: [{ name: listing.organization ? listing.organization.name : `Anonymous (${countryName(listing.country) ?? listing.country})` }],
        });
      }
      return reply.type('application/atom+xml; charset=utf-8').send(feed.atom1());
    },
  );
};

export default feedRoutes;
