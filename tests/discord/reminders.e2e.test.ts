/**
 * The reminder scenarios (tests/scenarios/reminders.scenarios.ts) played end to end on Discord: the real adapter over
 * the fake gateway and REST server, wired to a real Core on a real test database. Members answer the reminders'
 * buttons in their DMs with the bot; admins type `/product` with its typed options.
 */
import { reminderScenarios } from '../scenarios/reminders.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('repurchase reminders on Discord', reminderScenarios, () => new DiscordDriver());
