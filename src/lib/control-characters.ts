import { z } from 'zod';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';

// Control characters are refused at the edge, for every string the API accepts: in the body, the
// query string and the path, whether or not its schema thought of it. NUL breaks PostgreSQL text,
// and the rest (escape sequences, backspaces, DEL) have no business in a title or a name, where
// they only serve to disguise text in a terminal, a log or a mail. Tab, line feed and carriage
// return are allowed in long text (descriptions, notes, messages), declared with `multiline()`.

const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const SINGLE_LINE_MESSAGE = 'must not contain control characters (such as NUL, tab or line breaks)';
const MULTILINE_MESSAGE = 'must not contain control characters other than tab and line breaks';

const allowsLineBreaks = z.refine((value: unknown) => typeof value !== 'string' || !CONTROL_EXCEPT_LINE_BREAKS.test(value), {
  message: MULTILINE_MESSAGE,
});

/** Long text, in which tab and line breaks are welcome (every other control character is still refused). */
export function multiline<T extends z.ZodString>(schema: T): T {
  return schema.check(allowsLineBreaks) as T;
}

type Segment = string | number;
type AnySchema = z.core.$ZodType;

/** The string schemas the value at `path` may be checked by (more than one under a union). */
function schemasAt(schema: AnySchema, path: readonly Segment[]): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  const [head, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return schemasAt(def.innerType as AnySchema, path);
    case 'pipe':
      return schemasAt(def.in as AnySchema, path);
    case 'lazy':
      return schemasAt((def.getter as () => AnySchema)(), path);
    case 'union':
      return (def.options as AnySchema[]).flatMap((option) => schemasAt(option, path));
    case 'intersection':
      return [...schemasAt(def.left as AnySchema, path), ...schemasAt(def.right as AnySchema, path)];
    case 'object': {
      if (head === undefined) return [schema];
      const child = (def.shape as Record<string, AnySchema>)[String(head)] ?? (def.catchall as AnySchema | undefined);
      return child ? schemasAt(child, rest) : [];
    }
    case 'array':
      return head === undefined ? [schema] : schemasAt(def.element as AnySchema, rest);
    case 'tuple': {
      if (head === undefined) return [schema];
      const item = (def.items as AnySchema[])[Number(head)] ?? (def.rest as AnySchema | undefined);
      return item ? schemasAt(item, rest) : [];
    }
    case 'record':
      return head === undefined ? [schema] : schemasAt(def.valueType as AnySchema, rest);
    default:
      return head === undefined ? [schema] : [];
  }
}

function isMultiline(schema: AnySchema | undefined, path: readonly Segment[]): boolean {
  if (!schema) return false;
  return schemasAt(schema, path).some((candidate) => {
    const checks = (candidate._zod.def as { checks?: unknown[] }).checks ?? [];
    return checks.includes(allowsLineBreaks);
  });
}

/** Every string in a request part that carries a control character it may not, with its path. */
export function controlCharacterIssues(value: unknown, schema?: AnySchema): { path: Segment[]; message: string }[] {
  const issues: { path: Segment[]; message: string }[] = [];
  const visit = (node: unknown, path: Segment[]) => {
    if (typeof node === 'string') {
      if (!ANY_CONTROL.test(node)) return;
      const multi = isMultiline(schema, path);
      if (!multi) issues.push({ path, message: SINGLE_LINE_MESSAGE });
      else if (CONTROL_EXCEPT_LINE_BREAKS.test(node)) issues.push({ path, message: MULTILINE_MESSAGE });
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if (ANY_CONTROL.test(key)) issues.push({ path: [...path, key], message: 'names a field with control characters' });
        visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return issues;
}

/**
 * The zod validator compiler, preceded by the control-character rule on the body, the query
 * string and the path parameters. Its issues take the shape of zod's, so the error handler names
 * the field as for any other validation failure (`body.title`, `query.q`).
 */
export const guardedValidatorCompiler: FastifySchemaCompiler<AnySchema> = (route) => {
  if (route.httpPart === 'headers') return validatorCompiler(route);
  const schema = route.schema;
  const guarded = z
    .unknown()
    .superRefine((value, ctx) => {
      for (const issue of controlCharacterIssues(value, schema)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    })
    .pipe(schema as z.ZodType);
  return validatorCompiler({ ...route, schema: guarded });
};
