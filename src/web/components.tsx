import type { ComponentChildren } from 'preact';
import type { PageContext } from './context.js';
import type { FormState } from './forms.js';
import { m } from './messages.js';

// GOV.UK Frontend's form pattern: a label, a hint, the error message above the field, and an error
// summary at the top of the form whose links move the focus to each field.

type Option = { value: string; label: string };

const errorId = (name: string) => `${name}-error`;
const hintId = (name: string) => `${name}-hint`;

function describedBy(name: string, hint: unknown, error: unknown) {
  const ids = [hint ? hintId(name) : null, error ? errorId(name) : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

const valueOf = (state: FormState, name: string) => {
  const value = state.values[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};
const valuesOf = (state: FormState, name: string) => {
  const value = state.values[name];
  return Array.isArray(value) ? value : value ? [value] : [];
};

export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken()} />;
}

/** A form that changes something: always POST, always with the CSRF token. */
export function PostForm(props: {
  ctx: PageContext;
  action: string;
  children: ComponentChildren;
  class?: string;
  novalidate?: boolean;
  /** File uploads; the CSRF field comes first, before the file, in the posted parts. */
  enctype?: 'multipart/form-data';
  'hx-post'?: string;
  'hx-target'?: string;
  'hx-swap'?: string;
  'hx-select'?: string;
}) {
  const { ctx, action, children, novalidate, ...rest } = props;
  return (
    <form method="post" action={action} noValidate={novalidate} {...rest}>
      <CsrfField ctx={ctx} />
      {children}
    </form>
  );
}

/**
 * The hx-* attributes of a part of a page that follows background work (an import, a send, a
 * reindex): htmx fetches `url` every `seconds` and swaps the answer in, the element whole by default
 * (`innerHTML` keeps the element, so a live region on it stays and is read). `select` picks the
 * part out of a whole page. Given null (the work is not running) it adds nothing, so the polling
 * stops with the first answer that says the work is done.
 */
export function following(poll: { url: string; seconds: number; swap?: 'outerHTML' | 'innerHTML'; select?: string } | null): Record<string, string> {
  if (!poll) return {};
  const { url, seconds, swap = 'outerHTML', select } = poll;
  return { 'hx-get': url, ...(select ? { 'hx-select': select, 'hx-target': 'this' } : {}), 'hx-swap': swap, 'hx-trigger': `every ${seconds}s` };
}

export function ErrorSummary({ state }: { state: FormState }) {
  const entries = Object.entries(state.errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} aria-labelledby="error-summary-title" data-autofocus>
      <h2 id="error-summary-title">{m.errors.summaryTitle}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>{field === '_form' ? message : <a href={`#${field}`}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

function FieldError({ name, state, id = name }: { name: string; state: FormState; id?: string }) {
  const error = state.errors[name];
  return error ? (
    <p class="field-error" id={errorId(id)}>
      {error}
    </p>
  ) : null;
}

function Hint({ name, hint }: { name: string; hint?: ComponentChildren }) {
  return hint ? (
    <p class="hint" id={hintId(name)}>
      {hint}
    </p>
  ) : null;
}

export function TextField(props: {
  name: string;
  label: string;
  state: FormState;
  hint?: ComponentChildren;
  type?: 'text' | 'email' | 'password' | 'url' | 'date' | 'search';
  autocomplete?: string;
  maxLength?: number;
  required?: boolean;
  /** Passwords are never written back into the page. */
  keepValue?: boolean;
}) {
  const { name, label, state, hint, type = 'text', autocomplete, maxLength, required } = props;
  const error = state.errors[name];
  const keep = props.keepValue ?? type !== 'password';
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={name}>{label}</label>
      <Hint name={name} hint={hint} />
      <FieldError name={name} state={state} />
      <input
        id={name}
        name={name}
        type={type}
        value={keep ? valueOf(state, name) : ''}
        autocomplete={autocomplete}
        maxLength={maxLength}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
    </div>
  );
}

/**
 * A text area with a live character counter (app.js) when it has a maximum length. `id` defaults to
 * the name; a list with one form per row (inline decline) gives each field its own.
 */
export function TextArea(props: { name: string; id?: string; label: string; state: FormState; hint?: ComponentChildren; maxLength?: number; rows?: number; required?: boolean }) {
  const { name, id = name, label, state, hint, maxLength, rows = 5, required } = props;
  const error = state.errors[name];
  const value = valueOf(state, name);
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Hint name={id} hint={hint} />
      <FieldError name={name} id={id} state={state} />
      <textarea
        id={id}
        name={name}
        rows={rows}
        required={required}
        data-maxlength={maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {value}
      </textarea>
      {maxLength ? (
        <p class="counter" data-counter-for={id} aria-live="polite">
          {m.listingForm.characters(maxLength)}
        </p>
      ) : null}
    </div>
  );
}

export function Select(props: { name: string; id?: string; label: string; state: FormState; options: Option[]; hint?: ComponentChildren; placeholder?: string; multiple?: boolean; size?: number }) {
  const { name, id = name, label, state, options, hint, placeholder, multiple, size } = props;
  const error = state.errors[name];
  const selected = new Set(valuesOf(state, name));
  return (
    <div class={`field${error ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <Hint name={id} hint={hint} />
      <FieldError name={name} id={id} state={state} />
      <select
        id={id}
        name={name}
        multiple={multiple}
        size={size}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {placeholder !== undefined && !multiple ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} selected={selected.has(option.value)}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Checkboxes (several answers) or radios (one answer) in a fieldset whose legend is the question. */
export function Choices(props: { name: string; legend: string; state: FormState; options: (Option & { hint?: string })[]; hint?: ComponentChildren; type?: 'checkbox' | 'radio'; inline?: boolean }) {
  const { name, legend, state, options, hint, type = 'checkbox', inline } = props;
  const error = state.errors[name];
  const checked = new Set(valuesOf(state, name));
  return (
    <div class={`field${error ? ' field--error' : ''}`} id={name} tabIndex={-1}>
      <fieldset aria-describedby={describedBy(name, hint, error)}>
        <legend>{legend}</legend>
        <Hint name={name} hint={hint} />
        <FieldError name={name} state={state} />
        <div class={`choices${inline ? ' choices--inline' : ''}`}>
          {options.map((option, index) => {
            const id = `${name}-${index}`;
            return (
              <div class="choice" key={option.value}>
                <input type={type} id={id} name={name} value={option.value} checked={checked.has(option.value)} aria-describedby={option.hint ? `${id}-hint` : undefined} />
                <label for={id}>{option.label}</label>
                {option.hint ? (
                  <span class="hint" id={`${id}-hint`}>
                    {option.hint}
                  </span>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkbox({ name, label, state, hint }: { name: string; label: string; state: FormState; hint?: string }) {
  const checked = ['on', 'true', '1'].includes(valueOf(state, name));
  return (
    <div class="field choice">
      <input type="checkbox" id={name} name={name} checked={checked} aria-describedby={hint ? hintId(name) : undefined} />
      <label for={name}>{label}</label>
      {hint ? (
        <span class="hint" id={hintId(name)}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}

export function Time({ ctx, value, withTime }: { ctx: PageContext; value: Date | string | null | undefined; withTime?: boolean }) {
  if (!value) return <>–</>;
  const date = typeof value === 'string' ? new Date(value) : value;
  return <time dateTime={date.toISOString()}>{withTime ? ctx.fmt.dateTime(date) : ctx.fmt.date(date)}</time>;
}

export interface SubNavItem {
  href: string;
  label: string;
  /** Whether the page at `path` (without its query) belongs to this item; by default the item's path and the paths below it. */
  current?: (path: string) => boolean;
}

/** The path itself and every path below it. */
export const pathAndBelow = (href: string) => (path: string) => path === href || path.startsWith(`${href}/`);

/** A workspace's sub-navigation (/my, /editor, /admin): one list of links, the current page's marked with aria-current. */
export function SubNav({ ctx, label, items }: { ctx: PageContext; label: string; items: SubNavItem[] }) {
  const path = ctx.path.split('?')[0]!;
  return (
    <nav class="subnav" aria-label={label}>
      <ul>
        {items.map((item) => (
          <li key={item.href}>
            <a href={item.href} aria-current={(item.current ?? pathAndBelow(item.href))(path) ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A table column's heading; `num` right-aligns a column of numbers. Null leaves the column out. */
export type Column = string | { label: string; num?: boolean } | null | false;

/**
 * A table of rows: the scrolling wrapper, the column headings and the body, whose rows the caller
 * writes. `caption` names the table for screen readers; `bodyId` lets "show more" append rows;
 * `headless` answers rows alone (the rows a "show more" appends); `id` names the table itself.
 */
export function DataTable(props: { columns: Column[]; children: ComponentChildren; caption?: string; class?: string; id?: string; bodyId?: string; headless?: boolean }) {
  const { columns, children, caption, id, bodyId, headless } = props;
  const shown = columns.filter((column): column is Exclude<Column, null | false> => Boolean(column)).map((column) => (typeof column === 'string' ? { label: column } : column));
  return (
    <div class="table-wrap">
      <table class={props.class ? `table ${props.class}` : 'table'} id={id}>
        {caption ? <caption class="visually-hidden">{caption}</caption> : null}
        {headless ? null : (
          <thead>
            <tr>
              {shown.map((column) => (
                <th scope="col" class={column.num ? 'num' : undefined} key={column.label}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody id={bodyId}>{children}</tbody>
      </table>
    </div>
  );
}

/** Key figures: each name above its value, in a grid (the counts heading a page or a panel). */
export function StatsGrid({ entries }: { entries: [name: ComponentChildren, value: ComponentChildren][] }) {
  return (
    <dl class="stats-grid">
      {entries.map(([name, value], index) => (
        <div key={index}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Tag({ children, tone }: { children: ComponentChildren; tone?: string }) {
  return <span class={`tag${tone ? ` tag--${tone}` : ''}`}>{children}</span>;
}

/** A Pager's `hrefAt` for a list whose only parameter is the offset: `path`, then `path?offset=N`. */
export const offsetHref = (path: string) => (offset: number) => (offset > 0 ? `${path}?offset=${offset}` : path);

/**
 * The pages of a long list. Without JavaScript: "previous" and "next" links, the URL naming the
 * page. With htmx, "Show more" appends the next page's items to the list in place (hx-select picks
 * them from the answer, hx-select-oob this pager) and adds no history entry: the address keeps
 * naming the list, and the back button leaves it as it would without script.
 * `appended`: this pager answers a "show more", so the count shown starts at the first item.
 */
export function Pager(props: {
  ctx: PageContext;
  id: string;
  listId: string;
  offset: number;
  limit: number;
  total: number;
  hrefAt: (offset: number) => string;
  appended?: boolean;
  /** How far into the list its pages reach (offset + limit of the last page offered): the search window by default. */
  max?: number;
}) {
  const { ctx, id, listId, offset, limit, total, hrefAt, appended = false, max = 10_000 } = props;
  if (offset === 0 && total <= limit) return null;
  const end = Math.min(offset + limit, total);
  const next = end < Math.min(total, max) ? offset + limit : null;
  return (
    <nav class="pagination" id={id} aria-label={m.common.pages}>
      {offset > 0 && !appended ? (
        <a rel="prev" href={hrefAt(Math.max(0, offset - limit))}>
          ← {m.common.previous}
        </a>
      ) : (
        <span />
      )}
      <span class="muted" role="status">
        {m.common.showing(appended ? 1 : Math.min(offset + 1, total), end, ctx.fmt.number(total))}
      </span>
      {next !== null ? (
        <>
          <a rel="next" class="js-hidden" href={hrefAt(next)}>
            {m.common.next} →
          </a>
          <a
            class="button button--secondary js-only"
            href={hrefAt(next)}
            hx-get={hrefAt(next)}
            hx-target={`#${listId}`}
            hx-swap="beforeend"
            hx-select={`#${listId} > *`}
            hx-select-oob={`#${id}`}
            hx-push-url="false"
            data-load-more
          >
            {m.common.showMore(Math.min(limit, total - next))}
          </a>
        </>
      ) : (
        <span />
      )}
    </nav>
  );
}
