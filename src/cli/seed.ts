import { isEmpty, seedDemo, DEMO_ACCOUNTS } from './demo-data/seed.js';
import { withCliApp, fail } from './cli-app.js';

// `npm run seed`: demo data on request, on either database. It refuses a database that already has
// users, so it can never mix demo accounts into a centre's real data.
await withCliApp(async (app) => {
  if (!(await isEmpty(app))) fail('The database already has users: the demo seed only runs on an empty database.');
  await seedDemo(app);
  await app.services.jobs.drain();
  process.stdout.write(`Demo data seeded. Accounts:\n${DEMO_ACCOUNTS.map((a) => `  ${a.role.padEnd(13)} ${a.email}  ${a.password}`).join('\n')}\n`);
});
