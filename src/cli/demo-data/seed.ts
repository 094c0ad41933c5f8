import { count } from 'drizzle-orm';
import { listingContentColumns } from '../bulk-listings.js';
import type { FastifyInstance } from 'fastify';
import { users } from '../../../drizzle/users.js';
import { addDays } from '../../lib/clock.js';
import { addMonths, VALIDITY_MONTHS } from '../../modules/listings/listing-lifecycle.js';
import * as listingsRepo from '../../modules/listings/listings.repository.js';

/** The demo accounts the README lists: one per role. */
export const DEMO_ACCOUNTS = [
  { role: 'admin', email: 'admin@techmonitor.example', password: 'demo-admin-2026', name: 'Ada Admin' },
  { role: 'editor', email: 'editor@techmonitor.example', password: 'demo-editor-2026', name: 'Eda Editor' },
  { role: 'intermediary', email: 'broker@techmonitor.example', password: 'demo-broker-2026', name: 'Ivan Intermediary' },
  { role: 'member', email: 'member@techmonitor.example', password: 'demo-member-2026', name: 'Mai Member' },
] as const;

const DEMO_LISTINGS = 200;
const DEMO_ORGANIZATIONS = 60;

export async function isEmpty(app: FastifyInstance) {
  const [row] = await app.database.db.select({ n: count() }).from(users);
  return (row?.n ?? 0) === 0;
}

/** Seeds the demo data on an empty database; does nothing on one that has users. */
export async function seedDemoIfEmpty(app: FastifyInstance) {
  if (!(await isEmpty(app))) return false;
  await seedDemo(app);
  return true;
}

/**
 * Demo organisations, one account per role and about 200 listings in every status, written in one
 * transaction (all or nothing). Published listings are queued for indexing like any other change.
 */
export async function seedDemo(app: FastifyInstance) {
  const { organizations, users: userService, jobs } = app.services;
  const now = app.clock.now();
  // The catalogues behind the generator are thousands of lines of data: loaded only to seed.
  const { generateDemoData } = await import('./generator.js');
  const data = generateDemoData({ listings: DEMO_LISTINGS, organizations: DEMO_ORGANIZATIONS, seed: 2026 });
  await app.database.db.transaction(async (tx) => {
    const orgIds: string[] = [];
    for (const org of data.organizations) {
      const row = await organizations.createInTx(tx, {
        name: org.name,
        type: org.type,
        size: org.size,
        country: org.country,
        website: org.website,
        contactEmail: org.contactEmail,
        contactPhone: org.contactPhone,
      });
      orgIds.push(row.id);
    }
    const accounts: Record<string, string> = {};
    for (const account of DEMO_ACCOUNTS) {
      const user = await userService.createUser(tx, {
        email: account.email,
        name: account.name,
        password: account.password,
        role: account.role,
        organizationId: account.role === 'member' ? orgIds[0]! : null,
        verified: true,
      });
      accounts[account.role] = user.id;
    }
    // The demo intermediary represents three client organisations.
    for (const organizationId of orgIds.slice(1, 4)) {
      await organizations.addClient(tx, accounts.intermediary!, organizationId);
    }
    // Every other organisation gets one member account (random password) to own its listings.
    const ownerOf: string[] = [accounts.member!];
    for (let i = 1; i < orgIds.length; i++) {
      const user = await userService.createUser(tx, {
        email: `contact${i}@demo-org.example`,
        name: `Contact person, ${data.organizations[i]!.name}`.slice(0, 120),
        password: `demo-${crypto.randomUUID()}`,
        role: 'member',
        organizationId: orgIds[i]!,
        verified: true,
      });
      ownerOf.push(user.id);
    }
    for (const listing of data.listings) {
      const organizationId = orgIds[listing.organizationIndex]!;
      const org = data.organizations[listing.organizationIndex]!;
      const publishedAt = listing.publishedDaysAgo !== null ? addDays(now, -listing.publishedDaysAgo) : null;
      const createdAt = publishedAt ? addDays(publishedAt, -3) : addDays(now, -5);
      const prefix = `${listing.kind === 'offer' ? 'TO' : 'TR'}-${org.country}-${createdAt.getUTCFullYear()}`;
      const number = await listingsRepo.nextReferenceNumber(tx, prefix);
      const viaIntermediary = listing.organizationIndex >= 1 && listing.organizationIndex <= 3;
      const row = await listingsRepo.insertListing(tx, {
        reference: `${prefix}-${String(number).padStart(5, '0')}`,
        ...listingContentColumns(listing),
        status: listing.status,
        organizationId,
        createdById: viaIntermediary ? accounts.intermediary! : ownerOf[listing.organizationIndex]!,
        postedById: viaIntermediary ? accounts.intermediary! : null,
        submittedAt: listing.status === 'draft' ? null : createdAt,
        publishedAt,
        expiresAt: publishedAt ? addMonths(publishedAt, VALIDITY_MONTHS) : null,
        createdAt,
        updatedAt: publishedAt ?? createdAt,
      });
      if (row.status === 'published') await jobs.enqueue(tx, 'search', { listingId: row.id }, { dedupeKey: `listing:${row.id}` });
    }
  });
  app.log.info({ listings: data.listings.length, organizations: data.organizations.length }, 'demo data seeded');
}
