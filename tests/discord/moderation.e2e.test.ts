/**
 * The fake-engagement moderation scenarios (tests/scenarios/moderation.scenarios.ts) played end to end on Discord:
 * the real discord.js adapter against the fake gateway and REST server, on a real test database. Then what only
 * Discord shows: the case's picture is a PNG attachment of the DM that carries the alert's text and buttons; a
 * member pressing a moderator's button is refused.
 */
import { describe, expect, it } from 'vitest';
import { casePictureSize } from '../../core/moderation/case-picture.js';
import { burstOnAliceShare, moderationCast, moderationScenarios } from '../scenarios/moderation.scenarios.js';
import { DiscordDriver } from '../support/discord-driver.js';
import { useDiscordWorld } from '../support/platform-world.js';
import { pngSize } from '../support/png.js';
import { describeScenarios } from '../support/scenario-runner.js';

describeScenarios('fake-engagement moderation on Discord', moderationScenarios, () => new DiscordDriver());

describe('fake-engagement alerts on Discord', () => {
  const t = useDiscordWorld(moderationCast);

  it('attach the case picture to the DM with the text and buttons; a member pressing a moderator button is refused', { timeout: 180_000 }, async () => {
    await t.play(burstOnAliceShare);
    const { server } = t.driver;
    const channel = server.dmChannelOf(t.driver.user('admin'));
    const [call, ...more] = server.calls((c) => c.method === 'POST' && c.path === `/channels/${channel}/messages` && c.files.length > 0);
    expect(more).toEqual([]);
    expect(call!.files.map((f) => f.name)).toEqual(['case-1.png']);
    expect(pngSize(new Uint8Array(call!.files[0]!.content))).toEqual(casePictureSize(8));
    expect(call!.body.attachments).toEqual([{ id: 0, filename: 'case-1.png' }]);
    expect(call!.body.content).toMatch(/^⚠️ Possible fake likes in .*: case 1 \(like burst\)/);
    expect(call!.body.components.flatMap((row: { components: { custom_id: string }[] }) => row.components.map((b) => b.custom_id))).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);

    // A member presses Confirm on the admin's alert (a forged interaction): refused, nothing changes.
    const alert = server.channelMessages(channel).find((m) => m.attachments.length > 0)!;
    const pat = t.driver.user('p1');
    const press = server.pressButton(pat, alert, 'mod:confirm:1');
    const refusal = await waitFor(() => server.channelMessages(channel).find((m) => m.interactionId === press && !m.placeholder && m.content));
    expect(refusal).toMatchObject({ content: 'Sorry, only group admins and moderators can do that.', ephemeralTo: pat.id });
    expect((await t.world.db.prisma.flagCase.findUniqueOrThrow({ where: { id: 1 } })).status).toBe('open');
    expect(await t.world.db.prisma.likeEvent.count({ where: { action: 'void' } })).toBe(0);
  });

  it('/flags <id> answers the slash command privately with the case picture attached and the buttons', { timeout: 180_000 }, async () => {
    await t.play([...burstOnAliceShare, { as: 'admin', command: '/flags 1' }]);
    const { server } = t.driver;
    const admin = t.driver.user('admin');
    // The answer to the interaction (not a DM): shown to the admin only, where they typed the command.
    const shown = server.channelMessages(t.driver.guild.channelId).find((m) => m.ephemeralTo === admin.id && m.attachments.length > 0)!;
    expect(shown.attachments.map((a) => a.filename)).toEqual(['case-1.png']);
    expect(pngSize(new Uint8Array(shown.attachments[0]!.content))).toEqual(casePictureSize(8));
    expect(shown.content).toMatch(/^⚠️ Possible fake likes in .*: case 1 \(like burst\)/);
    expect(shown.components.flatMap((row: { components: { custom_id: string }[] }) => row.components.map((b) => b.custom_id))).toEqual(['mod:dismiss:1', 'mod:confirm:1', 'mod:members:1']);
  });
});

/** Polls until `check` gives something (15 s at most: a loaded machine is slow). */
async function waitFor<T>(check: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
