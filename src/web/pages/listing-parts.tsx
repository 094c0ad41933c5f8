import type { toPublicListing } from '../../modules/listings/listings.service.js';
import { Highlighted } from '../render.js';
import { Tag, Time } from '../components.js';
import type { PageContext } from '../context.js';
import { label } from '../messages.js';

export type PublicListing = ReturnType<typeof toPublicListing>;
export type Highlights = { title?: string; summary?: string };

export const listingPath = (listing: { reference: string }) => `/listings/${encodeURIComponent(listing.reference)}`;

export function KindTag({ kind }: { kind: string }) {
  return <Tag tone={kind}>{label.kind(kind)}</Tag>;
}

/** A listing in a list: what a buyer scans first. Never shows an anonymous listing's owner. */
export function ListingCard({ ctx, listing, highlights, headingLevel = 3 }: { ctx: PageContext; listing: PublicListing; highlights?: Highlights; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article class="card listing-card">
      <p class="card__meta">
        <KindTag kind={listing.kind} /> <span class="muted">{listing.reference}</span>
      </p>
      <Heading class="card__title">
        <a href={listingPath(listing)}>
          <Highlighted html={highlights?.title} fallback={listing.title} />
        </a>
      </Heading>
      <p class="card__summary">
        <Highlighted html={highlights?.summary} fallback={listing.summary} />
      </p>
      <ul class="facts-inline">
        <li>{label.country(listing.country)}</li>
        <li>{label.stage(listing.stage)}</li>
        <li>TRL {listing.trl}</li>
        {listing.sectors.slice(0, 2).map((sector) => (
          <li key={sector}>{label.sector(sector)}</li>
        ))}
        {listing.publishedAt ? (
          <li>
            <Time ctx={ctx} value={listing.publishedAt} />
          </li>
        ) : null}
      </ul>
    </article>
  );
}
