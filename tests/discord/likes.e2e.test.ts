/**
 * The shares and likes scenarios (tests/scenarios/likes.scenarios.ts) played end to end on Discord: the real adapter
 * over the fake gateway and REST server, wired to a real Core on a real test database. A photo is shared with the
 * `/share` attachment option (or "Share photo" on the member's own message); reactions arrive as gateway dispatches.
 */
import { likesScenarios } from '../scenarios/likes.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('shares and likes on Discord', likesScenarios, () => new DiscordDriver());
