import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTS_QUEUE } from '../src/modules/alerts/new-listing-alerts.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

describe('alert jobs', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await createTestApp();
    admin = await createUser(ctx, { role: 'admin' });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('records a job whose payload names no listing as failed, with the reason, for an admin to see', async () => {
    await ctx.app.services.jobs.enqueue(ctx.database.db, ALERTS_QUEUE, { listing: 'not-a-uuid' }, { maxAttempts: 1 });
    await ctx.app.services.jobs.drain();
    const listed = async (status: string) =>
      (await ctx.app.inject({ method: 'GET', url: `/api/v1/admin/jobs?queue=${ALERTS_QUEUE}&status=${status}`, headers: admin.auth })).json();
    expect((await listed('done')).total).toBe(0);
    const failed = await listed('failed');
    expect(failed.total).toBe(1);
    expect(failed.items[0].lastError).toBe('payload is not { listingId: uuid }');
  });
});
