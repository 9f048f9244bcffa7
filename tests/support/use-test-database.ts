import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * One test database for a test file: opened before its tests, emptied before each test, closed after them
 * (as `useCoreHarness` does for a whole core). Read it inside hooks and tests: `const db = useTestDatabase();`
 * then `db.current.prisma`.
 */
export function useTestDatabase(): { readonly current: TestDatabase } {
  const holder: { current?: TestDatabase } = {};
  beforeAll(async () => {
    holder.current = await createTestDatabase();
  });
  beforeEach(() => holder.current!.reset());
  afterAll(() => holder.current?.close());
  return holder as { readonly current: TestDatabase };
}
