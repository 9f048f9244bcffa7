/**
 * The digest's picture: one row per case it lists, so moderators see at a glance which of the held-back cases
 * matter most before opening one. Like the case picture (./case-picture.ts) its meaning is in shapes and colours:
 * - the bar is the case's accounts, one segment per account, red under a day old at its first like in the case,
 *   orange under 30 days, grey older (unknown: light grey); a case's new accounts since its alert (an update)
 *   carry a green mark under their segments;
 * - the strip is the case's likes across their own time span (each share its colour), with that span written
 *   beside it in digits and a unit letter (`4m`, `3h`, `2d`): tight columns are lockstep, a spread is a loose ring.
 * Pure: the SVG is written here, a PictureRenderer turns it into a PNG.
 */
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { FlagKind } from './detect.js';
import { kindName } from './case-text.js';
import { NEW_COLOUR } from './case-picture.js';

export interface DigestPictureCase {
  id: number;
  kind: FlagKind;
  /** Each account's age at its first like in the case in hours (null: unknown), and whether it is new since the alert. */
  accounts: { ageHours: number | null; isNew: boolean }[];
  /** The case's likes: which share (by position in `shares`) and when. */
  likes: { share: number; at: Date }[];
}

export const DIGEST_PICTURE_WIDTH = 960;
/** Cases beyond this are summarised in a last row (`+N`). */
export const MAX_DIGEST_ROWS = 20;

const PAD = 16;
const TITLE_H = 44;
const ROW_H = 34;
const LABEL_W = 200;
const BAR_X = PAD + LABEL_W;
const BAR_W = 300;
const STRIP_X = BAR_X + BAR_W + 24;
const STRIP_W = DIGEST_PICTURE_WIDTH - STRIP_X - 64;
const FONT = 'Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, DejaVu Sans, sans-serif';
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C564B', '#7F7F7F', '#BCBD22', '#17BECF'];

export function digestPictureSize(cases: number): { width: number; height: number } {
  const rows = cases > MAX_DIGEST_ROWS ? MAX_DIGEST_ROWS + 1 : Math.max(1, cases);
  return { width: DIGEST_PICTURE_WIDTH, height: TITLE_H + rows * ROW_H + PAD };
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const fixed = (x: number) => Math.round(x * 10) / 10;
const ageColour = (hours: number | null) => (hours === null ? '#D0D4D8' : hours < 24 ? '#D62728' : hours < 30 * 24 ? '#FF7F0E' : '#7F7F7F');

/** A span in digits and a unit letter, readable without fonts for words. */
function spanLabel(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 90) return `${Math.max(1, Math.round(minutes))}m`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / 1440)}d`;
}

export function digestPictureSvg(input: { lang: Language; cases: DigestPictureCase[] }): { svg: string; width: number; height: number } {
  const { width, height } = digestPictureSize(input.cases.length);
  const shown = input.cases.slice(0, MAX_DIGEST_ROWS);
  const hidden = input.cases.length - shown.length;
  // One account's segment is as wide as the largest case allows, so bars compare across rows.
  const most = Math.max(1, ...shown.map((c) => c.accounts.length));
  const segment = Math.min(24, BAR_W / most);
  const text = (x: number, y: number, words: string, extra = '') => `<text x="${fixed(x)}" y="${y}" font-family="${FONT}" font-size="13" fill="#333"${extra}>${escapeXml(words)}</text>`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>`,
    `<text x="${PAD}" y="28" font-family="${FONT}" font-size="18" font-weight="bold" fill="#111">${escapeXml(t(input.lang, 'flag.digest_picture_title', { count: input.cases.length }))}</text>`,
  ];
  shown.forEach((c, i) => {
    const top = TITLE_H + i * ROW_H;
    const y = top + ROW_H / 2;
    if (i % 2 === 0) parts.push(`<rect x="${PAD / 2}" y="${top}" width="${width - PAD}" height="${ROW_H}" fill="#F4F6F8"/>`);
    parts.push(text(PAD, y + 5, `#${c.id} ${kindName(c.kind, input.lang)}`));
    // The accounts, oldest-first would hide the fresh ones' count: freshest first.
    const accounts = [...c.accounts].sort((a, b) => (a.ageHours ?? Infinity) - (b.ageHours ?? Infinity));
    accounts.forEach((a, k) => {
      const x = BAR_X + k * segment;
      parts.push(`<rect x="${fixed(x)}" y="${y - 8}" width="${fixed(Math.max(1, segment - 1))}" height="12" fill="${ageColour(a.ageHours)}"/>`);
      if (a.isNew) parts.push(`<rect x="${fixed(x)}" y="${y + 6}" width="${fixed(Math.max(1, segment - 1))}" height="4" fill="${NEW_COLOUR}"/>`);
    });
    if (c.likes.length === 0) return;
    const times = c.likes.map((l) => l.at.getTime());
    const first = Math.min(...times);
    const span = Math.max(60_000, Math.max(...times) - first);
    parts.push(`<line x1="${STRIP_X}" y1="${y}" x2="${STRIP_X + STRIP_W}" y2="${y}" stroke="#C8CDD2"/>`);
    for (const like of c.likes) {
      const x = STRIP_X + ((like.at.getTime() - first) / span) * STRIP_W;
      parts.push(`<rect x="${fixed(x - 1)}" y="${y - 9}" width="2" height="18" fill="${PALETTE[like.share % PALETTE.length]}" fill-opacity="0.7"/>`);
    }
    parts.push(text(STRIP_X + STRIP_W + 10, y + 5, spanLabel(span)));
  });
  if (hidden > 0) parts.push(text(PAD, TITLE_H + shown.length * ROW_H + ROW_H / 2 + 5, `+${hidden}`));
  parts.push('</svg>');
  return { svg: parts.join(''), width, height };
}
