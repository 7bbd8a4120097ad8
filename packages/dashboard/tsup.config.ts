import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

// `shims` gives the CommonJS build an `import.meta.url`, so both builds find `public/` beside `dist/`.
export default defineConfig(packageBuild({ shims: true }));
