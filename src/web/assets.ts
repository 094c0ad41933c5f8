import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

// The stylesheet and scripts are few and small, so they are read and compressed once at start and
// served from memory under content-hashed names (/assets/app.3f2a9c1b7e.css): a changed file gets
// a new URL, so browsers and intranet proxies may keep each one for a year.

interface Asset {
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  type: string;
}

export interface AssetUrls {
  css: string;
  js: string;
  htmx: string;
  /** uPlot (script and stylesheet) and the script that draws the reports page's charts: loaded on that page only. */
  uplot: string;
  uplotCss: string;
  reports: string;
  /** The issue board's drag and drop. */
  board: string;
}

const require = createRequire(import.meta.url);
const SOURCES = {
  css: { path: fileURLToPath(new URL('./assets/app.css', import.meta.url)), name: 'app', ext: 'css', type: 'text/css; charset=utf-8' },
  js: { path: fileURLToPath(new URL('./assets/app.js', import.meta.url)), name: 'app', ext: 'js', type: 'text/javascript; charset=utf-8' },
  htmx: { path: require.resolve('htmx.org/dist/htmx.min.js'), name: 'htmx', ext: 'js', type: 'text/javascript; charset=utf-8' },
  uplot: { path: require.resolve('uplot/dist/uPlot.iife.min.js'), name: 'uplot', ext: 'js', type: 'text/javascript; charset=utf-8' },
  uplotCss: { path: require.resolve('uplot/dist/uPlot.min.css'), name: 'uplot', ext: 'css', type: 'text/css; charset=utf-8' },
  reports: { path: fileURLToPath(new URL('./assets/reports.js', import.meta.url)), name: 'reports', ext: 'js', type: 'text/javascript; charset=utf-8' },
  board: { path: fileURLToPath(new URL('./assets/board.js', import.meta.url)), name: 'board', ext: 'js', type: 'text/javascript; charset=utf-8' },
} as const;

export function loadAssets(): { urls: AssetUrls; files: Map<string, Asset> } {
  const files = new Map<string, Asset>();
  const urls = {} as AssetUrls;
  for (const [key, source] of Object.entries(SOURCES) as [keyof AssetUrls, (typeof SOURCES)[keyof typeof SOURCES]][]) {
    const body = readFileSync(source.path);
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
    const file = `${source.name}.${hash}.${source.ext}`;
    files.set(file, { body, gzip: gzipSync(body, { level: 9 }), brotli: brotliCompressSync(body), type: source.type });
    urls[key] = `/assets/${file}`;
  }
  return { urls, files };
}

export function registerAssetRoute(app: FastifyInstance, files: Map<string, Asset>) {
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const asset = files.get(request.params.file);
    if (!asset) return reply.callNotFound();
    const accepted = String(request.headers['accept-encoding'] ?? '');
    reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff');
    if (/\bbr\b/.test(accepted)) return reply.header('content-encoding', 'br').send(asset.brotli);
    if (/\bgzip\b/.test(accepted)) return reply.header('content-encoding', 'gzip').send(asset.gzip);
    return reply.send(asset.body);
  });
}
