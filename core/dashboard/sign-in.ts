/**
 * Signing in to the dashboard without passwords: `/dashboard` in a group sends its admin or moderator a one-time
 * link privately (ADR 020). The link is for that person and that group, good for LINK_TTL_MINUTES, used once; using
 * it opens a session (or adds the group to the browser's session of the same person). Tokens are stored hashed.
 */
import { memberLanguage, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { t } from '../i18n/translate.js';
import type { StoreTx } from '../store.js';
import { LINK_TTL_MINUTES, SESSION_TTL_HOURS, type DashboardAccess } from './dashboard-access.js';
import type { DashboardSessionRecord } from './dashboard-store.js';

/** `/dashboard` (admins and moderators, in a group; the kernel checked who): the sign-in link, privately. */
export async function sendDashboardLink(ctx: HandlerContext, access: DashboardAccess | undefined): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const base = access?.baseUrl();
  if (!access || !base) throw new UserError('dashboard.off');
  const token = access.newToken();
  await ctx.tx.dashboard.createLink({
    tokenHash: access.hashToken(token), memberId: ctx.member.id, groupId: ctx.group.id, chatId: ctx.event.chat.id,
    createdAt: ctx.now, expiresAt: new Date(ctx.now.getTime() + LINK_TTL_MINUTES * 60_000),
  });
  const lang = memberLanguage(ctx.member, ctx.group, ctx.lang);
  const url = `${base.replace(/\/+$/, '')}/signin/${token}`;
  ctx.out.push({
    kind: 'message', to: { memberId: ctx.member.id }, private: true,
    text: t(lang, 'dashboard.link', { url, minutes: LINK_TTL_MINUTES, group: ctx.group.title ?? '' }),
  });
}

export type SignInResult =
  | { ok: true; session: DashboardSessionRecord; groupId: string; /** Set when a new session began: the cookie's value. */ newToken?: string }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * Exchanges a link's token for a session. A browser already signed in as the same person keeps its session and
 * gains the group; anyone else gets a new session (a link never joins someone else's session).
 */
export async function signIn(tx: StoreTx, access: DashboardAccess, token: string, now: Date, current: DashboardSessionRecord | null): Promise<SignInResult> {
  // Housekeeping where it costs nothing extra: links and sessions past their end for a day are deleted.
  await tx.dashboard.deleteExpired(new Date(now.getTime() - 24 * 3_600_000));
  const claimed = await tx.dashboard.claimLink(access.hashToken(token), now);
  if (!claimed.ok) return claimed;
  const { link } = claimed;
  const group = { groupId: link.groupId, chatId: link.chatId };
  if (current && current.memberId === link.memberId && current.expiresAt > now) {
    await tx.dashboard.addSessionGroup(current.id, group, now);
    return { ok: true, session: { ...current, groups: [...current.groups.filter((g) => g.groupId !== group.groupId), group] }, groupId: link.groupId };
  }
  const newToken = access.newToken();
  const session = await tx.dashboard.createSession({
    tokenHash: access.hashToken(newToken), memberId: link.memberId, csrfToken: access.newToken(),
    createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_HOURS * 3_600_000),
  });
  await tx.dashboard.addSessionGroup(session.id, group, now);
  return { ok: true, session: { ...session, groups: [group] }, groupId: link.groupId, newToken };
}

/** The session a cookie names, if it exists and has not expired. */
export async function currentSession(tx: StoreTx, access: DashboardAccess, token: string | undefined, now: Date): Promise<DashboardSessionRecord | null> {
  if (!token) return null;
  const session = await tx.dashboard.getSession(access.hashToken(token));
  return session && session.expiresAt > now ? session : null;
}
