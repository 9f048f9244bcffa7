/**
 * Where and in which language the points feature speaks to a whole group (level-ups, badges), also from use
 * cases run without an event in the group.
 */
import type { Language } from '../kernel/language.js';
import type { HandlerContext, UseCaseEnv } from '../context.js';

function eventContext(env: UseCaseEnv): HandlerContext | undefined {
  return 'event' in env ? (env as HandlerContext) : undefined;
}

/**
 * The chat to announce in: the chat the event came from when it belongs to the group; otherwise the group's own
 * id (on Telegram the group is its chat; a Discord guild needs an event in one of its channels).
 */
export function announceChat(env: UseCaseEnv, groupId: string): string {
  const event = eventContext(env)?.event;
  if (event?.chat.kind === 'group' && (event.chat.groupId ?? event.chat.id) === groupId) return event.chat.id;
  return groupId;
}

/**
 * The group's language; in a group where each member reads their own, the language of the member the news is
 * about (their level, their badge); else the actor's, else the default.
 */
export async function announceLanguage(env: UseCaseEnv, groupId: string, aboutMemberId: string): Promise<Language> {
  const ctx = eventContext(env);
  const group = ctx?.group?.id === groupId ? ctx.group : await env.tx.getGroup(groupId);
  if (group?.language) return group.language;
  return (await env.tx.getMember(aboutMemberId))?.language ?? ctx?.lang ?? env.defaultLanguage;
}

/** Posts news about a member in the group, worded in the language announceLanguage picks. */
export async function announce(env: UseCaseEnv, groupId: string, aboutMemberId: string, words: (lang: Language) => string): Promise<void> {
  const lang = await announceLanguage(env, groupId, aboutMemberId);
  env.out.push({ kind: 'message', to: { chatId: announceChat(env, groupId) }, text: words(lang) });
}
