/**
 * Badges: each has one rule anyone can read in /me and the README, is earned once per group and announced once
 * (the award is a row with a unique key, so a repeated check never announces twice).
 */
import type { Language } from '../kernel/language.js';
import type { UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import { announce } from './announce.js';
import type { PointSource } from './point-sources.js';
import { readPointsSettings, type PointsSettings } from './points-settings.js';

export const BADGES = ['first_share', 'first_review', 'streak_7', 'helpful'] as const;
export type Badge = (typeof BADGES)[number];

type Rule = (env: UseCaseEnv, groupId: string, memberId: string, settings: PointsSettings) => Promise<boolean>;

const rules: Record<Badge, Rule> = {
  first_share: async (env, g, m) => (await env.tx.points.sharesBy(g, m)) > 0,
  // Reviews pay their points straight into the ledger with reason `review` (core/reviews): any review counts.
  first_review: async (env, g, m) => env.tx.points.hasEntry(g, m, 'review'),
  streak_7: async (env, g, m) => ((await env.tx.points.lastCheckIn(g, m))?.streak ?? 0) >= 7,
  helpful: async (env, g, m, settings) => {
    const given = await env.tx.points.likesGiven(g, m);
    return given.likes >= settings.helpful.likes && given.authors >= settings.helpful.members;
  },
};

/** The badges an award from a source may have just earned. */
export function badgesAfter(source: PointSource): Badge[] {
  switch (source) {
    case 'share':
      return ['first_share'];
    case 'review':
    case 'review_rich':
      return ['first_review'];
    case 'checkin':
    case 'checkin_streak_bonus':
      return ['streak_7'];
    case 'like_given':
      return ['helpful'];
    default:
      return [];
  }
}

/** A badge's name and rule in one language, e.g. "互助达人 Helpful member". */
export function badgeName(lang: Language, badge: Badge): string {
  return t(lang, `points.badge.${badge}`);
}

export function badgeRule(lang: Language, badge: Badge, settings: PointsSettings): string {
  return badge === 'helpful' ? t(lang, 'points.badge_rule.helpful', settings.helpful) : t(lang, `points.badge_rule.${badge}`);
}

/** Awards (and announces in the group) every badge among `which` the member now qualifies for. Returns the new ones. */
export async function checkBadges(env: UseCaseEnv, groupId: string, memberId: string, which: readonly Badge[] = BADGES): Promise<Badge[]> {
  if (which.length === 0) return [];
  const held = new Set((await env.tx.points.listBadges(groupId, memberId)).map((b) => b.badge));
  const open = which.filter((badge) => !held.has(badge));
  if (open.length === 0) return [];
  const { settings } = readPointsSettings(await env.tx.points.getSettings(groupId));
  const earned: Badge[] = [];
  for (const badge of open) {
    if (!(await rules[badge](env, groupId, memberId, settings))) continue;
    if (await env.tx.points.awardBadge(groupId, memberId, badge, env.now)) earned.push(badge);
  }
  if (earned.length > 0) {
    const name = (await env.tx.getMember(memberId))?.displayName ?? memberId;
    for (const badge of earned) {
      await announce(env, groupId, memberId, (lang) => t(lang, 'points.badge_earned', { name, badge: badgeName(lang, badge), rule: badgeRule(lang, badge, settings) }));
    }
  }
  return earned;
}
