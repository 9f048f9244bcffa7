/**
 * The buy-lifecycle scenarios (tests/scenarios/buy-lifecycle.scenarios.ts) played end to end on Telegram: the real
 * grammY bot against the fake Bot API server, wired to a real Core on a real test database.
 */
import { buyLifecycleScenarios } from '../scenarios/buy-lifecycle.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('a buy after it opens, on Telegram', buyLifecycleScenarios, () => new TelegramDriver());
