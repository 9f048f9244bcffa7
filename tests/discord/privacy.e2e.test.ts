/**
 * The members' data rights scenarios (tests/scenarios/privacy.scenarios.ts) played end to end on Discord: the real
 * discord.js adapter against the fake gateway and REST server, on a real test database; commands are sent as typed
 * slash commands with the options their declarations give them.
 */
import { privacyScenarios } from '../scenarios/privacy.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('members\' data rights on Discord', privacyScenarios, () => new DiscordDriver());
