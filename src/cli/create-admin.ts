import { parseArgs } from 'node:util';
import { z } from 'zod';
import { withCliApp, fail } from './cli-app.js';
import { ZEmail, ZPassword } from '../modules/users/users.schemas.js';

// `npm run create-admin -- --email a@b.org --name "A B" --password ...`: the first admin of a
// production install (the demo seed never runs there).
const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } } });
const parsed = z.object({ email: ZEmail, name: z.string().min(1), password: ZPassword }).safeParse(values);
if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
await withCliApp(async (app) => {
  const user = await app.database.db.transaction((tx) =>
    app.services.users.createUser(tx, { ...parsed.data, role: 'admin', organizationId: null, verified: true }),
  );
  process.stdout.write(`Admin ${user.email} created (${user.id}).\n`);
});
