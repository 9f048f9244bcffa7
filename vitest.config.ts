import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds the migrated PGlite template once, before the workers start (each test database loads a copy).
    globalSetup: ['tests/support/database.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files open their own databases and fake servers; two workers match the 2-core machines CI runs on.
    maxWorkers: 2,
  },
});
