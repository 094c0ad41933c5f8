import type { z } from 'zod';
import { BadRequest } from '../lib/errors.js';
import { m } from './messages.js';

// Parameters of page addresses.

/** Ids in page addresses are UUIDs (listing references are not ids). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Workspace lists show this many items, then "show more" (the Pager component). */
export const WORKSPACE_PAGE_SIZE = 20;

/** A list's query from the address, parsed by the service's schema: a bad parameter answers the 400 page. */
export function listQuery<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new BadRequest(m.errors.badAddress);
  return parsed.data;
}
