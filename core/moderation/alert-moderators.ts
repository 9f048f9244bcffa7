/**
 * Alerts go privately to the group's admins (as the platform lists them) and its moderators (/mod), each in their
 * own language: one message per case with its picture (./case-picture.ts) and buttons, or one digest for the cases
 * held back by the hourly limit. Run after the scan's commit (listing admins asks the platform, drawing takes a
 * moment): the cases were marked alerted in that commit, so two processes never alert one case twice.
 */
import { memberLanguage, Outbox } from '../context.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { GroupRecord } from '../kernel/records.js';
import type { KernelServices } from '../kernel/module.js';
import type { PictureRenderer } from '../ports.js';
import { casePictureSvg, type CasePictureAccount } from './case-picture.js';
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

/** The case's picture in one language: its flagged likes against time beside the accounts' ages (PNG). */
async function drawCase(services: KernelServices, renderer: PictureRenderer, flagCase: FlagCaseRecord, group: GroupRecord, lang: Language): Promise<Uint8Array> {
  const { store } = services;
  const memberIds = flagCase.members.map((m) => m.memberId);
  const shares = [...new Set(flagCase.evidence.posts)];
  const likes = (await store.moderation.caseLikes(flagCase.groupId, shares.filter((p) => /^\d+$/.test(p)).map(Number), memberIds)).map((l) => ({ account: l.memberId, share: String(l.shareId), at: l.at }));
  const since = await store.moderation.membersSince(flagCase.groupId, memberIds);
  const firstLike = (id: string) => likes.find((l) => l.account === id)?.at.getTime() ?? Infinity;
  const accounts: CasePictureAccount[] = flagCase.members
    .map((m) => ({ id: m.memberId, name: m.displayName, ageHours: flagCase.evidence.accountAgeHours?.[m.memberId] ?? null, joinedAt: since.get(m.memberId) ?? null }))
    .sort((a, b) => firstLike(a.id) - firstLike(b.id) || a.id.localeCompare(b.id));
  const { svg } = casePictureSvg({ caseId: flagCase.id, kind: flagCase.kind, lang, timeZone: group.timeZone, accounts, shares, likes });
  return renderer.png(svg);
}

/**
 * One message per case to each admin and moderator, in their language, with its picture and Dismiss, Confirm and
 * Members. Without a renderer, or when drawing fails, the alert goes as text alone (the failure is logged).
 */
export async function alertModerators(services: KernelServices, cases: FlagCaseRecord[], renderer?: PictureRenderer): Promise<void> {
  const { store } = services;
  const out = new Outbox();
  for (const flagCase of cases) {
    const group = await store.getGroup(flagCase.groupId);
    if (!group) continue;
    // Drawn once per language the recipients read, outside any transaction.
    const pictures = new Map<Language, Promise<Uint8Array | null>>();
    const pictureIn = (lang: Language) => {
      if (!renderer) return Promise.resolve(null);
      let picture = pictures.get(lang);
      if (!picture) {
        picture = drawCase(services, renderer, flagCase, group, lang).catch((error: unknown) => {
          services.logger.warn({ err: error instanceof Error ? error.message : String(error), caseId: flagCase.id }, 'could not draw the case picture; alerting with text only');
          return null;
        });
        pictures.set(lang, picture);
      }
      return picture;
    };
    // The flagged accounts never hear of their own case, even when one is an admin.
    const flagged = new Set(flagCase.members.map((m) => m.memberId));
    for (const memberId of (await recipients(services, flagCase.groupId, flagCase.chatId)).filter((id) => !flagged.has(id))) {
      const lang = memberLanguage((await store.getMember(memberId)) ?? { language: null }, group, services.defaultLanguage);
      const alert = await renderCase(store, flagCase, lang, group.title ?? '');
      const picture = await pictureIn(lang);
      out.push(
        picture
          ? { kind: 'photo', to: { memberId }, filename: `case-${flagCase.id}.png`, data: picture, text: alert.text, buttons: alert.buttons }
          : { kind: 'message', to: { memberId }, text: alert.text, buttons: alert.buttons },
      );
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
