import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commandInfos } from '../../core/commands.js';
import { commandArgs, SLASH_COMMANDS, slashCommandBodies, UNLISTED_SLASH_COMMANDS } from '../../bots/discord/slash-commands.js';
import { findCommand } from '../../core/commands.js';

const bodies = () => slashCommandBodies(commandInfos('en'), commandInfos('zh-CN'));

describe('slash commands', () => {
  it('has a typed definition for every command the core lists', () => {
    const missing = commandInfos('en').map((c) => c.name).filter((name) => !SLASH_COMMANDS[name]);
    expect(missing).toEqual([]);
    expect(bodies().map((b) => b.name)).toEqual([...commandInfos('en').map((c) => c.name), 'start', 'Share photo']);
  });

  it('adds /start, which the core takes but does not list, so `/start reviews` opts back in on Discord', () => {
    expect(findCommand('start')?.listed).toBe(false);
    expect(Object.keys(UNLISTED_SLASH_COMMANDS)).toEqual(['start']);
    const start = bodies().find((b) => b.name === 'start') as any;
    expect(start).toMatchObject({ name_localizations: { 'zh-CN': '开始' }, options: [{ name: 'topic', choices: [{ value: 'reviews' }] }] });
    expect(start.description_localizations['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(commandArgs('start', [{ name: 'topic', type: ApplicationCommandOptionType.String, value: 'reviews' }], undefined).args).toBe('reviews');
    expect(commandArgs('start', [], undefined).args).toBe('');
  });

  it('localizes every name and description in zh-CN and en-US, within Discord’s limits', () => {
    for (const body of (bodies() as any[]).filter((b) => b.type === 1)) {
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
    const body = slashCommandBodies(extra, commandInfos('zh-CN')).find((b) => b.name === 'brandnew') as any;
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

  it('writes the review commands in the argument forms core/reviews parses', () => {
    const int = ApplicationCommandOptionType.Integer;
    const str = ApplicationCommandOptionType.String;
    const review = bodies().find((b) => b.name === 'review') as any;
    // `/review <buy-id> <1-5> <text>`: the core refuses anything less, so Discord asks for all three.
    expect(review.options.map((o: any) => [o.name, o.required])).toEqual([['buy', true], ['rating', true], ['text', true]]);
    expect(commandArgs('review', [{ name: 'buy', type: int, value: 12 }, { name: 'rating', type: int, value: 4 }, { name: 'text', type: str, value: 'Sweet' }], undefined).args).toBe('12 4 Sweet');
    expect(commandArgs('stop', [{ name: 'what', type: str, value: 'reviews' }], undefined).args).toBe('reviews');
    expect(commandArgs('reviewconfig', [], undefined).args).toBe('');
    expect(commandArgs('reviewconfig', [{ name: 'setting', type: str, value: 'delay' }, { name: 'value', type: str, value: '5d' }, { name: 'buy', type: int, value: 12 }], undefined).args).toBe('#12 delay 5d');
    expect(commandArgs('reviewconfig', [{ name: 'setting', type: str, value: 'quiet' }, { name: 'value', type: str, value: '22:00-08:00' }], undefined).args).toBe('quiet 22:00-08:00');
    expect(commandArgs('reviews', [{ name: 'buy', type: int, value: 3 }], undefined).args).toBe('#3');
    expect(commandArgs('feature', [{ name: 'review', type: int, value: 7 }], undefined).args).toBe('7');
    expect(commandArgs('bestreviews', [{ name: 'month', type: str, value: '2026-12' }], undefined).args).toBe('2026-12');
  });

  it('passes an attachment option on as the command’s photo, not as text', () => {
    const resolved = {
      attachments: {
        '55': { id: '55', filename: 'tea.jpg', size: 1, url: 'https://cdn.discordapp.com/attachments/1/55/tea.jpg', proxy_url: 'x', content_type: 'image/jpeg' },
        '56': { id: '56', filename: 'notes.pdf', size: 1, url: 'https://cdn.discordapp.com/attachments/1/56/notes.pdf', proxy_url: 'x', content_type: 'application/pdf' },
      },
    } as any;
    const options = [
      { name: 'text', type: ApplicationCommandOptionType.String, value: 'Lovely tea' },
      { name: 'photo', type: ApplicationCommandOptionType.Attachment, value: '55' },
      { name: 'buy', type: ApplicationCommandOptionType.Integer, value: 3 },
    ] as any;
    expect(commandArgs('share', options, resolved)).toEqual({ args: '#3 Lovely tea', mentions: [], attachments: [{ kind: 'photo', fileId: 'https://cdn.discordapp.com/attachments/1/55/tea.jpg' }] });
    expect(commandArgs('share', [{ name: 'photo', type: ApplicationCommandOptionType.Attachment, value: '56' }] as any, resolved).attachments).toEqual([]);
    const share = bodies().find((b) => b.name === 'share') as any;
    if (share) expect(share.options.find((o: any) => o.name === 'photo')).toMatchObject({ type: ApplicationCommandOptionType.Attachment, required: false });
  });
});
