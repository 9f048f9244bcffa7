import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../bots/config.js';

/** The first problem loadConfig reports for `env`, or undefined when it accepts it. */
function problem(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.join('\n');
    throw error;
  }
}

describe('Discord shard settings (several processes on one bot)', () => {
  it('are optional, and read as numbers when both are given', () => {
    expect(loadConfig({}).DISCORD_SHARD_ID).toBeUndefined();
    expect(loadConfig({}).DISCORD_SHARD_COUNT).toBeUndefined();
    const config = loadConfig({ DISCORD_SHARD_ID: '1', DISCORD_SHARD_COUNT: '2' });
    expect([config.DISCORD_SHARD_ID, config.DISCORD_SHARD_COUNT]).toEqual([1, 2]);
    expect(loadConfig({ DISCORD_SHARD_ID: '0', DISCORD_SHARD_COUNT: '1' }).DISCORD_SHARD_ID).toBe(0);
  });

  it('are refused alone, out of range, or with the id not below the count, naming the variable', () => {
    expect(problem({ DISCORD_SHARD_ID: '0' })).toContain('DISCORD_SHARD_COUNT: DISCORD_SHARD_ID and DISCORD_SHARD_COUNT must be set together');
    expect(problem({ DISCORD_SHARD_COUNT: '2' })).toContain('DISCORD_SHARD_ID: DISCORD_SHARD_ID and DISCORD_SHARD_COUNT must be set together');
    expect(problem({ DISCORD_SHARD_ID: '2', DISCORD_SHARD_COUNT: '2' })).toContain('DISCORD_SHARD_ID must be below DISCORD_SHARD_COUNT (2)');
    expect(problem({ DISCORD_SHARD_ID: 'one', DISCORD_SHARD_COUNT: '2' })).toContain('DISCORD_SHARD_ID must be a whole number from 0 to 16383, got "one"');
    expect(problem({ DISCORD_SHARD_ID: '0', DISCORD_SHARD_COUNT: '0' })).toContain('DISCORD_SHARD_COUNT must be a whole number from 1 to 16384');
  });
});
