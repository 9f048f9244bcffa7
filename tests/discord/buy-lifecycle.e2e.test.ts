/**
 * The buy-lifecycle scenarios (tests/scenarios/buy-lifecycle.scenarios.ts) played end to end on Discord: the real
 * adapter over the fake gateway and REST server, wired to a real Core on a real test database.
 */
import { buyLifecycleScenarios } from '../scenarios/buy-lifecycle.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('a buy after it opens, on Discord', buyLifecycleScenarios, () => new DiscordDriver());
