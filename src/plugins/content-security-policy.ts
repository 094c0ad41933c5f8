// The Content-Security-Policy every response carries unless its route says otherwise: scripts,
// styles and everything else only from this origin, no inline script (so an injected <script> or
// onclick= never runs), and no framing by any site. A route that needs more loosens only what it
// needs through helmet's per-route option:
//
//   app.get('/widget', { helmet: contentSecurityPolicy({ 'frame-ancestors': ['https://partner.example'] }) }, …)

type Directives = Record<string, string[]>;

const STRICT_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The default policy, for the global helmet registration. */
export const strictContentSecurityPolicy = { useDefaults: false, directives: STRICT_DIRECTIVES };

/** A route's `helmet` option: the strict policy with some directives replaced. */
export function contentSecurityPolicy(overrides: Directives) {
  return { contentSecurityPolicy: { useDefaults: false, directives: { ...STRICT_DIRECTIVES, ...overrides } } };
}

/** Self-contained HTML documents (printable Tech Monitor issues, one-message pages) style themselves inline. */
export const inlineStylesAllowed = contentSecurityPolicy({ 'style-src': ["'self'", "'unsafe-inline'"] });

/**
 * The Swagger UI's own pages (/docs…), the one place inline script is tolerated: they are the
 * upstream bundle's, carry no user content, and are served with this policy by @fastify/swagger-ui.
 */
export const SWAGGER_UI_POLICY = Object.entries({
  ...STRICT_DIRECTIVES,
  'script-src': ["'self'", "'unsafe-inline'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'validator.swagger.io'],
})
  .map(([name, values]) => `${name} ${values.join(' ')}`)
  .join('; ');
