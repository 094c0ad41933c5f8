import { randomBytes } from 'node:crypto';
import type { TestContext } from './test-app.js';
import type { UserRole } from '../../src/modules/vocabularies/enums.js';

export const PASSWORD = 'correct-horse-battery';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
  organizationId: string | null;
  auth: { authorization: string };
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

/** A user (with a new organisation unless told otherwise), created directly and logged in through the API. */
export async function createUser(
  ctx: TestContext,
  options: { role?: UserRole; organizationId?: string | null; withOrganization?: boolean; country?: string; verified?: boolean; name?: string } = {},
): Promise<TestUser> {
  const role = options.role ?? 'member';
  const email = `${role}-${unique()}@example.org`;
  const { users, organizations } = ctx.app.services;
  const db = ctx.database.db;
  const user = await db.transaction(async (tx) => {
    let organizationId = options.organizationId ?? null;
    if (organizationId === null && (options.withOrganization ?? role === 'member')) {
      const organization = await organizations.createInTx(tx, {
        name: `Org ${unique()}`,
        type: 'sme',
        size: 'size_11_49',
        country: options.country ?? 'TH',
        website: 'https://org.example',
        contactEmail: `contact-${unique()}@example.org`,
        contactPhone: '+66 2 000 0000',
      });
      organizationId = organization.id;
    }
    return users.createUser(tx, {
      email,
      name: options.name ?? `${role} user`,
      password: PASSWORD,
      role,
      organizationId,
      verified: options.verified ?? true,
    });
  });
  return login(ctx, email, user.id, user.organizationId);
}

export async function login(ctx: TestContext, email: string, id?: string, organizationId?: string | null): Promise<TestUser> {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  const body = response.json();
  return {
    id: id ?? body.user.id,
    email,
    token: body.accessToken,
    refreshToken: body.refreshToken,
    organizationId: organizationId ?? body.user.organizationId,
    auth: { authorization: `Bearer ${body.accessToken}` },
  };
}

export function offerBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'offer',
    title: 'Solar-powered cold room for smallholder farmers',
    summary: 'A 5-tonne cold room running on solar PV with ice thermal storage, keeping produce at 4 °C without grid power.',
    description:
      'The cold room combines 6 kWp of photovoltaic panels with an ice bank that stores cold for the night. It cuts post-harvest losses of vegetables and fruit at village collection centres.',
    advantages: 'No diesel and no grid connection; 40% cheaper to run than diesel-powered cold stores.',
    sectors: ['agriculture_food', 'renewable_energy'],
    keywords: ['cold storage', 'solar', 'post-harvest'],
    stage: 'on_the_market',
    trl: 9,
    iprStatus: 'ipr_granted',
    iprNotes: 'TH patent 12345',
    partnershipTypes: ['licence', 'commercial_agreement_with_technical_assistance'],
    targetCountries: ['VN', 'KH'],
    sdgs: [2, 7],
    anonymous: false,
    ...overrides,
  };
}

export function requestBody(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'request',
    title: 'Low-cost fish drying without diesel',
    summary: 'A fishing cooperative needs a way to dry 2 tonnes of fish a day without diesel dryers.',
    description: 'Our cooperative on the coast dries fish in the open sun; rain spoils a third of the catch. We seek a dryer that runs without diesel.',
    specificationSought: 'Capacity 2 t/day wet fish, moisture below 15%, running cost under USD 20/day.',
    sectors: ['ocean_economy', 'agriculture_food'],
    keywords: ['fish drying', 'solar dryer'],
    stage: 'concept',
    trl: 2,
    iprStatus: 'none',
    partnershipTypes: ['technical_cooperation'],
    targetCountries: ['LK'],
    sdgs: [14],
    anonymous: false,
    ...overrides,
  };
}

/** Creates, submits and publishes a listing through the API; returns its published view. */
export async function publishListing(ctx: TestContext, owner: TestUser, editor: TestUser, body: Record<string, unknown> = offerBody()) {
  const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: body });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const id = created.json().id as string;
  const submitted = await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${id}/submit`, headers: owner.auth, payload: {} });
  if (submitted.statusCode !== 200) throw new Error(`submit failed: ${submitted.body}`);
  const published = await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${id}/publish`, headers: editor.auth, payload: {} });
  if (published.statusCode !== 200) throw new Error(`publish failed: ${published.body}`);
  return published.json();
}
