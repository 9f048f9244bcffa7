/**
 * The conversation scenarios (tests/scenarios/conversation.scenarios.ts) played end to end on Discord: the real
 * adapter over the fake gateway and REST server, wired to a real Core on a real test database. /help takes the
 * command to explain as a string option; what members write privately are direct messages.
 */
import { conversationScenarios } from '../scenarios/conversation.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('conversation on Discord', conversationScenarios, () => new DiscordDriver());
