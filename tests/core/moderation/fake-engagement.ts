/**
 * Histories the real detector (core/moderation/detect.ts, ADR 011) flags, and honest ones it must leave alone, played
 * through the core as members would: presses of Like on share cards, shares, check-ins, rounds.
 *
 * - A bought burst: at least 8 accounts new to the group (first seen at their like) liking one share within an hour
 *   of joining, their likes at most 15 minutes apart, making at least half its likes meanwhile (detect-burst.ts).
 * - A ring: at least 5 accounts liking the same 3 or more customers' shares, each share's likes within minutes
 *   (lockstep), the customers not liking back; a third of them older members (detect-lockstep.ts, detect.ts).
 * - Honest: a friend squad (5 friends liking each other's shares within minutes, often), a like round the bot ran,
 *   a popular share liked by older members over hours.
 */
import type { Actor } from '../../../core/events.js';
import { DAY, MINUTE, type CoreHarness } from '../../support/core-harness.js';
import { share } from '../likes/likes-helpers.js';

/** `n` accounts (`tg:<base + i>`), named `<name> <i + 1>` with usernames `<name><i + 1>` in lower case. */
export function accounts(n: number, base: number, name: string, languageCode = 'en'): Actor[] {
  return Array.from({ length: n }, (_, i) => ({ id: `tg:${base + i}`, displayName: `${name} ${i + 1}`, username: `${name.toLowerCase().replace(/\W/g, '')}${i + 1}`, languageCode }));
}

/** The newest share's id. */
export async function lastShareId(h: CoreHarness): Promise<number> {
  return (await h.db.prisma.share.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
}

/** `actor` shares `text` in the group; returns the share's id. */
export async function shares(h: CoreHarness, actor: Actor, text: string): Promise<number> {
  await share(h, actor, text);
  return lastShareId(h);
}

/** Each account likes the share, `gapMs` apart (the clock moves; no job runs). */
export async function likeInTurn(h: CoreHarness, shareId: number, likers: readonly Actor[], gapMs = MINUTE): Promise<void> {
  for (const actor of likers) {
    await h.press(actor, `lk:${shareId}`);
    h.clock.advance(gapMs);
  }
}

/** Members who have been in the group for a while: each checks in, then two days pass. */
export async function oldMembers(h: CoreHarness, members: readonly Actor[]): Promise<void> {
  for (const actor of members) await h.command(actor, '/checkin');
  h.clock.advance(2 * DAY);
}

/** A bought burst on `shareId`: the accounts, new to the group, like it a minute apart. */
export async function boughtBurst(h: CoreHarness, shareId: number, puppets: readonly Actor[]): Promise<void> {
  await likeInTurn(h, shareId, puppets);
}

/**
 * A ring at work: each customer shares, and the ring likes the share within minutes (`gapMs` apart), the shares
 * `spacingMs` apart. Returns the shares' ids.
 */
export async function ringLikes(h: CoreHarness, customers: readonly Actor[], ring: readonly Actor[], options: { gapMs?: number; spacingMs?: number } = {}): Promise<number[]> {
  const ids: number[] = [];
  for (const customer of customers) {
    const id = await shares(h, customer, `${customer.displayName}'s strawberries`);
    ids.push(id);
    await likeInTurn(h, id, ring, options.gapMs ?? MINUTE);
    h.clock.advance(options.spacingMs ?? 30 * MINUTE);
  }
  return ids;
}

/**
 * A friend squad: each friend shares (saying `text(i)`), and the other friends like it within minutes; then the next
 * friend shares half an hour later.
 */
export async function friendSquad(h: CoreHarness, friends: readonly Actor[], text: (i: number) => string): Promise<void> {
  for (const [i, author] of friends.entries()) {
    const id = await shares(h, author, text(i));
    await likeInTurn(h, id, friends.filter((f) => f !== author), 2 * MINUTE);
    h.clock.advance(30 * MINUTE);
  }
}

/** A like round the bot ran (opened by `admin`): each member shares and drops, then likes every other share. */
export async function likeRound(h: CoreHarness, admin: Actor, members: readonly Actor[]): Promise<void> {
  await h.command(admin, '/likeround 2h');
  const ids: number[] = [];
  for (const m of members) {
    ids.push(await shares(h, m, `${m.displayName} in the round`));
    await h.command(m, '/drop');
  }
  for (const [i, m] of members.entries()) {
    for (const [k, id] of ids.entries()) if (k !== i) await h.press(m, `lk:${id}`);
    h.clock.advance(2 * MINUTE);
  }
}
