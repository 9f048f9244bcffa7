/**
 * The group-buy scenarios (tests/scenarios/group-buy.scenarios.ts) played end to end on Telegram: the real grammY
 * bot, long polling through the runner, over HTTP against the fake Bot API server, wired to a real Core on a real
 * test database. Each scenario is played in each of its languages, in a fresh group on an emptied database.
 */
import { groupBuyScenarios } from '../scenarios/group-buy.scenarios.js';
import { jielongScenarios } from '../scenarios/jielong.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('group buys on Telegram', groupBuyScenarios, () => new TelegramDriver());
describeScenarios('接龙 habits, variants and notes on Telegram', jielongScenarios, () => new TelegramDriver());
