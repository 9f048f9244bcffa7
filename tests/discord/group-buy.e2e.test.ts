/**
 * The group-buy scenarios (tests/scenarios/group-buy.scenarios.ts) played end to end on Discord: the real adapter, a
 * discord.js Client logged in over the fake gateway, REST against the fake server, wired to a real Core on a real
 * test database. The same file the Telegram run plays: the contract both adapters keep.
 */
import { groupBuyScenarios } from '../scenarios/group-buy.scenarios.js';
import { jielongScenarios } from '../scenarios/jielong.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('group buys on Discord', groupBuyScenarios, () => new DiscordDriver());
describeScenarios('接龙 habits, variants and notes on Discord', jielongScenarios, () => new DiscordDriver());
