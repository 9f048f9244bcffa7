/**
 * Alerts go privately to the group's admins (as the platform lists them) and its moderators (/mod), each in their
 * own language: one message per case with its buttons, or one digest for the cases held back by the hourly limit.
 * Run after the scan's commit (listing admins asks the platform); the cases were marked alerted in that commit, so
 * two processes never alert one case twice.
 */
import { memberLanguage, Outbox } from '../context.js';
import { t } from '../i18n/translate.js';
import type { KernelServices } from '../kernel/module.js';
import { caseLine, renderCase } from './case-text.js';
import type { FlagCaseRecord } from './moderation-store.js';

async function recipients(services: KernelServices, groupId: string, chatId: string): Promise<string[]> {
  let admins: string[] = [];
  try {
    admins = await services.listChatAdmins(chatId);
  } catch (error) {
    services.logger.warn({ err: error instanceof Error ? error.message : String(error), chatId }, 'could not list chat admins; alerting moderators only');
  }
  const moderators = await services.store.moderation.listModerators(groupId);
  return [...new Set([...admins, ...moderators])];
}

/** One message per case to each admin and moderator, in their language, with Dismiss, Confirm and Members. */
export async function alertModerators(services: KernelServices, cases: FlagCaseRecord[]): Promise<void> {
  const { store } = services;
  const out = new Outbox();
  for (const flagCase of cases) {
    const group = await store.getGroup(flagCase.groupId);
    if (!group) continue;
    // The flagged accounts never hear of their own case, even when one is an admin.
    const flagged = new Set(flagCase.members.map((m) => m.memberId));
    for (const memberId of (await recipients(services, flagCase.groupId, flagCase.chatId)).filter((id) => !flagged.has(id))) {
      const lang = memberLanguage((await store.getMember(memberId)) ?? { language: null }, group, services.defaultLanguage);
      const alert = await renderCase(store, flagCase, lang, group.title ?? '');
      out.push({ kind: 'message', to: { memberId }, text: alert.text, buttons: alert.buttons });
    }
  }
  await services.dispatch(out);
}

/** The digest job: the group's open cases not alerted yet, in one message to each admin and moderator. */
export async function sendDigest(services: KernelServices, groupId: string): Promise<void> {
  const held = await services.store.transaction(async (tx) => {
    await tx.moderation.lockScans(groupId);
    const cases = await tx.moderation.listUnalerted(groupId);
    if (cases.length) await tx.moderation.markAlerted(cases.map((c) => c.id), services.clock.now());
    return cases;
  });
  const group = await services.store.getGroup(groupId);
  if (held.length === 0 || !group) return;
  const out = new Outbox();
  for (const memberId of await recipients(services, groupId, held[0]!.chatId)) {
    const lang = memberLanguage((await services.store.getMember(memberId)) ?? { language: null }, group, services.defaultLanguage);
    const lines = [t(lang, 'flag.digest_title', { group: group.title ?? '', count: held.length }), ...held.map((c) => caseLine(c, lang)), t(lang, 'flag.flags_hint')];
    out.push({ kind: 'message', to: { memberId }, text: lines.join('\n') });
  }
  await services.dispatch(out);
}
