import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page's files, shipped in the package's `public/` folder beside `dist/` (and `src/`). */
const FILES: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/charts.js': ['charts.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
};

/** A served file: its bytes and content type. */
export interface StaticAsset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/** Reads the page's files once; the same code runs from `dist/index.js`, `dist/index.cjs` (import.meta.url is shimmed) and `src/`. */
export function loadStaticAssets(): Map<string, StaticAsset> {
  const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
  return new Map(Object.entries(FILES).map(([path, [file, type]]) => [path, { body: new Uint8Array(readFileSync(join(publicDir, file))), type }]));
}
