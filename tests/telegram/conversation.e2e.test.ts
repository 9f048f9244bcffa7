/**
 * The conversation scenarios (tests/scenarios/conversation.scenarios.ts) played end to end on Telegram: the real
 * grammY bot over HTTP against the fake Bot API server, wired to a real Core on a real test database.
 */
import { conversationScenarios } from '../scenarios/conversation.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('conversation on Telegram', conversationScenarios, () => new TelegramDriver());
