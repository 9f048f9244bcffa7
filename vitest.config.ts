import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files open their own databases and fake servers; two workers match the 2-core machines CI runs on.
    maxWorkers: 2,
  },
});
