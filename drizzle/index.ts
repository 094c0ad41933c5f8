// The data model, one file per aggregate. drizzle-kit reads this file to generate migrations/.
export * from './organizations.js';
export * from './users.js';
export * from './listings.js';
export * from './audit.js';
export * from './jobs.js';
