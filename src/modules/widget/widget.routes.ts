import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { escapeHtml } from '../../lib/html.js';
import { errorResponses } from '../../lib/http-schemas.js';
import { ZSearchQuery } from '../search/search.schemas.js';
import { countryName } from '../vocabularies/countries.js';
import { labelOf, SECTORS } from '../vocabularies/enums.js';

// The embeddable widget: the latest published listings of a sector or country as a small HTML
// page that partner sites frame with one <iframe>. It is the one page that may be framed: its own
// Content-Security-Policy names the allowed framing origins (WIDGET_FRAME_ANCESTORS), every other
// response keeps the default that forbids framing. No script; links open on this site (_top).

const ZWidgetQuery = ZSearchQuery.pick({ kind: true, sector: true, country: true, targetCountry: true }).extend({
  limit: z.coerce.number().int().min(1).max(20).default(5),
  title: z.string().trim().max(80).regex(/^[^\u0000-\u001f\u007f]*$/, { message: 'must not contain control characters' }).optional().describe('Heading shown above the list'),
});

const STYLESHEET = `body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1b1b1b;background:#fff}
.w{padding:8px 10px}h1{font-size:15px;margin:0 0 6px}ul{list-style:none;margin:0;padding:0}
li{padding:6px 0;border-top:1px solid #e3e3e3}li:first-child{border-top:0}a{color:#0b4f8a;text-decoration:none}
a:hover{text-decoration:underline}.m{color:#555;font-size:12px}.f{margin-top:6px;font-size:12px}`;

const widgetRoutes: FastifyPluginAsyncZod = async (app) => {
  const publicUrl = app.config.server.publicUrl;
  const frameAncestors = app.config.partners.widgetFrameAncestors
    .split(/[\s,]+/)
    .filter(Boolean)
    .join(' ');

  app.get(
    '/widget.css',
    { schema: { hide: true, produces: ['text/css'], response: { 200: z.string() } } },
    async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(STYLESHEET),
  );

  app.get(
    '/listings',
    {
      schema: {
        tags: ['widget'],
        summary: 'Embeddable list of the latest published listings (HTML, may be framed by partner sites)',
        querystring: ZWidgetQuery,
        produces: ['text/html'],
        response: { 200: z.string().describe('text/html'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { limit, title, ...filters } = request.query;
      const { items } = await app.services.listings.list(null, { ...filters, sort: 'newest', limit, offset: 0 });
      const heading =
        title ??
        `Latest technology ${filters.kind === 'request' ? 'requests' : filters.kind === 'offer' ? 'offers' : 'offers and requests'}${
          filters.sector?.length ? ` in ${filters.sector.map((code) => labelOf(SECTORS, code)).join(', ')}` : ''
        }${filters.country?.length ? ` from ${filters.country.map((code) => countryName(code) ?? code).join(', ')}` : ''}`;
      const more = new URL(`${publicUrl}/search`);
      for (const [key, value] of Object.entries(filters)) if (value !== undefined) more.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
      const list = items.length
        ? items
            .map(
              (listing) =>
                `<li><a href="${escapeHtml(`${publicUrl}/listings/${listing.id}`)}" target="_top">${escapeHtml(listing.title)}</a>` +
                `<div class="m">${escapeHtml(listing.kind === 'offer' ? 'Offer' : 'Request')} · ${escapeHtml(countryName(listing.country) ?? listing.country)} · ${escapeHtml(listing.reference)}</div></li>`,
            )
            .join('')
        : '<li>No listings yet.</li>';
      const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(heading)}</title><link rel="stylesheet" href="/widget/widget.css"></head>
<body><div class="w"><h1>${escapeHtml(heading)}</h1><ul>${list}</ul>
<div class="f"><a href="${escapeHtml(more.toString())}" target="_top">More on the Technology Database</a></div></div></body></html>`;
      // This route only: framing allowed for the configured origins, nothing else loaded but the stylesheet.
      reply.removeHeader('x-frame-options');
      return reply
        .header(
          'content-security-policy',
          `default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`,
        )
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'public, max-age=300')
        .type('text/html; charset=utf-8')
        .send(html);
    },
  );
};

export default widgetRoutes;
