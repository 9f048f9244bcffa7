/**
 * The scenario driver's translation of typed commands into slash options, checked against the adapter's way back
 * (commandArgs) and the core's check of typed values (typedValues): what a scenario types for Telegram reaches the
 * core with the same meaning when a Discord client fills in the typed options.
 */
import { describe, expect, it } from 'vitest';
import { commandArgs } from '../../bots/discord/slash-commands.js';
import { commandInfos } from '../../core/features.js';
import { typedValues } from '../../core/kernel/args.js';
import { DiscordDriver, InexpressibleCommand } from '../support/discord-driver.js';

const driver = new DiscordDriver() as any;
driver.users.set('alice', { id: '1290000000000000500', username: 'alice', global_name: 'Alice', discriminator: '0', avatar: null, locale: 'en-US' });
const resolved = { users: { '1290000000000000500': { id: '1290000000000000500', username: 'alice', global_name: 'Alice', discriminator: '0', avatar: null } } };
/** What the core gets when a Discord client sends what the driver makes of `text`. */
const typed = (text: string) => {
  const { name, values } = driver.slashOptions(text);
  const decoded = commandArgs(values, resolved as never);
  const args = commandInfos('en').find((c) => c.name === name)!.args!;
  return { name, values: typedValues(args, decoded.options, decoded) };
};

describe('the Discord scenario driver', () => {
  it('expresses review, points and likes commands as typed options that give the core the same arguments', () => {
    expect(typed('/review 12 4 Sweet and fresh')).toEqual({ name: 'review', values: { buy: 12, rating: 4, text: 'Sweet and fresh' } });
    expect(typed('/stop reviews').values).toEqual({ what: 'reviews' });
    expect(typed('/start reviews')).toEqual({ name: 'start', values: { topic: 'reviews' } });
    expect(typed('/reviewconfig #12 delay 5d').values).toEqual({ buy: 12, setting: 'delay', value: '5d' });
    expect(typed('/reviewconfig quiet 22:00-08:00').values).toEqual({ setting: 'quiet', value: '22:00-08:00' });
    expect(typed('/feature #3').values).toEqual({ review: 3 });
    expect(typed('/bestreviews 2026-12').values).toEqual({ month: '2026-12' });
    expect(typed('/checkin').values).toEqual({});
    expect(typed('/top month').values).toEqual({ period: 'month' });
    expect(typed('/levels set V2 spend 200 orders 3').values).toEqual({ setting: 'set V2 spend 200 orders 3' });
    expect(typed('/points @alice +20 helped at the pickup').values).toEqual({ member: { id: 'dc:1290000000000000500', displayName: 'Alice', username: 'alice' }, amount: 20, reason: 'helped at the pickup' });
    expect(typed('/points @alice -5 typo').values).toMatchObject({ amount: -5, reason: 'typo' });
    expect(typed('/share #3 Lovely tea').values).toEqual({ buy: 3, text: 'Lovely tea' });
    expect(typed('/drop 2').values).toEqual({ share: 2 });
    expect(typed('/likeround 24h').values).toEqual({ duration: '24h' });
    expect(typed('/endliketask 1').values).toEqual({ task: 1 });
    expect(typed('/liketask goal 10 | within 48h | reward 50 | codes A1,B2').values).toEqual({ goal: 10, within: '2d', reward: 50, codes: 'A1,B2' });
    expect(typed('/liketask 目标 1 | 24小时内 | 奖励 20').values).toEqual({ goal: 1, within: '1d', reward: 20 });
    expect(typed('/join 3 2').values).toEqual({ buy: 3, quantity: 2 });
    // No quantity typed: the command's run takes 1.
    expect(typed('/join #3').values).toEqual({ buy: 3 });
    expect(typed('/newbuy Tea | 9.9 | min 2 | max 10 | ends 2h').values).toEqual({ title: 'Tea', price: '9.9', min: 2, max: 10, ends: '2h' });
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
