/**
 * The shares and likes scenarios (tests/scenarios/likes.scenarios.ts) played end to end on Telegram: the real grammY
 * bot over HTTP against the fake Bot API server, wired to a real Core on a real test database. A photo is shared with
 * `/share` in its caption (or as a reply to it); reactions arrive as message_reaction updates.
 */
import { likesScenarios } from '../scenarios/likes.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('shares and likes on Telegram', likesScenarios, () => new TelegramDriver());
