import { z } from 'zod';

export const MAX_PAGE_SIZE = 100;

export const ZPagination = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).describe(`Page size, at most ${MAX_PAGE_SIZE}`),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type Pagination = z.infer<typeof ZPagination>;

/** The envelope of every collection: { items, total, limit, offset }. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });
}

/** Accepts `?sector=a&sector=b` and `?sector=a,b` alike. */
export function csvArray<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => {
    if (value === undefined || value === '') return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list.flatMap((entry) => (typeof entry === 'string' ? entry.split(',').map((s) => s.trim()).filter(Boolean) : [entry]));
  }, z.array(item).max(50).optional());
}
