import type { Language } from '../kernel/language.js';
import { t } from '../i18n/translate.js';
import type { Button } from '../replies.js';
import { formatDateTime } from '../time/parse-when.js';
import type { LikeRoundRecord, RoundEntryView } from './like-store.js';

export interface RoundLine {
  entry: RoundEntryView;
  /** Likes this member gives now to the other entries' shares. */
  gave: number;
  /** How many other shares there are to like. */
  expected: number;
}

/** The round's published list: every dropped share and how far each member is with liking the others. */
export function renderRoundCard(round: LikeRoundRecord, lines: RoundLine[], timeZone: string, lang: Language): { text: string; buttons: Button[][] } {
  const open = round.status === 'open';
  const text = [
    open
      ? t(lang, 'likes.round_title', { roundId: round.id, until: formatDateTime(round.endsAt, timeZone) })
      : t(lang, 'likes.round_title_closed', { roundId: round.id }),
    ...(open ? [t(lang, 'likes.round_rules')] : []),
    '',
    ...(lines.length === 0
      ? [t(lang, 'likes.round_empty')]
      : lines.map((l, i) =>
          t(lang, 'likes.round_line', {
            n: i + 1, name: l.entry.displayName, shareId: l.entry.shareId, gave: l.gave, expected: l.expected,
            done: l.expected > 0 && l.gave >= l.expected ? ' ✅' : '',
          }),
        )),
  ].join('\n');
  const buttons: Button[][] = open ? [[{ label: t(lang, 'likes.button_drop'), action: `rd:${round.id}`, style: 'primary' }]] : [];
  return { text, buttons };
}
