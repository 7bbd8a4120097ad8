import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    // Real servers are started and stopped by the tests themselves.
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
