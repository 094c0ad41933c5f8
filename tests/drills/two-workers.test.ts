import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { openTestDatabase } from '../helpers/test-app.js';
import { http, killAll, loginAs, runProgram, startService, waitFor } from './processes.js';

// Drill: an API process and two worker processes share one PostgreSQL database while the SMTP
// server takes longer over each message than the job lock timeout. A job belongs to the worker
// that claimed it (the heartbeat keeps it), so no job is taken over and every mail goes out once.
// PGlite cannot be shared between processes, so this runs in the PostgreSQL run only.
const onServer = Boolean(process.env.DATABASE_URL);
let smtp: TestSmtpServer | null = null;
let database: Awaited<ReturnType<typeof openTestDatabase>> | null = null;

afterAll(async () => {
  await killAll();
  await smtp?.stop();
  await database?.close();
});

describe.skipIf(!onServer)('a job belongs to the worker that claimed it (drill; needs DATABASE_URL: two processes cannot share PGlite)', () => {
  it('sends every mail exactly once with two workers and an SMTP server slower than the lock timeout', { timeout: 360_000 }, async () => {
    smtp = await startSmtpServer();
    database = await openTestDatabase();
    const env = {
      DATABASE_URL: database.url!,
      SMTP_URL: smtp.url,
      WORKER_POLL_MS: '100',
      // Each message takes 8 s at the SMTP server; a lock not kept alive would go stale after 3 s.
      // (The margins leave room for a loaded CI machine: the heartbeat runs every 0.75 s.)
      JOB_LOCK_TIMEOUT_SECONDS: '3',
    };
    const admin = { email: 'admin@drill.test', password: 'drill-admin-password-2026' };
    const createAdmin = runProgram('src/cli/create-admin.ts', env, ['--email', admin.email, '--name', 'Drill Admin', '--password', admin.password]);
    const api = await startService({ ...env, WORKER_ENABLED: 'false' });
    expect(await createAdmin.exited, createAdmin.output()).toBe(0);
    const token = await loginAs(api.url, admin.email, admin.password);

    smtp.hold(8_000);
    const workers = [runProgram('src/cli/worker.ts', env), runProgram('src/cli/worker.ts', env)];
    const recipients: string[] = [];
    for (let i = 0; i < 6; i++) {
      const email = `worker-drill-${i}@drill.test`;
      recipients.push(email);
      const response = await http(api.url, '/api/v1/auth/register', {
        method: 'POST',
        body: { email, password: 'drill-member-password-2026', name: `Worker drill ${i}`, organization: { name: `Worker drill org ${i}`, type: 'sme', country: 'TH' } },
      });
      expect(response.status, response.text).toBe(202);
    }

    await waitFor(
      async () => {
        const sent = await http(api.url, '/api/v1/admin/mail?status=sent&limit=100', { token });
        return sent.json.total === recipients.length;
      },
      { what: 'every mail to be sent', deadlineMs: 180_000 },
    );
    for (const worker of workers) expect(worker.child.exitCode, worker.output()).toBeNull();
    const done = await http(api.url, '/api/v1/admin/jobs?queue=mail&status=done&limit=100', { token });
    expect(done.json.total).toBe(recipients.length);
    for (const job of done.json.items as { attempts: number; lastError: string | null }[]) {
      // One run per job: never taken over, never run again.
      expect(job).toMatchObject({ attempts: 1, lastError: null });
    }
    for (const status of ['pending', 'running', 'failed']) {
      expect((await http(api.url, `/api/v1/admin/jobs?queue=mail&status=${status}`, { token })).json.total).toBe(0);
    }
    for (const email of recipients) expect(smtp.to(email)).toHaveLength(1);
    const mails = await http(api.url, '/api/v1/admin/mail?limit=100', { token });
    for (const mail of mails.json.items as { attempts: number; status: string }[]) expect(mail).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
