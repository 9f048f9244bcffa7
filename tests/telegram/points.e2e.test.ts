/**
 * The points scenarios (tests/scenarios/points.scenarios.ts) played end to end on Telegram: the real grammY bot over
 * HTTP against the fake Bot API server, wired to a real Core on a real test database.
 */
import { pointsScenarios } from '../scenarios/points.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('points on Telegram', pointsScenarios, () => new TelegramDriver());
