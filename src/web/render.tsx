import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** A whole page as HTML text. Every string in the tree is escaped by the renderer. */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

/** A part of a page (htmx swaps it in), escaped like a page. */
export function renderFragment(node: VNode): string {
  return renderToString(node);
}

// The search engines return highlights as HTML-escaped text with <mark>…</mark> around the matched
// words. This is the only place raw HTML enters a page, and it lets through nothing but that form:
// after removing the two tags, no markup and no entity other than the five escapes may remain.
const MARK_TAGS = /<\/?mark>/g;
const ONLY_ESCAPED_TEXT = /^(?:[^<>&]|&(?:amp|lt|gt|quot|#39);)*$/;

export function isMarkedText(html: string): boolean {
  return ONLY_ESCAPED_TEXT.test(html.replace(MARK_TAGS, '')) && balancedMarks(html);
}

function balancedMarks(html: string): boolean {
  let open = false;
  for (const [tag] of html.matchAll(MARK_TAGS)) {
    if ((tag === '<mark>') === open) return false;
    open = !open;
  }
  return !open;
}

/** Shows a search highlight; anything that is not plain escaped text with <mark> shows `fallback` instead. */
export function Highlighted({ html, fallback }: { html: string | undefined; fallback: ComponentChildren }) {
  if (html && isMarkedText(html)) return <span dangerouslySetInnerHTML={{ __html: html }} />;
  return <>{fallback}</>;
}
