import { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { fail, withCliApp } from './cli-app.js';
import { runSendIssue } from './send-issue-progress.js';

// `npm run send-issue -- <issueId>`: mails a published Tech Monitor issue to every confirmed
// subscriber, running the job worker here until the send is done. Interrupt it at any time and run
// it again: it resumes, and nobody is mailed twice. With the embedded database, stop the server first
// (PGlite is one process's database); with DATABASE_URL both may run at once.
const parsed = z.uuid().safeParse(process.argv[2]);
if (!parsed.success) fail('Usage: npm run send-issue -- <issueId>');
const issueId = parsed.data;

await withCliApp(async (app) => {
  try {
    const result = await runSendIssue(app, issueId);
    process.stdout.write(
      `Issue ${issueId}: ${result.sent} sent, ${result.failed} failed, ${result.skipped} skipped (unsubscribed or bounced meanwhile), of ${result.total}.\n`,
    );
  } catch (error) {
    if (error instanceof AppError) fail(error.message);
    throw error;
  }
});
