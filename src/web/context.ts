import type { Actor } from '../plugins/auth.js';
import type { AssetUrls } from './assets.js';
import type { Formatter } from './format.js';
import type { FlashKey } from './messages.js';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  actor: Actor | null;
  /** The CSRF token for this page's forms (sets the secret cookie on first use). */
  csrfToken(): string;
  fmt: Formatter;
  /** The path and query of this page, for "log in and come back". */
  path: string;
  flash: FlashKey | null;
  publicUrl: string;
  assets: AssetUrls;
}

export interface PageMeta {
  title: string;
  description?: string;
  /** The canonical path of the page (public pages); the site's public URL is put in front. */
  canonical?: string;
  /** Pages of a workspace or an account are not for search engines. */
  noindex?: boolean;
  /** Stylesheets and scripts (asset URLs) this page alone needs, after the site's own. */
  styles?: string[];
  scripts?: string[];
  /** Reloads the page after this many seconds when scripts do not run (a page following a background task). */
  refreshSeconds?: number;
}
