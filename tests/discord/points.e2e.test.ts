/**
 * The points scenarios (tests/scenarios/points.scenarios.ts) played end to end on Discord: the real adapter over the
 * fake gateway and REST server, wired to a real Core on a real test database. /points takes its member as a user
 * option and its amount as an integer, as a Discord client sends them.
 */
import { pointsScenarios } from '../scenarios/points.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('points on Discord', pointsScenarios, () => new DiscordDriver());
