/**
 * The fake-engagement moderation scenarios (tests/scenarios/moderation.scenarios.ts) played end to end on Telegram:
 * the real grammY bot over HTTP against the fake Bot API server, wired to a real Core on a real test database.
 */
import { moderationScenarios } from '../scenarios/moderation.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('fake-engagement moderation on Telegram', moderationScenarios, () => new TelegramDriver());
