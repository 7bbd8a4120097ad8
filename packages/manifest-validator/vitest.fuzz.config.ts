import { defineConfig } from 'vitest/config';

// The long fuzz run (`pnpm fuzz`): separate from `pnpm test`, no JSON report.
export default defineConfig({
  test: {
    include: ['fuzz/**/*.fuzz.ts'],
    testTimeout: 30 * 60_000,
  },
});
