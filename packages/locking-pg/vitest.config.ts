import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    // Hang guards, far above what any test takes on a busy machine (the slowest take a few seconds).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
