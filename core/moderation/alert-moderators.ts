/**
 * Alerts go privately to the group's admins (as the platform lists them) and its moderators (/mod), each in their
 * own language: one message per case with its picture (./case-picture.ts) and buttons, or one digest for the cases
 * held back by the hourly limit. Run after the scan's commit (listing admins asks the platform, drawing takes a
 * moment): the cases were marked alerted in that commit, so two processes never alert one case twice.
 */
import { memberLanguage, Outbox } from '../context.js';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { KernelServices } from '../kernel/module.js';
import type { PictureRenderer } from '../ports.js';
import type { Button, Reply } from '../replies.js';
import type { StoreTx } from '../store.js';
import { casePictureSvg, type CasePictureAccount } from './case-picture.js';
import { caseLine, kindName, renderCase } from './case-text.js';
import { digestPictureSvg, type DigestPictureCase } from './digest-picture.js';
import type { FlagCaseRecord } from './moderation-store.js';
import type { CaseUpdate } from './scan-group.js';

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

/** The case's picture in one language, as SVG: its likes against time beside the accounts' ages; `fresh` marked new. */
export async function caseSvg(reader: StoreTx, flagCase: FlagCaseRecord, timeZone: string, lang: Language, fresh: readonly string[] = []): Promise<string> {
  const memberIds = flagCase.members.map((m) => m.memberId);
  const shares = [...new Set(flagCase.evidence.posts)];
  const likes = (await reader.moderation.caseLikes(flagCase.groupId, shares.filter((p) => /^\d+$/.test(p)).map(Number), memberIds)).map((l) => ({ account: l.memberId, share: String(l.shareId), at: l.at }));
  const since = await reader.moderation.membersSince(flagCase.groupId, memberIds);
  const firstLike = (id: string) => likes.find((l) => l.account === id)?.at.getTime() ?? Infinity;
  const accounts: CasePictureAccount[] = flagCase.members
    .map((m) => ({ id: m.memberId, name: m.displayName, ageHours: flagCase.evidence.accountAgeHours?.[m.memberId] ?? null, joinedAt: since.get(m.memberId) ?? null, isNew: fresh.includes(m.memberId) }))
    .sort((a, b) => firstLike(a.id) - firstLike(b.id) || a.id.localeCompare(b.id));
  return casePictureSvg({ caseId: flagCase.id, kind: flagCase.kind, lang, timeZone, accounts, shares, likes }).svg;
}

/** Pictures drawn once per case, language and marked accounts, outside any transaction; null when drawing failed (logged). */
function pictureCache(services: KernelServices, renderer: PictureRenderer | undefined) {
  const drawn = new Map<string, Promise<Uint8Array | null>>();
  return (key: string, svg: () => Promise<string>): Promise<Uint8Array | null> => {
    if (!renderer) return Promise.resolve(null);
    let picture = drawn.get(key);
    if (!picture) {
      picture = svg()
        .then((text) => renderer.png(text))
        .catch((error: unknown) => {
          services.logger.warn({ err: error instanceof Error ? error.message : String(error), picture: key }, 'could not draw the case picture; alerting with text only');
          return null;
        });
      drawn.set(key, picture);
    }
    return picture;
  };
}

/** A photo when there is a picture, else the same words and buttons as a message. */
function pictureOrText(to: { memberId: string }, filename: string, picture: Uint8Array | null, text: string, buttons: Button[][]): Reply {
  return picture ? { kind: 'photo', to, filename, data: picture, text, buttons } : { kind: 'message', to, text, buttons };
}

/** An update's words: who the case gained since moderators were alerted, then the case as it is now. */
export async function renderUpdate(tx: StoreTx, flagCase: FlagCaseRecord, added: readonly string[], lang: Language, groupTitle: string): Promise<{ text: string; buttons: Button[][] }> {
  const shown = await renderCase(tx, flagCase, lang, groupTitle);
  const names = flagCase.members.filter((m) => added.includes(m.memberId)).map((m) => m.displayName);
  const title = t(lang, 'flag.update_title', { group: groupTitle, id: flagCase.id, kind: kindName(flagCase.kind, lang), count: names.length, names: names.join(', ') });
  return { text: [title, ...shown.text.split('\n').slice(1)].join('\n'), buttons: shown.buttons };
}

/**
 * One message per case to each admin and moderator, in their language, with its picture and Dismiss, Confirm and
 * Members; for an alerted case that gained accounts, one update naming them (marked in the picture). Without a
 * renderer, or when drawing fails, the message goes as text alone (the failure is logged).
 */
export async function alertModerators(services: KernelServices, cases: FlagCaseRecord[], renderer?: PictureRenderer, updates: CaseUpdate[] = []): Promise<void> {
  const { store } = services;
  const out = new Outbox();
  const picture = pictureCache(services, renderer);
  const messages = [...cases.map((flagCase) => ({ flagCase, added: null as string[] | null })), ...updates.map((u) => ({ flagCase: u.flagCase, added: u.added }))];
  for (const { flagCase, added } of messages) {
    const group = await store.getGroup(flagCase.groupId);
    if (!group) continue;
    // The flagged accounts never hear of their own case, even when one is an admin.
    const flagged = new Set(flagCase.members.map((m) => m.memberId));
    for (const memberId of (await recipients(services, flagCase.groupId, flagCase.chatId)).filter((id) => !flagged.has(id))) {
      const lang = memberLanguage((await store.getMember(memberId)) ?? { language: null }, group, services.defaultLanguage);
      const shown = added ? await renderUpdate(store, flagCase, added, lang, group.title ?? '') : await renderCase(store, flagCase, lang, group.title ?? '');
      const png = await picture(`${flagCase.id}:${lang}:${added ? 'update' : 'alert'}`, () => caseSvg(store, flagCase, group.timeZone, lang, added ?? []));
      out.push(pictureOrText({ memberId }, `case-${flagCase.id}.png`, png, shown.text, shown.buttons));
    }
  }
  await services.dispatch(out);
}

/** The buttons that open each of the digest's cases (a row of five; the rest by `/flags <id>`). */
export const DIGEST_BUTTONS = 10;
function digestButtons(cases: FlagCaseRecord[], lang: Language): Button[][] {
  const buttons = cases.slice(0, DIGEST_BUTTONS).map((c): Button => ({ label: t(lang, 'flag.button_show', { id: c.id }), action: `mod:show:${c.id}` }));
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
  return rows;
}

/**
 * The digest job: the group's open cases not alerted yet, and alerted ones that gained accounts since (naming only
 * those), in one message to each admin and moderator with an overview picture (./digest-picture.ts) and a button
 * per case that shows it whole, with its own picture and buttons (as `/flags <id>` does).
 */
export async function sendDigest(services: KernelServices, groupId: string, renderer?: PictureRenderer): Promise<void> {
  const { held, grown } = await services.store.transaction(async (tx) => {
    await tx.moderation.lockScans(groupId);
    const now = services.clock.now();
    const unalerted = await tx.moderation.listUnalerted(groupId);
    const grownCases = (await tx.moderation.listCases(groupId, 'open'))
      .filter((c) => c.alertedAt !== null && c.members.some((m) => !m.announced))
      .map((c) => ({ flagCase: c, added: c.members.filter((m) => !m.announced).map((m) => m.memberId) }))
      .sort((a, b) => a.flagCase.id - b.flagCase.id);
    if (unalerted.length) await tx.moderation.markAlerted(unalerted.map((c) => c.id), now);
    for (const c of unalerted) await tx.moderation.recordNotice({ caseId: c.id, groupId, kind: 'digest', accounts: c.members.map((m) => m.memberId), at: now });
    for (const u of grownCases) await tx.moderation.recordNotice({ caseId: u.flagCase.id, groupId, kind: 'digest', accounts: u.added, at: now });
    return { held: unalerted, grown: grownCases };
  });
  const group = await services.store.getGroup(groupId);
  const all = [...held, ...grown.map((u) => u.flagCase)];
  if (all.length === 0 || !group) return;
  const picture = pictureCache(services, renderer);
  const out = new Outbox();
  const flagged = new Set(all.flatMap((c) => c.members.map((m) => m.memberId)));
  for (const memberId of (await recipients(services, groupId, all[0]!.chatId)).filter((id) => !flagged.has(id))) {
    const lang = memberLanguage((await services.store.getMember(memberId)) ?? { language: null }, group, services.defaultLanguage);
    const lines = held.length
      ? [t(lang, 'flag.digest_title', { group: group.title ?? '', count: held.length }), ...held.map((c) => caseLine(c, lang))]
      : [t(lang, 'flag.digest_grown_title', { group: group.title ?? '' })];
    if (held.length && grown.length) lines.push(t(lang, 'flag.digest_grown_heading'));
    for (const { flagCase, added } of grown) {
      const names = flagCase.members.filter((m) => added.includes(m.memberId)).map((m) => m.displayName);
      lines.push(t(lang, 'flag.digest_grown_line', { id: flagCase.id, kind: kindName(flagCase.kind, lang), count: names.length, names: names.join(', ') }));
    }
    lines.push(t(lang, 'flag.digest_hint'));
    const png = await picture(`digest:${lang}`, async () => digestPictureSvg({ lang, cases: await digestRows(services.store, held, grown) }).svg);
    out.push(pictureOrText({ memberId }, `cases-${groupId.replace(/[^\w-]/g, '_')}.png`, png, lines.join('\n'), digestButtons(all, lang)));
  }
  await services.dispatch(out);
}

/** The digest picture's rows: each case's accounts (ages, new ones marked) and likes. */
async function digestRows(store: StoreTx, held: FlagCaseRecord[], grown: CaseUpdate[]): Promise<DigestPictureCase[]> {
  const rows: DigestPictureCase[] = [];
  for (const { flagCase, added } of [...held.map((flagCase) => ({ flagCase, added: [] as string[] })), ...grown]) {
    const shares = [...new Set(flagCase.evidence.posts)];
    const likes = await store.moderation.caseLikes(flagCase.groupId, shares.filter((p) => /^\d+$/.test(p)).map(Number), flagCase.members.map((m) => m.memberId));
    rows.push({
      id: flagCase.id,
      kind: flagCase.kind,
      accounts: flagCase.members.map((m) => ({ ageHours: flagCase.evidence.accountAgeHours?.[m.memberId] ?? null, isNew: added.includes(m.memberId) })),
      likes: likes.map((l) => ({ share: shares.indexOf(String(l.shareId)), at: l.at })),
    });
  }
  return rows;
}
