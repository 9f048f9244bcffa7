/**
 * The reminder scenarios (tests/scenarios/reminders.scenarios.ts) played end to end on Telegram: the real grammY bot over
 * HTTP against the fake Bot API server, wired to a real Core on a real test database. Members answer the reminders'
 * buttons in their private chat with the bot.
 */
import { reminderScenarios } from '../scenarios/reminders.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('repurchase reminders on Telegram', reminderScenarios, () => new TelegramDriver());
