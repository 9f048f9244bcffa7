/**
 * The review scenarios (tests/scenarios/reviews.scenarios.ts) played end to end on Discord: the real adapter over the
 * fake gateway and REST server, wired to a real Core on a real test database. Members answer in their DMs with the
 * bot: star buttons, and direct messages (MESSAGE_CREATE) carrying the text, several photos in one message, or a
 * video whose length Discord reports.
 */
import { reviewScenarios } from '../scenarios/reviews.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('review prompting on Discord', reviewScenarios, () => new DiscordDriver());
