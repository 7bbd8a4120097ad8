import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

const libraryEntries = { index: 'src/index.ts', fixtures: 'src/fixtures/index.ts' };

export default defineConfig(
  packageBuild({ entry: { ...libraryEntries, 'belfry-conformance': 'src/cli/bin.ts' }, dts: { entry: libraryEntries } }),
);
