import type { FastifySchema } from 'fastify';

// What the OpenAPI document says about each operation beyond its zod schemas, derived here so that
// every route, including routes added later, gets it without declaring it: an operationId, who
// may call it, and the media type of each answer. Client generators (openapi-typescript,
// openapi-fetch, …) name their functions after the operationIds and parse each answer by its
// declared media type.

/** Routes that declare no security are open to anyone; a token, when sent, is checked and used. */
export const ANONYMOUS_OR_BEARER: { [scheme: string]: string[] }[] = [{}, { bearerAuth: [] }];

const METHOD_VERBS: Record<string, string> = { GET: 'get', POST: 'post', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const camelCase = (kebab: string) => kebab.replace(/[-_]+([a-z0-9])/gi, (_, letter: string) => letter.toUpperCase());

function isPlural(word: string) {
  return /s$/.test(word) && !/(ss|us|is)$/.test(word);
}

function singular(word: string) {
  if (!isPlural(word)) return word;
  if (/ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ches|shes|sses|xes)$/.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/**
 * A camelCase operationId from the method and the path, unique as long as the routes are:
 * `GET /listings` listListings, `POST /listings` createListing, `GET /listings/{id}` getListing,
 * `PATCH /listings/{id}` updateListing, `POST /listings/{id}/publish` publishListing,
 * `GET /techmonitor/issues/{id}.md` getTechmonitorIssueMd. A collection named before an id is
 * named in the singular; a POST to a path ending in a word that is no collection is that action.
 */
export function operationIdOf(method: string, url: string): string {
  let format = '';
  const segments = url
    .replace(/^\/api\/v\d+(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      const [name, extension] = segment.split('.');
      if (extension) format = capitalize(extension.toLowerCase());
      return { param: /^[:{]/.test(name!), word: camelCase(name!) };
    });
  const nouns = segments.flatMap((segment, i) => (segment.param ? [] : [segments[i + 1]?.param ? singular(segment.word) : segment.word]));
  const last = segments.at(-1);
  const verb = METHOD_VERBS[method] ?? method.toLowerCase();
  let name: string[];
  if (!last || last.param) name = [verb, ...nouns];
  else if (method === 'GET') name = [isPlural(last.word) ? 'list' : 'get', ...nouns];
  else if (method === 'POST' && isPlural(last.word)) name = ['create', ...nouns.slice(0, -1), singular(last.word)];
  else if (method === 'POST') name = [last.word, ...nouns.slice(0, -1)];
  else name = [verb, ...nouns];
  const [first, ...rest] = name;
  return [first!, ...rest.map(capitalize), format].join('');
}

type JsonSchema = Record<string, unknown>;

const DEFAULT_MEDIA_TYPE = 'application/json';
const MEDIA_TYPE_KEY = 'x-media-type';

/**
 * The answer's schema per media type: a text answer names its own in `x-media-type` (textBody in
 * src/lib/http-schemas.ts; JSON Schema's contentMediaType does not exist in OpenAPI 3.0).
 */
function byMediaType(schema: JsonSchema): Map<string, JsonSchema> {
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  const parts = alternatives?.some((part) => typeof part[MEDIA_TYPE_KEY] === 'string') ? alternatives : [schema];
  const media = new Map<string, JsonSchema[]>();
  for (const part of parts) {
    const { [MEDIA_TYPE_KEY]: declared, ...rest } = part;
    const type = typeof declared === 'string' ? declared : DEFAULT_MEDIA_TYPE;
    media.set(type, [...(media.get(type) ?? []), rest]);
  }
  return new Map([...media].map(([type, schemas]) => [type, schemas.length === 1 ? schemas[0]! : { anyOf: schemas }]));
}

/**
 * Answers whose schemas name a media type other than JSON, written as OpenAPI `content`; a 204
 * with no content at all.
 */
function withMediaTypes(response: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(response).map(([status, schema]) => {
      if (status === '204') return [status, { type: 'null', description: 'No Content' }];
      const media = byMediaType(schema);
      if (media.size === 1 && media.has(DEFAULT_MEDIA_TYPE)) return [status, schema];
      const { description } = schema;
      return [
        status,
        {
          description: typeof description === 'string' ? description : 'Default Response',
          content: Object.fromEntries([...media].map(([type, part]) => [type, { schema: part }])),
        },
      ];
    }),
  );
}

/** The route's schema (as JSON Schema) with each answer under its media type; hidden routes are left as they are. */
export function withAnswerMediaTypes(schema: FastifySchema): FastifySchema {
  if (schema.hide || !schema.response) return schema;
  return { ...schema, response: withMediaTypes(schema.response as Record<string, JsonSchema>) };
}

type Paths = Record<string, Record<string, { operationId?: string; security?: unknown } | undefined>>;
const OPERATION_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Gives every operation of the document (hidden routes are not in it) an operationId and its
 * security, unless its route declared them. Each operation gets an object of its own: a route
 * with several methods shares one between them.
 */
export function completeOperations(paths: Paths): void {
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!OPERATION_METHODS.has(method) || !operation) continue;
      operations[method] = {
        ...operation,
        operationId: operation.operationId ?? operationIdOf(method.toUpperCase(), path),
        security: operation.security ?? ANONYMOUS_OR_BEARER,
      };
    }
  }
}

/**
 * OpenAPI 3.0 reads `nullable: true` as adding null to the types but not to an `enum`, which must
 * list null itself for a null value to be valid (OpenAPI 3.0.3, "nullable"). zod writes nullable
 * enums without it, and nullable unions without the `type` that `nullable` must stand beside.
 */
export function addNullToNullableEnums(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addNullToNullableEnums(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  // `nullable` needs a `type` beside it; a nullable union says it on each of its members instead.
  const members = schema.anyOf ?? schema.oneOf;
  if (schema.nullable === true && schema.type === undefined && Array.isArray(members)) {
    delete schema.nullable;
    for (const member of members) if (member && typeof member === 'object') (member as JsonSchema).nullable = true;
  }
  for (const value of Object.values(schema)) addNullToNullableEnums(value);
}

/** Throws naming the operations that share an operationId (give one of them its own in its schema). */
export function assertUniqueOperationIds(paths: Paths): void {
  const seen = new Map<string, string>();
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const id = operation?.operationId;
      if (!id) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const other = seen.get(id);
      if (other) throw new Error(`OpenAPI: operationId ${id} of ${where} is also that of ${other}; set schema.operationId on one of them`);
      seen.set(id, where);
    }
  }
}
