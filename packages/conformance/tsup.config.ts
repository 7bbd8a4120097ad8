import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared.js';

const libraryEntries = { index: 'src/index.ts', fixtures: 'src/fixtures/index.ts' };

export default defineConfig(
  packageBuild({
    entry: { ...libraryEntries, 'belfry-conformance': 'src/cli/bin.ts' },
    dts: { entry: libraryEntries },
    // The TOML reader of the poller suite is bundled (its licence comment kept), so the package still depends on @belfry/plugin-api alone.
    noExternal: ['@belfry/internal', 'smol-toml'],
  }),
);
