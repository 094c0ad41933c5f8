import type { FastifyInstance } from 'fastify';
import type { WebKit } from '../web.plugin.js';
import { myListingsRoutes } from './my-listings.routes.js';
import { myInterestsRoutes } from './my-interests.routes.js';
import { mySearchesRoutes } from './my-searches.routes.js';
import { myWebhooksRoutes } from '../webhooks/webhooks.routes.js';

/** The workspace of members and intermediaries under /my. */
export function workspaceRoutes(web: FastifyInstance, kit: WebKit) {
  myListingsRoutes(web, kit);
  myInterestsRoutes(web, kit);
  mySearchesRoutes(web, kit);
  myWebhooksRoutes(web, kit);
}
