import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandInfos } from '../../core/features.js';
import { guildArgument, registerSlashCommands } from '../../bots/discord/register-commands.js';
import { FakeDiscordServer } from '../support/fake-discord-server.js';

let server: FakeDiscordServer;
beforeEach(async () => {
  server = await FakeDiscordServer.start();
});
afterEach(() => server.close());

const register = (guildId?: string) =>
  registerSlashCommands({ token: server.token, applicationId: server.applicationId, apiBase: server.apiBase, ...(guildId ? { guildId } : {}), english: commandInfos('en'), chinese: commandInfos('zh-CN') });

describe('discord:register', () => {
  it('overwrites the global commands with every core command, localized', async () => {
    const count = await register();
    const [put] = server.calls((c) => c.method === 'PUT');
    expect(put!.path).toBe(`/applications/${server.applicationId}/commands`);
    // Every listed command, plus /start (unlisted in the core, but Discord has no /start of its own) and the
    // "Share photo" message command.
    expect(count).toBe(commandInfos('en').filter((c) => c.listed !== false).length + 2);
    expect(put!.body.at(-2)).toMatchObject({ name: 'start', options: [{ name: 'topic', type: 3, required: false }] });
    expect(put!.body.at(-1)).toMatchObject({ type: 3, name: 'Share photo', name_localizations: { 'zh-CN': '晒单' } });
    const join = put!.body.find((c: any) => c.name === 'join');
    expect(join).toMatchObject({
      type: 1,
      name_localizations: { 'zh-CN': '参团', 'en-US': 'join' },
      description_localizations: { 'zh-CN': expect.stringMatching(/[\u4e00-\u9fff]/), 'en-US': expect.any(String) },
      options: [{ name: 'quantity', type: 4, min_value: 1 }, { name: 'buy', type: 4 }, { name: 'variant', type: 3 }, { name: 'note', type: 3 }],
    });
  });

  it('registers for one guild with --guild', async () => {
    const guildId = '1290000000000000100';
    await register(guildArgument(['--guild', guildId]));
    expect(server.calls((c) => c.method === 'PUT').map((c) => c.path)).toEqual([`/applications/${server.applicationId}/guilds/${guildId}/commands`]);
    expect(guildArgument(['--guild=1290000000000000100'])).toBe(guildId);
    expect(guildArgument([])).toBeUndefined();
    expect(() => guildArgument(['--guild'])).toThrow(/--guild needs a guild id/);
  });
});
