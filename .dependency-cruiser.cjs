// The layering of ARCHITECTURE.md, checked by `npm run lint` (dependency-cruiser). Type-only imports
// count: a type borrowed from a module's internals couples to them as much as a value does.
//
//   src/lib  <-  src/db, drizzle/  <-  src/modules  <-  src/web  <-  src/app.ts, services.ts, main.ts, src/cli
//
// Among the modules, from the bottom up (a module may use the ones below it, never those above):
//   foundation      vocabularies, language           (data and pure functions; use no other module)
//   infrastructure  jobs, mail, audit                (ports the domain writes through)
//   core            organizations, users, listings
//   features        search < matching < alerts, techmonitor; interests; reports
// and one module uses another only through its public files: <name>.service.ts, .schemas.ts,
// .port.ts, .types.ts, .vocabulary.ts, .events.ts, .errors.ts, .rules.ts, .filters.ts (plus the
// jobs module's job-queue.ts, its service under an older name). Foundation modules are public whole.

const PUBLIC_FILE = '^src/modules/[^/]+/[^/]+\\.(service|schemas|port|types|vocabulary|events|errors|rules|filters)\\.ts$';
const FOUNDATION = '^src/modules/(vocabularies|language)/';
const JOB_QUEUE = '^src/modules/jobs/job-queue\\.ts$';

const forbidden = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    forbidden('lib-stands-alone', 'src/lib is the bottom layer: it imports nothing else of the project.',
      { path: '^src/lib/' }, { path: '^(src/(?!lib/)|drizzle/)' }),
    forbidden('db-below-modules', 'src/db knows the tables and the connection, not the modules that use them.',
      { path: '^src/db/' }, { path: '^src/(modules|plugins|web|cli)/|^src/(app|services|main)\\.ts$' }),
    forbidden('tables-below-code', 'drizzle/ (the data model) imports no application code.',
      { path: '^drizzle/' }, { path: '^src/' }),
    forbidden('modules-not-upwards', 'Modules and plugins never import the pages, the CLI or the wiring above them.',
      { path: '^src/(modules|plugins)/' }, { path: '^src/(web|cli)/|^src/(app|services|main)\\.ts$' }),
    forbidden('web-not-upwards', 'Pages never import the CLI or the wiring above them.',
      { path: '^src/web/' }, { path: '^src/cli/|^src/(services|main)\\.ts$' }),
    forbidden('tables-only-in-repositories', 'Repositories alone touch the drizzle tables (the PostgreSQL search engine is its own repository).',
      { path: '^src/(modules|web|plugins)/', pathNot: '\\.repository\\.ts$|^src/modules/search/postgres-search\\.engine\\.ts$' },
      { path: '^drizzle/' }),
    forbidden('module-internals', 'A module uses another only through its public files (see the head of this file).',
      { path: '^src/modules/([^/]+)/' },
      { path: '^src/modules/', pathNot: ['^src/modules/$1/', FOUNDATION, PUBLIC_FILE, JOB_QUEUE] }),
    forbidden('web-through-public-files', 'Pages call services (and their schemas), never repositories or engines.',
      { path: '^src/web/' },
      { path: '^src/modules/', pathNot: [FOUNDATION, PUBLIC_FILE, JOB_QUEUE] }),
    forbidden('foundation-stands-alone', 'vocabularies and language are data and pure functions: they use no other module.',
      { path: FOUNDATION }, { path: '^src/modules/', pathNot: FOUNDATION }),
    forbidden('infrastructure-below-domain', 'jobs, mail and audit serve the domain modules and never import them.',
      { path: '^src/modules/(jobs|mail|audit)/' },
      { path: '^src/modules/', pathNot: '^src/modules/(jobs|mail|audit|vocabularies|language)/' }),
    forbidden('core-below-features', 'organizations, users and listings never import the features built on them.',
      { path: '^src/modules/(organizations|users|listings)/' },
      { path: '^src/modules/(search|matching|interests|alerts|techmonitor|reports)/' }),
    forbidden('search-below-matching', 'Search is a port the features use; it imports none of them.',
      { path: '^src/modules/search/' },
      { path: '^src/modules/(matching|interests|alerts|techmonitor|reports)/' }),
    forbidden('matching-below-alerts', 'Matching serves alerts and the Tech Monitor; it imports neither.',
      { path: '^src/modules/matching/' },
      { path: '^src/modules/(interests|alerts|techmonitor|reports)/' }),
    {
      name: 'no-circular',
      comment: 'An import cycle makes the load order matter and hides which side is the lower one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  allowedSeverity: 'error',
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|data|tests|migrations)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
