/**
 * The scenario driver's translation of typed commands into slash options, checked against the adapter's way back
 * (commandArgs): what a scenario types for Telegram reaches the core with the same meaning when a Discord client
 * fills in the typed options, for the review, points and likes commands a shared scenario may use.
 */
import { describe, expect, it } from 'vitest';
import { commandArgs } from '../../bots/discord/slash-commands.js';
import { DiscordDriver, InexpressibleCommand } from '../support/discord-driver.js';

const driver = new DiscordDriver() as any;
driver.users.set('alice', { id: '1290000000000000500', username: 'alice', global_name: 'Alice', discriminator: '0', avatar: null, locale: 'en-US' });
const roundTrip = (text: string) => {
  const { name, values } = driver.slashOptions(text);
  return { name, ...commandArgs(name, values, undefined) };
};

describe('the Discord scenario driver', () => {
  it('expresses review, points and likes commands as typed options that give the core the same arguments', () => {
    expect(roundTrip('/review 12 4 Sweet and fresh')).toMatchObject({ name: 'review', args: '12 4 Sweet and fresh' });
    expect(roundTrip('/stop reviews').args).toBe('reviews');
    expect(roundTrip('/start reviews')).toMatchObject({ name: 'start', args: 'reviews' });
    expect(roundTrip('/reviewconfig #12 delay 5d').args).toBe('#12 delay 5d');
    expect(roundTrip('/reviewconfig quiet 22:00-08:00').args).toBe('quiet 22:00-08:00');
    expect(roundTrip('/feature #3').args).toBe('3');
    expect(roundTrip('/bestreviews 2026-12').args).toBe('2026-12');
    expect(roundTrip('/checkin').args).toBe('');
    expect(roundTrip('/top month').args).toBe('month');
    expect(roundTrip('/levels set V2 spend 200 orders 3').args).toBe('set V2 spend 200 orders 3');
    expect(roundTrip('/points @alice +20 helped at the pickup').args).toBe('+20 helped at the pickup');
    expect(roundTrip('/points @alice -5 typo').args).toBe('-5 typo');
    expect(roundTrip('/share #3 Lovely tea').args).toBe('#3 Lovely tea');
    expect(roundTrip('/drop 2').args).toBe('2');
    expect(roundTrip('/likeround 24h').args).toBe('24h');
    expect(roundTrip('/endliketask 1').args).toBe('1');
    expect(roundTrip('/liketask goal 10 | within 48h | reward 50 | codes A1,B2').args).toBe('goal 10 | within 48h | reward 50 | codes A1,B2');
    expect(roundTrip('/liketask 目标 1 | 24小时内 | 奖励 20').args).toBe('goal 1 | within 24小时 | reward 20');
  });

  it('passes members as user options (mentions), never as text', () => {
    const { name, values } = driver.slashOptions('/liftwarnings @alice');
    expect(name).toBe('liftwarnings');
    expect(values).toEqual([{ name: 'member', type: 6, value: '1290000000000000500' }]);
  });

  it('refuses what a Discord client could not send', () => {
    expect(() => driver.slashOptions('/review 12 4')).toThrow(InexpressibleCommand);
    expect(() => driver.slashOptions('/points @alice lots thanks')).toThrow(InexpressibleCommand);
    expect(() => driver.slashOptions('/liketask goal 10 | sometime')).toThrow(InexpressibleCommand);
  });
});
