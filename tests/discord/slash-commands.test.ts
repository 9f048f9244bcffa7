import { describe, expect, it } from 'vitest';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { commandInfos } from '../../core/features.js';
import { commandArgs, slashCommandBodies } from '../../bots/discord/slash-commands.js';

const bodies = () => slashCommandBodies(commandInfos('en'), commandInfos('zh-CN'));

describe('slash commands', () => {
  it('registers every command the core lists, then /start, then the message command', () => {
    const listed = commandInfos('en').filter((c) => c.listed !== false).map((c) => c.name);
    expect(bodies().map((b) => b.name)).toEqual([...listed, 'start', 'Share photo']);
  });

  it('adds /start, which the core takes but does not list, so `/start reviews` opts back in on Discord', () => {
    expect(commandInfos('en').filter((c) => c.listed === false).map((c) => c.name)).toEqual(['start']);
    const start = bodies().find((b) => b.name === 'start') as any;
    expect(start).toMatchObject({ name_localizations: { 'zh-CN': '开始' }, options: [{ name: 'topic', choices: [{ value: 'reviews' }, { value: 'reminders' }] }] });
    expect(start.description_localizations['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(commandArgs([{ name: 'topic', type: ApplicationCommandOptionType.String, value: 'reviews' }], undefined).options).toEqual({ topic: 'reviews' });
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

  it('derives every option from the core’s declaration, leaving out what only the text grammar produces', () => {
    for (const info of commandInfos('en')) {
      const body = bodies().find((b) => b.name === info.name) as any;
      expect(body.options.map((o: any) => o.name)).toEqual((info.args ?? []).filter((a) => !a.textOnly).map((a) => a.name));
    }
    const paid = bodies().find((b) => b.name === 'paid') as any;
    expect(paid.options.map((o: any) => [o.name, o.type])).toEqual([['member', ApplicationCommandOptionType.User], ['all', ApplicationCommandOptionType.Boolean], ['buy', ApplicationCommandOptionType.Integer]]);
  });

  it('hands typed options to the core as values by name, members by their core id, never as text', () => {
    const int = ApplicationCommandOptionType.Integer;
    const str = ApplicationCommandOptionType.String;
    expect(commandArgs([], undefined).options).toEqual({});
    expect(commandArgs([{ name: 'buy', type: int, value: 3 }, { name: 'quantity', type: int, value: 2 }], undefined).options).toEqual({ buy: 3, quantity: 2 });
    expect(commandArgs([{ name: 'all', type: ApplicationCommandOptionType.Boolean, value: true }], undefined).options).toEqual({ all: true });
    expect(
      commandArgs(
        [
          { name: 'title', type: str, value: 'Tea' },
          { name: 'price', type: str, value: '20' },
          { name: 'min', type: int, value: 2 },
        ],
        undefined,
      ).options,
    ).toEqual({ title: 'Tea', price: '20', min: 2 });
    const resolved = { users: { '7': { id: '7', username: 'bob', global_name: 'Bob', discriminator: '0', avatar: null } } } as any;
    expect(commandArgs([{ name: 'member', type: ApplicationCommandOptionType.User, value: '7' }], resolved)).toEqual({
      options: { member: 'dc:7' }, mentions: [{ id: 'dc:7', displayName: 'Bob', username: 'bob' }], attachments: [],
    });
  });

  it('asks for what the review commands need', () => {
    const review = bodies().find((b) => b.name === 'review') as any;
    // `/review <buy-id> <1-5> <text>`: the core refuses anything less, so Discord asks for all three.
    expect(review.options.map((o: any) => [o.name, o.required])).toEqual([['buy', true], ['rating', true], ['text', true]]);
    const config = bodies().find((b) => b.name === 'reviewconfig') as any;
    expect(config.options.map((o: any) => o.name)).toEqual(['setting', 'value', 'buy']);
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
    expect(commandArgs(options, resolved)).toEqual({ options: { text: 'Lovely tea', buy: 3 }, mentions: [], attachments: [{ kind: 'photo', fileId: 'https://cdn.discordapp.com/attachments/1/55/tea.jpg' }] });
    expect(commandArgs([{ name: 'photo', type: ApplicationCommandOptionType.Attachment, value: '56' }] as any, resolved).attachments).toEqual([]);
    const share = bodies().find((b) => b.name === 'share') as any;
    if (share) expect(share.options.find((o: any) => o.name === 'photo')).toMatchObject({ type: ApplicationCommandOptionType.Attachment, required: false });
  });
});
