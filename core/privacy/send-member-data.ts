import { memberLanguage, replyInChat, say, type HandlerContext } from '../context.js';
import type { MentionedMember } from '../events.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { MemberData } from './privacy-store.js';
import { dataSubject } from './subject.js';

/** The file a member's data is sent as. */
export const MEMBER_DATA_FILENAME = 'my-data.json';

/**
 * `/mydata`: everything the bot holds about the member, sent to them privately as a JSON file (every row of every
 * table that refers to them) with a readable summary in their language. An admin may run it for a member who asked
 * (`/mydata @bob` in the group): the data still goes to that member, never to the admin (an access request is
 * answered to the person the data is about), and the request is audited.
 */
export async function sendMemberData(ctx: HandlerContext, typed: string, mentions: MentionedMember[]): Promise<void> {
  const { member, self } = await dataSubject(ctx, typed, mentions);
  const data = await ctx.tx.privacy.memberData(member.id);
  // The group's language is for the group; a private message is in the member's own.
  const lang = self && !ctx.group ? ctx.lang : memberLanguage(member, ctx.group, ctx.defaultLanguage);
  const file = { about: t(lang, 'privacy.file_about'), generatedAt: ctx.now.toISOString(), ...data };
  ctx.out.push({ kind: 'message', to: { memberId: member.id }, text: dataSummary(lang, data) });
  ctx.out.push({
    kind: 'document',
    to: { memberId: member.id },
    filename: MEMBER_DATA_FILENAME,
    mimeType: 'application/json',
    content: `${JSON.stringify(file, null, 2)}\n`,
    caption: t(lang, 'privacy.file_caption'),
  });
  if (!self && ctx.group) {
    await ctx.tx.logAdminAction({ groupId: ctx.group.id, actorId: ctx.member.id, action: 'privacy.access', detail: { memberId: member.id }, at: ctx.now });
    replyInChat(ctx, say(ctx, 'privacy.sent_to_member', { name: member.displayName }));
  }
}

/** What the file holds, in words: who the member is to the bot and how many of each thing it keeps. */
export function dataSummary(lang: Language, data: MemberData): string {
  const rows = (table: string) => data.tables[table] ?? [];
  const count = (table: string) => rows(table).length;
  const [member] = rows('Member');
  const mine = (table: string, column: string) => rows(table).filter((r) => r[column] === data.memberId).length;
  const points = rows('PointEntry').filter((r) => r.memberId === data.memberId).reduce((sum, r) => sum + Number(r.amount ?? 0), 0);
  return [
    t(lang, 'privacy.summary_title'),
    t(lang, 'privacy.summary_identity', {
      name: String(member?.displayName ?? ''),
      username: member?.username ? ` (@${String(member.username)})` : '',
      id: data.memberId,
      language: String(member?.language ?? '-'),
    }),
    t(lang, 'privacy.summary_orders', { groups: count('GroupMember'), signUps: count('SignUp'), purchases: count('Purchase') }),
    t(lang, 'privacy.summary_points', { entries: mine('PointEntry', 'memberId'), points, badges: count('BadgeAward'), checkIns: count('CheckIn') }),
    t(lang, 'privacy.summary_posts', { reviews: count('Review'), shares: count('Share'), likes: mine('LikeEvent', 'likerId') }),
    t(lang, 'privacy.summary_other', { reminders: count('ReminderPlan') + count('ReviewRequest'), flags: count('FlagCaseMember') + count('MemberWarning') }),
    t(lang, 'privacy.summary_footer', { file: MEMBER_DATA_FILENAME }),
  ].join('\n');
}
