import type { Options } from 'tsup';

/**
 * The build every published package shares: ESM + CJS + types for Node 20,
 * with the workspace's private helpers bundled in rather than depended on.
 */
export function packageBuild(overrides: Options = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    noExternal: ['@belfry/internal'],
    ...overrides,
  };
}
