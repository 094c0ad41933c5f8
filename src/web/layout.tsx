import type { ComponentChildren } from 'preact';
import { PostForm } from './components.js';
import type { PageContext, PageMeta } from './context.js';
import { m } from './messages.js';
import { isStaff } from '../modules/users/users.rules.js';

// htmx's own indicator <style> and its eval-based features are off: the CSP allows neither.
// Error answers are swapped in too: an inline form's 400 carries the form with the mistake beside
// its field, and other errors a page the server retargets to #main (web.plugin.tsx).
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
});

export function Layout({ ctx, meta, children }: { ctx: PageContext; meta: PageMeta; children: ComponentChildren }) {
  const { actor } = ctx;
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${meta.title} · ${m.site.name}`}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.canonical ? <link rel="canonical" href={`${ctx.publicUrl}${meta.canonical}`} /> : null}
        {meta.noindex ? <meta name="robots" content="noindex" /> : null}
        {meta.refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(meta.refreshSeconds)} />
          </noscript>
        ) : null}
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <link rel="stylesheet" href={ctx.assets.css} />
        {meta.styles?.map((href) => <link key={href} rel="stylesheet" href={href} />)}
        <script src={ctx.assets.htmx} defer></script>
        <script src={ctx.assets.js} defer></script>
        {meta.scripts?.map((src) => <script key={src} src={src} defer></script>)}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {m.site.skipToContent}
        </a>
        <header class="site-header">
          <div class="wrap site-header__inner">
            <a class="brand" href="/">
              <span class="brand__mark" aria-hidden="true">
                TD
              </span>
              <span class="brand__name">{m.site.name}</span>
            </a>
            <nav aria-label={m.nav.main} class="site-nav">
              <ul>
                <li>
                  <a href="/search">{m.nav.search}</a>
                </li>
                <li>
                  <a href="/search?kind=offer">{m.nav.offers}</a>
                </li>
                <li>
                  <a href="/search?kind=request">{m.nav.requests}</a>
                </li>
                <li>
                  <a href="/tech-monitor">{m.nav.techMonitor}</a>
                </li>
                {actor ? (
                  <>
                    <li>
                      <a href="/my">{m.nav.my}</a>
                    </li>
                    {isStaff(actor) ? (
                      <li>
                        <a href="/editor">{m.nav.editor}</a>
                      </li>
                    ) : null}
                    {actor.role === 'admin' ? (
                      <li>
                        <a href="/admin">{m.nav.admin}</a>
                      </li>
                    ) : null}
                    <li>
                      <a href="/account" title={m.nav.loggedInAs(actor.name)}>
                        {m.nav.account}
                      </a>
                    </li>
                    <li>
                      <PostForm ctx={ctx} action="/logout" class="inline-form">
                        <button type="submit" class="link-button">
                          {m.nav.logout}
                        </button>
                      </PostForm>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a href={`/login?next=${encodeURIComponent(ctx.path)}`}>{m.nav.login}</a>
                    </li>
                    <li>
                      <a class="button button--small" href="/register">
                        {m.nav.register}
                      </a>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <div class="wrap">
            {ctx.flash ? (
              <div class="flash" role="status">
                {m.flash[ctx.flash]}
              </div>
            ) : null}
            {children}
          </div>
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>{m.site.footer}</p>
            <p>
              <a href="/tech-monitor">{m.nav.techMonitor}</a> · <a href="/docs">{m.site.apiLink}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

export function ErrorPage({ ctx, status, requestId, message }: { ctx: PageContext; status: number; requestId: string; message?: string }) {
  const [title, text] =
    status === 404
      ? [m.errors.notFoundTitle, m.errors.notFoundText]
      : status === 403
        ? [m.errors.forbiddenTitle, message ?? m.errors.forbiddenText]
        : status === 429
          ? [m.errors.tooManyTitle, message ?? m.errors.serverText]
          : status === 400
            ? [m.errors.badRequestTitle, message ?? m.errors.badAddress]
          : status >= 500
            ? [m.errors.serverTitle, m.errors.serverText]
            : [m.errors.serverTitle, message ?? m.errors.serverText];
  return (
    <Layout ctx={ctx} meta={{ title, noindex: true }}>
      <div class="narrow">
        <h1>{title}</h1>
        <p class="lead">{text}</p>
        {status >= 500 ? <p class="muted">{m.errors.reference(requestId)}</p> : null}
        <p>
          <a href="/">{m.errors.backHome}</a>
        </p>
      </div>
    </Layout>
  );
}
