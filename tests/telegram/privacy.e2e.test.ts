/**
 * The members' data rights scenarios (tests/scenarios/privacy.scenarios.ts) played end to end on Telegram: the real
 * grammY bot over HTTP against the fake Bot API server, wired to a real Core on a real test database.
 */
import { privacyScenarios } from '../scenarios/privacy.scenarios.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('members\' data rights on Telegram', privacyScenarios, () => new TelegramDriver());
