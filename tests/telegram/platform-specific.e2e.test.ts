/**
 * What only Telegram does, beside the shared scenarios (tests/scenarios/, played by the other e2e files here): a share
 * card is a photo message whose caption is edited in place, photos and videos sent privately are review media, and a
 * chat's admins are listed once per cache period. The real grammY bot against the fake Bot API server, on a real Core.
 */
import { describe, expect, it } from 'vitest';
import { decodeUpdate } from '../../bots/telegram/decode.js';
import { aliceSharesAPhoto } from '../scenarios/likes.scenarios.js';
import { useTelegramWorld } from '../support/platform-world.js';

const t = useTelegramWorld({
  anna: { name: 'Anna', username: 'anna', admin: true },
  alice: { name: 'Alice', username: 'alice' },
  bob: { name: 'Bob', username: 'bob' },
});

describe('share cards on Telegram', () => {
  it('are photo messages, liked by edits of their caption', async () => {
    await t.play([...aliceSharesAPhoto, { as: 'bob', press: 'lk' }, { expect: { card: [/❤️ 1 like\b/] } }]);
    const { server, group } = t.driver;
    const card = server.botMessages(group.id).find((m) => m.photo)!;
    expect(card.photo?.at(-1)?.file_id).toBe(t.driver.fileIdOf('berries.jpg'));
    const edits = server.calls('editMessageCaption').filter((call) => call.params.message_id === card.message_id);
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.at(-1)!.params.caption).toMatch(/❤️ 1 like\b/);
    expect(server.calls('editMessageText').filter((call) => call.params.message_id === card.message_id)).toEqual([]);
  });
});

describe('the Telegram pieces reviews need', () => {
  const context = () => ({ botId: t.driver.server.botInfo.id, botUsername: t.driver.server.botInfo.username, now: () => t.world.clock.now() });

  it('decodes photos and videos sent privately as text events with attachments, and ignores them in groups', () => {
    const { server, group } = t.driver;
    const alice = t.driver.user('alice');
    const photo = decodeUpdate(server.photo(alice, server.privateChat(alice), { caption: 'box', fileId: 'P1' }), context());
    expect(photo).toMatchObject([{ kind: 'text', text: 'box', attachments: [{ kind: 'photo', fileId: 'P1' }] }]);
    const video = decodeUpdate(server.video(alice, server.privateChat(alice), 17, { fileId: 'V1' }), context());
    expect(video).toMatchObject([{ kind: 'text', text: '', attachments: [{ kind: 'video', fileId: 'V1', durationSeconds: 17 }] }]);
    expect(decodeUpdate(server.photo(alice, group), context())).toEqual([]);
  });

  it("lists a chat's human admins once per cache period", async () => {
    const { server, group } = t.driver;
    const messenger = t.driver.handle!.messenger;
    const [anna, alice] = [t.driver.user('anna'), t.driver.user('alice')];
    server.setAdmins(group.id, [alice.id], anna.id);
    const before = server.calls('getChatAdministrators').length;
    expect(await messenger.listChatAdmins(`tg:${group.id}`)).toEqual([`tg:${anna.id}`, `tg:${alice.id}`]);
    expect(await messenger.listChatAdmins(`tg:${group.id}`)).toEqual([`tg:${anna.id}`, `tg:${alice.id}`]);
    expect(server.calls('getChatAdministrators').length - before).toBe(1);
    expect(await messenger.listChatAdmins(`tg:${alice.id}`)).toEqual([]);
  });
});
