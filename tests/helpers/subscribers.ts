import { expect } from 'vitest';
import { linkIn, type TestSmtpServer } from './smtp.js';
import type { TestContext } from './test-app.js';

/**
 * Subscribes each address to the Tech Monitor and confirms it through the link mailed to it.
 * Takes the app and its mail server together (a browser journey's Site has both).
 */
export async function subscribeConfirmed({ ctx, smtp }: { ctx: TestContext; smtp: TestSmtpServer }, emails: string[]) {
  for (const email of emails) {
    await ctx.app.inject({ method: 'POST', url: '/api/v1/techmonitor/subscribers', payload: { email } });
  }
  await ctx.app.services.jobs.drain();
  for (const email of emails) {
    const link = linkIn(smtp.to(email).at(-1)!, `${ctx.app.config.server.publicUrl}/api/v1/techmonitor/subscribers/confirm?token=`);
    expect((await ctx.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(200);
  }
}
