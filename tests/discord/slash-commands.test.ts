import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commandInfos } from '../../core/commands.js';
import { commandArgs, SLASH_COMMANDS, slashCommandBodies } from '../../bots/discord/slash-commands.js';

const bodies = () => slashCommandBodies(commandInfos('en'), commandInfos('zh-CN'));

describe('slash commands', () => {
  it('has a typed definition for every command the core lists', () => {
    const missing = commandInfos('en').map((c) => c.name).filter((name) => !SLASH_COMMANDS[name]);
    expect(missing).toEqual([]);
    expect(bodies().map((b) => b.name)).toEqual(commandInfos('en').map((c) => c.name));
  });

  it('localizes every name and description in zh-CN and en-US, within Discord’s limits', () => {
    for (const body of bodies() as any[]) {
      expect(Object.keys(body.name_localizations).sort()).toEqual(['en-US', 'zh-CN']);
      expect(body.description_localizations['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(body.description.length).toBeLessThanOrEqual(100);
      for (const option of body.options) {
        expect(option.name).toMatch(/^[-_\p{L}\p{N}]{1,32}$/u);
        expect(option.name_localizations['zh-CN']).toBeTruthy();
        expect(option.description_localizations['zh-CN'].length).toBeLessThanOrEqual(100);
      }
    }
    expect(bodies().length).toBeLessThanOrEqual(100);
  });

  it('still registers a core command without a typed entry, with one free-text option passed through', () => {
    const extra = [...commandInfos('en'), { name: 'brandnew', description: 'x', audience: 'member' as const }];
    const body = slashCommandBodies(extra, commandInfos('zh-CN')).at(-1) as any;
    expect(body).toMatchObject({ name: 'brandnew', options: [{ name: 'text', type: ApplicationCommandOptionType.String, required: false }] });
    expect(commandArgs('brandnew', [{ name: 'text', type: ApplicationCommandOptionType.String, value: ' a b ' }], undefined).args).toBe('a b');
  });

  it('turns typed options back into the core’s argument text', () => {
    const int = ApplicationCommandOptionType.Integer;
    const str = ApplicationCommandOptionType.String;
    expect(commandArgs('join', [], undefined).args).toBe('');
    expect(commandArgs('join', [{ name: 'quantity', type: int, value: 2 }], undefined).args).toBe('2');
    expect(commandArgs('join', [{ name: 'buy', type: int, value: 3 }], undefined).args).toBe('#3');
    expect(commandArgs('join', [{ name: 'buy', type: int, value: 3 }, { name: 'quantity', type: int, value: 2 }], undefined).args).toBe('3 2');
    expect(commandArgs('extendbuy', [{ name: 'ends', type: str, value: '2h' }, { name: 'buy', type: int, value: 1 }], undefined).args).toBe('#1 2h');
    expect(commandArgs('delivered', [{ name: 'all', type: ApplicationCommandOptionType.Boolean, value: true }], undefined).args).toBe('all');
    expect(commandArgs('newbuy', [], undefined).args).toBe('');
    expect(
      commandArgs(
        'newbuy',
        [
          { name: 'title', type: str, value: 'Tea' },
          { name: 'price', type: str, value: '20' },
          { name: 'min', type: int, value: 2 },
          { name: 'max', type: int, value: 10 },
          { name: 'ends', type: str, value: '2h' },
          { name: 'pickup', type: str, value: 'East gate' },
        ],
        undefined,
      ).args,
    ).toBe('Tea | 20 | min 2 | max 10 | ends 2h | pickup East gate');
  });
});
