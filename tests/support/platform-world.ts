/**
 * A test world with one chat platform running in it: the TestWorld (database, clock, recorded jobs, logger, the core)
 * and a driver's real adapter against its fake server, started with a cast before each test and stopped after it.
 * For what only one platform does (Discord's embeds and attachments, Telegram's caption edits); what every platform
 * does is a scenario (tests/scenarios/), played on each by the scenario runner.
 *
 * @example
 * const t = useTelegramWorld({ alice: { name: 'Alice', username: 'alice' } });
 * it('…', async () => { await t.driver.command('alice', '/checkin'); expect(t.driver.server.calls('sendMessage')).toHaveLength(1); });
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Lang, MemberSpec, Step } from '../scenarios/scenario.js';
import { DiscordDriver, type DiscordDriverOptions } from './discord-driver.js';
import { castOf, playSteps, type ScenarioDriver } from './scenario-runner.js';
import { TelegramDriver } from './telegram-driver.js';
import { useTestWorld, type TestWorld, type TestWorldOptions } from './test-world.js';

/** The world and its running platform, for the current test. */
export interface PlatformWorld<D extends ScenarioDriver> {
  readonly world: TestWorld;
  /** The driver started for the current test. */
  readonly driver: D;
  /** Plays scenario steps (acts and expectations) on this platform. */
  play(steps: readonly Step[]): Promise<void>;
}

/** A world whose platform runs `makeDriver()`'s adapter for each test, with the cast in `lang`; no test may log an error. */
export function usePlatformWorld<D extends ScenarioDriver>(
  makeDriver: () => D,
  members: Record<string, MemberSpec>,
  options: TestWorldOptions & { lang?: Lang } = {},
): PlatformWorld<D> {
  const world = useTestWorld(options);
  const lang = options.lang ?? 'en';
  let driver: D | undefined;
  beforeEach(async () => {
    await world.reset();
    driver = makeDriver();
    await driver.start({ core: world.core, clock: world.clock, logger: world.logger, members: castOf({ members }, lang) });
  });
  afterEach(async () => {
    try {
      await driver?.stop();
    } finally {
      driver = undefined;
      await world.stopCore();
    }
    expect(world.errors(), 'errors were logged').toEqual([]);
  });
  return {
    world,
    get driver() {
      if (!driver) throw new Error('the platform runs only inside a test');
      return driver;
    },
    play(steps) {
      return playSteps(steps, { driver: this.driver, world, lang });
    },
  };
}

/** Telegram: the real grammY bot against the fake Bot API server. */
export function useTelegramWorld(members: Record<string, MemberSpec>, options: TestWorldOptions & { lang?: Lang } = {}): PlatformWorld<TelegramDriver> {
  return usePlatformWorld(() => new TelegramDriver(), members, options);
}

/** Discord: the real discord.js adapter against the fake gateway and REST server. */
export function useDiscordWorld(
  members: Record<string, MemberSpec>,
  options: TestWorldOptions & { lang?: Lang; discord?: DiscordDriverOptions } = {},
): PlatformWorld<DiscordDriver> {
  return usePlatformWorld(() => new DiscordDriver(options.discord), members, options);
}
