import type { Hono } from 'hono';
import { loadStaticAssets } from './static-assets.js';

/** Headers of the page and its files: no framing, no sniffing, nothing loaded from elsewhere. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

/** The page and its files, read once from the package's `public/` folder. */
export function addPageRoutes(app: Hono): void {
  // Mounted under a prefix, the root is `/prefix` without a slash, where the page's relative links
  // would miss the prefix: send the browser to `/prefix/index.html` instead.
  app.get('/', async (c, next) => (c.req.path.endsWith('/') ? next() : c.redirect(`${c.req.path}/index.html`, 302)));
  for (const [path, asset] of loadStaticAssets()) app.get(path, (c) => c.body(asset.body, 200, { ...PAGE_HEADERS, 'content-type': asset.type }));
}
