import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The admins' organisation pages: find, edit, and link intermediaries to the client organisations
// they act for (from the client's page and from the intermediary's organisation's page).

let ctx: TestContext;
let admin: TestUser;
let adminWeb: WebClient;

async function createOrganisation(name: string, country = 'TH', type = 'sme') {
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/organizations', headers: admin.auth, payload: { name, country, type } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; name: string };
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await createUser(ctx, { role: 'admin' });
  adminWeb = await WebClient.signedIn(ctx, admin);
});

afterAll(async () => {
  await ctx?.close();
});

describe('/admin/organisations', () => {
  it('lists organisations by part of the name, country and type, with pages', async () => {
    await createOrganisation('Mekong Rice Mills', 'VN', 'large_company');
    await createOrganisation('Mekong Delta University', 'VN', 'university');
    await createOrganisation('Colombo Coir Works', 'LK');
    const byName = await adminWeb.get('/admin/organisations?q=mekong');
    expect(byName.statusCode).toBe(200);
    expect(byName.body).toContain('Mekong Rice Mills');
    expect(byName.body).toContain('Mekong Delta University');
    expect(byName.body).not.toContain('Colombo Coir Works');
    expect(byName.body).toContain('2 organisations');
    const byType = await adminWeb.get('/admin/organisations?q=mekong&country=VN&type=university');
    expect(byType.body).toContain('Mekong Delta University');
    expect(byType.body).not.toContain('Mekong Rice Mills');
    expect(byType.body).toMatch(/<option value="university" selected/);
    // A value the form never offers is dropped rather than refused.
    const odd = await adminWeb.get('/admin/organisations?country=XX&type=castle');
    expect(odd.statusCode).toBe(200);
    expect(odd.body).toContain('Colombo Coir Works');
    const halfOdd = await adminWeb.get('/admin/organisations?country=LK&type=castle');
    expect(halfOdd.body).toContain('Colombo Coir Works');
    expect(halfOdd.body).not.toContain('Mekong Rice Mills');
  });

  it('pages through many organisations', async () => {
    for (let i = 0; i < 52; i++) await createOrganisation(`Paged Producer ${String(i).padStart(2, '0')}`);
    const first = await adminWeb.get('/admin/organisations?q=paged%20producer');
    expect(first.body).toContain('52 organisations');
    expect(first.body).toContain('Paged Producer 00');
    expect(first.body).not.toContain('Paged Producer 51');
    expect(first.body).toContain('href="/admin/organisations?q=paged+producer&amp;offset=50"');
    const second = await adminWeb.get('/admin/organisations?q=paged+producer&offset=50');
    expect(second.body).toContain('Paged Producer 51');
    expect(second.body).toContain('Page 2 of 2');
  });

  it('edits an organisation; mistakes are shown beside their fields and nothing is saved', async () => {
    const organisation = await createOrganisation('Kathmandu Solar Cooperative', 'NP');
    const page = await adminWeb.get(`/admin/organisations/${organisation.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Kathmandu Solar Cooperative"');
    expect(page.body).toMatch(/<option value="NP" selected/);

    const wrong = await adminWeb.post(`/admin/organisations/${organisation.id}`, {
      name: 'K',
      type: 'sme',
      size: '',
      country: 'NP',
      website: 'ftp://nope',
      contactEmail: '',
      contactPhone: '',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('class="error-summary"');
    expect(wrong.body).toContain('href="#name"');
    expect(wrong.body).toContain('Website must be an http(s) URL');
    expect(wrong.body).toContain('value="ftp://nope"');
    expect((await ctx.app.services.organizations.get(organisation.id)).name).toBe('Kathmandu Solar Cooperative');

    const saved = await adminWeb.post(`/admin/organisations/${organisation.id}`, {
      name: 'Kathmandu Solar Cooperative Ltd',
      type: 'other',
      size: 'size_11_49',
      country: 'np',
      website: 'https://ksc.example.np',
      contactEmail: 'office@ksc.example.np',
      contactPhone: '+977 1 555 0101',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/admin/organisations/${organisation.id}`);
    const after = await adminWeb.get(saved.headers.location as string);
    expect(after.body).toContain('The organisation is saved.');
    expect(after.body).toContain('value="Kathmandu Solar Cooperative Ltd"');
    const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/organizations/${organisation.id}`, headers: admin.auth });
    expect(api.json()).toMatchObject({
      name: 'Kathmandu Solar Cooperative Ltd',
      type: 'other',
      size: 'size_11_49',
      country: 'NP',
      website: 'https://ksc.example.np',
      contactEmail: 'office@ksc.example.np',
      contactPhone: '+977 1 555 0101',
    });
    // Emptying an optional field clears it.
    await adminWeb.post(`/admin/organisations/${organisation.id}`, { name: 'Kathmandu Solar Cooperative Ltd', type: 'other', size: '', country: 'NP', website: '', contactEmail: '', contactPhone: '' });
    expect((await ctx.app.services.organizations.get(organisation.id)).website).toBeNull();
  });

  it('answers 404 for an organisation that does not exist or an id that is not one', async () => {
    expect((await adminWeb.get('/admin/organisations/7d1c7a43-2f1e-4b53-9a57-0d8cf1e2a111')).statusCode).toBe(404);
    expect((await adminWeb.get('/admin/organisations/not-an-id')).statusCode).toBe(404);
  });
});

describe('linking intermediaries and their clients', () => {
  it('lets an intermediary act for a client from the client’s page, and stops it again', async () => {
    const agency = await createOrganisation('Lanka Technology Promotion Agency', 'LK', 'other');
    const broker = await createUser(ctx, { role: 'intermediary', organizationId: agency.id, name: 'Brinda Broker' });
    const client = await createOrganisation('Galle Fish Driers', 'LK');
    const brokerWeb = await WebClient.signedIn(ctx, broker);
    expect((await brokerWeb.get('/my/clients')).body).not.toContain('Galle Fish Driers');

    const page = await adminWeb.get(`/admin/organisations/${client.id}`);
    expect(page.body).toContain('No intermediary acts for this organisation.');
    expect(page.body).toMatch(new RegExp(`<option value="${broker.id}">Brinda Broker`));
    const linked = await adminWeb.post(`/admin/organisations/${client.id}/links/add`, { intermediaryId: broker.id, organizationId: client.id });
    expect(linked.statusCode).toBe(303);
    const after = await adminWeb.get(linked.headers.location as string);
    expect(after.body).toContain('The intermediary now acts for the client organisation.');
    expect(after.body).toContain('Stop Brinda Broker acting for Galle Fish Driers');
    // Already linked: not offered again.
    expect(after.body).not.toMatch(new RegExp(`<option value="${broker.id}"`));
    expect((await brokerWeb.get('/my/clients')).body).toContain('Galle Fish Driers');
    const viaApi = await ctx.app.inject({ method: 'GET', url: `/api/v1/admin/users?clientOf=${client.id}`, headers: admin.auth });
    expect(viaApi.json().items.map((user: { id: string }) => user.id)).toEqual([broker.id]);

    const unlinked = await adminWeb.post(`/admin/organisations/${client.id}/links/remove`, { intermediaryId: broker.id, organizationId: client.id });
    expect(unlinked.statusCode).toBe(303);
    expect((await adminWeb.get(unlinked.headers.location as string)).body).toContain('No intermediary acts for this organisation.');
    expect((await brokerWeb.get('/my/clients')).body).not.toContain('Galle Fish Driers');
  });

  it('adds clients from the intermediary’s organisation page through a search, and removes them there', async () => {
    const agency = await createOrganisation('Bhutan Innovation Office', 'BT', 'other');
    const broker = await createUser(ctx, { role: 'intermediary', organizationId: agency.id, name: 'Karma Broker' });
    const client = await createOrganisation('Paro Paper Makers', 'BT');
    await createOrganisation('Paro Valley Farms', 'BT');
    const page = await adminWeb.get(`/admin/organisations/${agency.id}`);
    expect(page.body).toContain('Clients of Karma Broker');
    expect(page.body).toContain('No client yet.');

    const found = await adminWeb.get(`/admin/organisations/${agency.id}?clientq=paro`);
    expect(found.body).toContain('Paro Paper Makers');
    expect(found.body).toContain('Paro Valley Farms');
    expect(found.body).toContain('Add Paro Paper Makers as a client of Karma Broker');
    const added = await adminWeb.post(`/admin/organisations/${agency.id}/links/add`, { intermediaryId: broker.id, organizationId: client.id });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`/admin/organisations/${agency.id}`);
    const after = await adminWeb.get(`/admin/organisations/${agency.id}?clientq=paro`);
    expect(after.body).toContain(`href="/admin/organisations/${client.id}"`);
    expect(after.body).not.toContain('Add Paro Paper Makers as a client of Karma Broker');
    expect(after.body).toContain('Add Paro Valley Farms as a client of Karma Broker');
    // The client's own page names the intermediary.
    expect((await adminWeb.get(`/admin/organisations/${client.id}`)).body).toContain('Stop Karma Broker acting for Paro Paper Makers');

    const removed = await adminWeb.post(`/admin/organisations/${agency.id}/links/remove`, { intermediaryId: broker.id, organizationId: client.id });
    expect(removed.statusCode).toBe(303);
    expect((await adminWeb.get(`/admin/organisations/${agency.id}`)).body).toContain('No client yet.');
  });

  it('refuses a link to someone who is not an intermediary, and a link that does not exist', async () => {
    const member = await createUser(ctx, { name: 'Plain Member' });
    const client = await createOrganisation('Dhaka Jute Spinners', 'BD');
    await adminWeb.get(`/admin/organisations/${client.id}`);
    const notBroker = await adminWeb.post(`/admin/organisations/${client.id}/links/add`, { intermediaryId: member.id, organizationId: client.id }, { csrf: adminWeb.csrf() });
    expect(notBroker.statusCode).toBe(409);
    expect(notBroker.body).toContain('Only intermediaries represent client organisations');
    await adminWeb.get(`/admin/organisations/${client.id}`);
    const missing = await adminWeb.post(`/admin/organisations/${client.id}/links/remove`, { intermediaryId: member.id, organizationId: client.id }, { csrf: adminWeb.csrf() });
    expect(missing.statusCode).toBe(404);
    await adminWeb.get(`/admin/organisations/${client.id}`);
    expect((await adminWeb.post(`/admin/organisations/${client.id}/links/add`, { intermediaryId: 'x', organizationId: client.id }, { csrf: adminWeb.csrf() })).statusCode).toBe(400);
  });
});
