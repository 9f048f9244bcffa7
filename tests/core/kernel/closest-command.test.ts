import { describe, expect, it } from 'vitest';
import { closestCommand, commandWord, editDistance, findCommand } from '../../../core/kernel/closest-command.js';

const commands = [
  { name: 'join', zhName: '参团' },
  { name: 'leave', zhName: '退出' },
  { name: 'buys', zhName: '拼团列表' },
  { name: 'mybuys', zhName: '我的拼团' },
  { name: 'help', zhName: '帮助' },
  { name: 'me', zhName: '我的积分' },
  { name: 'review', zhName: '评价' },
  { name: 'reviews', zhName: '评价汇总' },
  { name: 'reviewconfig', zhName: '评价设置' },
  { name: 'newbuy', zhName: '开团' },
];

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('jion', 'join')).toBe(1);
    expect(editDistance('hlep', 'help')).toBe(1);
  });
  it('counts a Chinese character as one', () => {
    expect(editDistance('参加', '参团')).toBe(1);
    expect(editDistance('', '参团')).toBe(2);
  });
});

describe('commandWord', () => {
  it('drops the slash (also the full-width one), a bot name and case', () => {
    expect(commandWord('/Join@tuanbot_bot')).toBe('join');
    expect(commandWord('／参团')).toBe('参团');
  });
});

describe('findCommand', () => {
  it('finds a command by its English or Chinese name, with or without the slash', () => {
    expect(findCommand('join', commands)?.name).toBe('join');
    expect(findCommand('/参团', commands)?.name).toBe('join');
    expect(findCommand('jion', commands)).toBeUndefined();
  });
});

describe('closestCommand', () => {
  it.each([
    ['/jion', 'join'],
    ['levae', 'leave'],
    ['/hepl', 'help'],
    ['/mybuy', 'mybuys'],
    ['/newby', 'newbuy'],
    ['/参加', 'join'],
    ['/开团吧', 'newbuy'],
    ['/rev', 'review'],
    ['/reviewconfg', 'reviewconfig'],
  ])('reads %s as /%s', (typed, expected) => {
    expect(closestCommand(typed, commands)?.name).toBe(expected);
  });

  it.each(['/weather', 'hello', 'thanks', '/x', '好的'])('suggests nothing for %s, which is no typo', (typed) => {
    expect(closestCommand(typed, commands)).toBeUndefined();
  });

  it('prefers the earlier command on a tie', () => {
    // "reviewx" is one edit from "reviews" and from "review"+x: review is listed first.
    expect(closestCommand('reviewx', commands)?.name).toBe('review');
  });
});
