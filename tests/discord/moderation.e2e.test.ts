/**
 * The fake-engagement moderation scenarios (tests/scenarios/moderation.scenarios.ts) played end to end on Discord:
 * the real discord.js adapter against the fake gateway and REST server, on a real test database.
 */
import { moderationScenarios } from '../scenarios/moderation.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('fake-engagement moderation on Discord', moderationScenarios, () => new DiscordDriver());
