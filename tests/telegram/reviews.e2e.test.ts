/**
 * The review scenarios (tests/scenarios/reviews.scenarios.ts) played end to end on Telegram: the real grammY bot over
 * HTTP against the fake Bot API server, wired to a real Core on a real test database. Members answer in their private
 * chat with the bot: star buttons, text, photos (one message each) and videos.
 */
import { reviewScenarios } from '../scenarios/reviews.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('review prompting on Telegram', reviewScenarios, () => new TelegramDriver());
