/**
 * The group-buy scenarios (tests/scenarios/group-buy.scenarios.ts) played end to end on Discord: the real adapter, a
 * discord.js Client logged in over the fake gateway, REST against the fake server, wired to a real Core on a real
 * test database. The same file the Telegram run plays: the contract both adapters keep.
 *
 * Scenarios showing a known core bug are expected to fail; SHOW_KNOWN_BUGS=1 plays them as ordinary tests.
 */
import { describe, it } from 'vitest';
import { groupBuyScenarios } from '../scenarios/group-buy.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { playScenario, useScenarioWorld } from '../support/scenario-runner.js';

const world = useScenarioWorld();

describe('group buys on Discord', () => {
  for (const scenario of groupBuyScenarios) {
    for (const lang of scenario.languages ?? (['en', 'zh'] as const)) {
      const test = process.env.SHOW_KNOWN_BUGS || !scenario.knownBug ? it : it.fails;
      test(`${scenario.name} [${lang}]`, () => playScenario(scenario, lang, new DiscordDriver(), world));
    }
  }
});
