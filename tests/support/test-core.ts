/**
 * The one place tests build a Core. Every harness, world and test that needs a real core calls this, so a change
 * to how the core is put together (its constructor, the feature modules it is given) is made here once.
 *
 * @example
 * const core = createTestCore({ store, clock, scheduler, logger });
 */
import type { Core, CoreOptions } from '../../core/app.js';
import { createCore, type FeatureDeps } from '../../core/features.js';

/** What a test decides about its core; the rest is fixed for tests (cards are edited at once, not coalesced). */
export type TestCoreOptions = Omit<CoreOptions, 'cardCoalesceMs' | 'cardMinIntervalMs' | 'modules'> & Partial<Pick<CoreOptions, 'cardCoalesceMs' | 'cardMinIntervalMs'>> & FeatureDeps;

/** A real Core running every registered feature (core/features.ts) for tests: live cards are edited without waiting (no coalescing, no minimum interval) unless told. */
export function createTestCore(options: TestCoreOptions): Core {
  return createCore({ cardCoalesceMs: 0, cardMinIntervalMs: 0, ...options });
}
