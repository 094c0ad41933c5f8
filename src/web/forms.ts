import { z } from 'zod';
import { AppError } from '../lib/errors.js';

// Forms post application/x-www-form-urlencoded bodies: every value is a string, a repeated field
// (checkboxes, multiple selects) an array of strings, an unchecked box absent. These helpers turn
// them into what the services' zod schemas expect, and the errors back into words beside each field.

export type FormValues = Record<string, string | string[] | undefined>;

export interface FormState {
  values: FormValues;
  /** Field name → message in words, e.g. "Title must not be empty". */
  errors: Record<string, string>;
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, errors: {} });

/** The body as posted, or an empty object (a form with no fields, a missing body). */
export function formBody(body: unknown): FormValues {
  if (!body || typeof body !== 'object') return {};
  const values: FormValues = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((entry): entry is string => typeof entry === 'string');
  }
  return values;
}

const asList = (value: unknown): string[] =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? value.filter((entry) => entry !== '') : [String(value)];

/** A field with several values (checkboxes, a multiple select), checked by an array schema. */
export const fList = <T extends z.ZodType>(list: T) => z.preprocess(asList, list);
/** Keywords typed as "a, b, c", checked by an array schema. */
export const fCommaList = <T extends z.ZodType>(list: T) =>
  z.preprocess((value) => asList(value).flatMap((entry) => entry.split(',')).map((entry) => entry.trim()).filter(Boolean), list);
/** A text field; an empty one becomes undefined so "is required" is the message. */
export const fText = <T extends z.ZodType>(inner: T) => z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), inner);
/** An optional text field whose empty value means null. */
export const fOptionalText = <T extends z.ZodType>(inner: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? null : value), inner.nullable().optional());
export const fInt = <T extends z.ZodType>(inner: T) =>
  z.preprocess((value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value === '' ? undefined : value), inner);
export const fCheckbox = () => z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean());

export type FormResult<T> = { ok: true; data: T } | { ok: false; state: FormState };

/**
 * Parses a posted form with a zod schema. On failure every field gets its first message, prefixed
 * with the field's label, and the values stay as typed.
 */
export function parseForm<S extends z.ZodType>(schema: S, values: FormValues, labels: Record<string, string>): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    // Whatever the rule, an empty field is best told as missing.
    if (!errors[field]) errors[field] = sentence(labels[field], isEmpty(values[field]) && issue.code !== 'too_small' ? 'is required' : issue.message);
  }
  // The summary lists the mistakes in the order of the form's fields.
  const order = Object.keys(labels);
  const sorted = Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(order, a) - rank(order, b)));
  return { ok: false, state: { values, errors: sorted } };
}

const rank = (order: string[], field: string) => (order.includes(field) ? order.indexOf(field) : order.length);

const isEmpty = (value: string | string[] | undefined) => value === undefined || (Array.isArray(value) ? value.length === 0 : value.trim() === '');

function sentence(fieldLabel: string | undefined, message: string) {
  const text = message === 'Invalid input' || /^Invalid option/.test(message) ? 'needs one of the choices' : message;
  return fieldLabel ? `${fieldLabel} ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A service's validation error shown on the form: issues naming a field go beside it, the rest to
 * the top of the form. Other errors are not the form's business and are thrown on.
 */
export function formStateFromError(error: unknown, values: FormValues, labels: Record<string, string>, fieldOf: (path: string) => string = lastSegment): FormState {
  if (!(error instanceof AppError) || error.statusCode >= 500 || error.statusCode === 401) throw error;
  const errors: Record<string, string> = {};
  if (error.issues?.length) {
    for (const issue of error.issues) {
      const field = fieldOf(issue.path);
      if (!errors[field]) errors[field] = sentence(labels[field], issue.message);
    }
  } else {
    errors._form = error.message;
  }
  return { values, errors };
}

const lastSegment = (path: string) => path.split('.').filter((segment) => !['body', 'querystring'].includes(segment))[0] ?? '_form';
