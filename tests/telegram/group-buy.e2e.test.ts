/**
 * The group-buy scenarios (tests/scenarios/group-buy.scenarios.ts) played end to end on Telegram: the real grammY
 * bot, long polling through the runner, over HTTP against the fake Bot API server, wired to a real Core on a real
 * test database. Each scenario is played in each of its languages, in a fresh group on an emptied database.
 *
 * Scenarios showing a known core bug are expected to fail; SHOW_KNOWN_BUGS=1 plays them as ordinary tests to see
 * the failure itself.
 */
import { describe, it } from 'vitest';
import { groupBuyScenarios } from '../scenarios/group-buy.scenarios.js';
import { playScenario, useScenarioWorld } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

const world = useScenarioWorld();

describe('group buys on Telegram', () => {
  for (const scenario of groupBuyScenarios) {
    for (const lang of scenario.languages ?? (['en', 'zh'] as const)) {
      const test = process.env.SHOW_KNOWN_BUGS || !scenario.knownBug ? it : it.fails;
      test(`${scenario.name} [${lang}]`, () => playScenario(scenario, lang, new TelegramDriver(), world));
    }
  }
});
