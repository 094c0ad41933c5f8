// The data model, one file per aggregate. drizzle-kit reads this file to generate migrations/.
export * from './organizations.js';
export * from './users.js';
export * from './listings.js';
export * from './audit.js';
export * from './jobs.js';
export * from './alerts.js';
export * from './mail.js';
export * from './interests.js';
export * from './techmonitor.js';
export * from './search.js';
export * from './matching.js';
export * from './partners.js';
export * from './web.js';
export * from './webhooks.js';
