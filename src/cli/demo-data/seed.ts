import { count } from 'drizzle-orm';
import { listingContentColumns } from '../bulk-listings.js';
import type { FastifyInstance } from 'fastify';
import { users } from '../../../drizzle/users.js';
import { addDays } from '../../lib/clock.js';
import { addMonths, VALIDITY_MONTHS } from '../../modules/listings/listing-lifecycle.js';
import * as listingsRepo from '../../modules/listings/listings.repository.js';
import { ZListingQuery } from '../../modules/listings/listings.schemas.js';

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
  const accounts: Record<string, string> = {};
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
  await publishDemoIssue(app, accounts.editor!);
  app.log.info({ listings: data.listings.length, organizations: data.organizations.length }, 'demo data seeded');
}

/**
 * One published Tech Monitor issue on renewable energy, so the home page, /tech-monitor and an
 * issue page have something to show: the demo editor selects live offers and requests, locks the
 * issue and publishes it through the service, as the API would.
 */
async function publishDemoIssue(app: FastifyInstance, editorId: string) {
  const { techmonitor, listings, users } = app.services;
  const editor = (await users.loadActor(editorId))!;
  const today = app.clock.now();
  const quarterStart = new Date(Date.UTC(today.getUTCFullYear(), Math.floor(today.getUTCMonth() / 3) * 3, 1));
  const quarterEnd = new Date(Date.UTC(quarterStart.getUTCFullYear(), quarterStart.getUTCMonth() + 3, 0));
  let issue = await techmonitor.create(editor, {
    volume: today.getUTCFullYear() - 1990,
    number: Math.floor(today.getUTCMonth() / 3) + 1,
    title: 'Clean energy for small enterprises',
    theme: { text: 'Solar, wind and bio-energy technologies that small and medium enterprises can adopt.', sectors: ['renewable_energy', 'bio_energy'] },
    periodStart: quarterStart.toISOString().slice(0, 10),
    periodEnd: quarterEnd.toISOString().slice(0, 10),
    targetOffers: 3,
    targetRequests: 2,
  });
  for (const [kind, n] of [['offer', 3], ['request', 2]] as const) {
    const { items } = await listings.list(null, ZListingQuery.parse({ kind, sector: 'renewable_energy', limit: String(n) }));
    for (const listing of items) issue = await techmonitor.addEntry(editor, issue.id, { listingId: listing.id, version: issue.version });
  }
  issue = await techmonitor.lock(editor, issue.id, issue.version);
  await techmonitor.publish(editor, issue.id, issue.version);
}
