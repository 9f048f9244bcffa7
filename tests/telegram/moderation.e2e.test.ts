/**
 * The fake-engagement moderation scenarios (tests/scenarios/moderation.scenarios.ts) played end to end on Telegram:
 * the real grammY bot over HTTP against the fake Bot API server, wired to a real Core on a real test database. Then
 * what only Telegram shows: the case's picture is a PNG uploaded with sendPhoto (multipart), carrying the buttons;
 * a member forging a press of a moderator's button is refused.
 */
import { describe, expect, it } from 'vitest';
import { casePictureSize } from '../../core/moderation/case-picture.js';
import { burstOnAliceShare, moderationCast, moderationScenarios } from '../scenarios/moderation.scenarios.js';
import { useTelegramWorld } from '../support/platform-world.js';
import { pngSize } from '../support/png.js';
import { describeScenarios } from '../support/scenario-runner.js';
import { TelegramDriver } from '../support/telegram-driver.js';

describeScenarios('fake-engagement moderation on Telegram', moderationScenarios, () => new TelegramDriver());

describe('fake-engagement alerts on Telegram', () => {
  const t = useTelegramWorld(moderationCast);

  it('upload the case picture with sendPhoto, with the buttons under it; a forged press by a member is refused', { timeout: 180_000 }, async () => {
    await t.play(burstOnAliceShare);
    const { server } = t.driver;
    const admin = t.driver.user('admin');
    const [call, ...more] = server.calls('sendPhoto').filter((c) => c.params.chat_id === admin.id);
    expect(more).toEqual([]);
    const [file] = call!.params.files as { field: string; filename: string; content: Buffer }[];
    expect(file).toMatchObject({ field: 'photo', filename: 'case-1.png' });
    expect(pngSize(new Uint8Array(file!.content))).toEqual(casePictureSize(8));
    const alert = server.botMessages(admin.id).find((m) => m.photo)!;
    // The caption fits: the picture carries the text and the buttons; else they follow in the next message.
    const withButtons = alert.reply_markup ? alert : server.botMessages(admin.id).find((m) => m.message_id === alert.message_id + 1)!;
    expect(withButtons.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);

    // A member replays the admin's Confirm (a forged callback): refused, nothing changes.
    const pat = t.driver.user('p1');
    const forged = server.press(pat, withButtons, { data: 'mod:confirm:1' });
    const refusal = await server.waitForCall('answerCallbackQuery', (p) => p.callback_query_id === forged.callback_query!.id, 15_000);
    expect(refusal.params.text).toBe('Sorry, only group admins and moderators can do that.');
    expect((await t.world.db.prisma.flagCase.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('open');
    expect(await t.world.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(0);
  });

  it('/flags <id> uploads the case picture privately with sendPhoto, buttons under it, and says so in the group', { timeout: 180_000 }, async () => {
    await t.play([...burstOnAliceShare, { as: 'admin', command: '/flags 1' }]);
    const { server } = t.driver;
    const admin = t.driver.user('admin');
    const calls = server.calls('sendPhoto').filter((c) => c.params.chat_id === admin.id);
    expect(calls).toHaveLength(2);
    const [file] = calls[1]!.params.files as { field: string; filename: string; content: Buffer }[];
    expect(file).toMatchObject({ field: 'photo', filename: 'case-1.png' });
    expect(pngSize(new Uint8Array(file!.content))).toEqual(casePictureSize(8));
    const shown = server.botMessages(admin.id).filter((m) => m.photo).at(-1)!;
    const withButtons = shown.reply_markup ? shown : server.botMessages(admin.id).find((m) => m.message_id === shown.message_id + 1)!;
    expect(withButtons.reply_markup!.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : ''))).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
  });
});
