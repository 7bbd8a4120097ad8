import { defineConfig } from 'tsup';

const libraryEntries = { index: 'src/index.ts', fixtures: 'src/fixtures/index.ts' };

export default defineConfig({
  entry: { ...libraryEntries, 'belfry-conformance': 'src/cli/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: libraryEntries },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
