import { z } from 'zod';

export const ZErrorBody = z.object({
  statusCode: z.number().int(),
  code: z.string(),
  message: z.string(),
  requestId: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** The error answers every route may give, for its response schema. */
export const errorResponses = {
  400: ZErrorBody,
  401: ZErrorBody,
  403: ZErrorBody,
  404: ZErrorBody,
  409: ZErrorBody,
  429: ZErrorBody,
  500: ZErrorBody,
  503: ZErrorBody,
  507: ZErrorBody,
} as const;

export const ZIdParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });
export const ZOk = z.object({ ok: z.literal(true) });
export const bearer = [{ bearerAuth: [] }];

/**
 * A text answer of this media type (an HTML page, Markdown, CSV): the OpenAPI document lists it
 * under that type instead of JSON (src/plugins/openapi-operations.ts reads `x-media-type`).
 */
export const textBody = (mediaType: 'text/html' | 'text/markdown' | 'text/csv') => z.string().meta({ 'x-media-type': mediaType });
