/**
 * A case's picture for the moderator's alert: the flagged likes against time, one row per account, beside each
 * account's age. What it shows is carried by shapes and colours, so it reads on a machine without the fonts for
 * its few words (CI machines often lack CJK fonts):
 * - each share has its own colour and marker; a pale band spans the time its case likes took, so accounts liking
 *   in step make tight columns and a loose ring's likes spread out;
 * - a hollow grey diamond marks when an account joined, when that falls inside the window, joined to its first
 *   like by a thin line (a bought burst: joined, liked, gone);
 * - a green mark at a row's left edge: an account the case gained since moderators were alerted (an update);
 * - the bar left of the row is the account's age at its first like in the case, on a log scale with faint marks
 *   at an hour, a day, 30 days and a year; red under a day, orange under 30 days, grey older.
 * The SVG is written here, platform-neutral and pure; a PictureRenderer (core/ports.ts) turns it into a PNG.
 */
import { DateTime } from 'luxon';
import { t } from '../i18n/translate.js';
import type { Language } from '../kernel/language.js';
import type { FlagKind } from './detect.js';
import { kindName } from './case-text.js';

export interface CasePictureAccount {
  id: string;
  name: string;
  /** Age at the account's first like in the case, in hours (unknown: null). */
  ageHours: number | null;
  /** When it joined the group, if known. */
  joinedAt: Date | null;
  /** New since moderators were alerted (an update): a green mark left of its row. */
  isNew?: boolean;
}

export interface CasePictureInput {
  caseId: number;
  kind: FlagKind;
  lang: Language;
  /** The group's time zone, for the time axis. */
  timeZone: string;
  /** The rows, in the order shown (the picture sorts none). */
  accounts: CasePictureAccount[];
  /** The case's shares: colours and markers go by position. */
  shares: string[];
  /** The flagged likes: an account's like of one of the shares, and when. */
  likes: { account: string; share: string; at: Date }[];
}

export const PICTURE_WIDTH = 960;
/** More accounts than this are summarised in a last row (the picture stays a phone screen or two tall). */
export const MAX_PICTURE_ROWS = 40;

const PAD = 16;
const TITLE_H = 44;
const HEADER_H = 22;
const ROW_H = 20;
const NAME_X = PAD;
const AGE_X = 176;
const AGE_W = 120;
const TIMELINE_X = 320;
const TIMELINE_W = PICTURE_WIDTH - TIMELINE_X - 28;
const AXIS_H = 30;
const LEGEND_H = 30;
const FONT = 'Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, DejaVu Sans, sans-serif';
/** Colours told apart also by people with the common colour-vision deficiencies (Okabe-Ito, then Tableau). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C564B', '#7F7F7F', '#BCBD22', '#17BECF'];
const YEAR_HOURS = 365 * 24;
/** The mark of accounts new since the alert. */
export const NEW_COLOUR = '#2CA02C';
const AGE_MARKS: [number, string][] = [[1, '1h'], [24, '1d'], [30 * 24, '30d'], [YEAR_HOURS, '1y']];
const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((minutes) => minutes * 60_000);

/** The picture's size for a case with this many accounts (rows beyond MAX_PICTURE_ROWS become one summary row). */
export function casePictureSize(accounts: number): { width: number; height: number } {
  const rows = accounts > MAX_PICTURE_ROWS ? MAX_PICTURE_ROWS + 1 : Math.max(1, accounts);
  return { width: PICTURE_WIDTH, height: TITLE_H + HEADER_H + rows * ROW_H + AXIS_H + LEGEND_H + PAD };
}

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const cut = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text);
const fixed = (x: number) => Math.round(x * 10) / 10;

function marker(shape: number, x: number, y: number, colour: string): string {
  const r = 5;
  switch (shape) {
    case 0:
      return `<circle cx="${fixed(x)}" cy="${y}" r="${r}" fill="${colour}"/>`;
    case 1:
      return `<rect x="${fixed(x - r)}" y="${y - r}" width="${2 * r}" height="${2 * r}" fill="${colour}"/>`;
    case 2:
      return `<path d="M${fixed(x)} ${y - r - 1}L${fixed(x + r + 1)} ${y}L${fixed(x)} ${y + r + 1}L${fixed(x - r - 1)} ${y}Z" fill="${colour}"/>`;
    default:
      return `<path d="M${fixed(x)} ${y - r - 1}L${fixed(x + r + 1)} ${y + r}L${fixed(x - r - 1)} ${y + r}Z" fill="${colour}"/>`;
  }
}

const ageColour = (hours: number) => (hours < 24 ? '#D62728' : hours < 30 * 24 ? '#FF7F0E' : '#7F7F7F');
const ageWidth = (hours: number) => Math.max(2, (Math.log10(1 + Math.max(0, hours)) / Math.log10(1 + YEAR_HOURS)) * AGE_W);

/** The time axis: the likes' span padded a little (at least two minutes, centred on them), and ticks at a round step. */
function timeAxis(times: number[], timeZone: string): { from: number; to: number; ticks: { at: number; label: string }[] } {
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = Math.max(2 * 60_000, last - first);
  const middle = (first + last) / 2;
  const from = middle - span * 0.56;
  const to = middle + span * 0.56;
  const step = TICK_STEPS_MS.find((ms) => (to - from) / ms <= 6) ?? TICK_STEPS_MS.at(-1)!;
  const format = to - from < 20 * 3_600_000 ? 'HH:mm' : 'MM-dd HH:mm';
  const ticks: { at: number; label: string }[] = [];
  // Steps are whole minutes, so ticks fall on round local times in whole-hour zones.
  const offset = DateTime.fromMillis(from, { zone: timeZone }).offset * 60_000;
  for (let at = Math.ceil((from + offset) / step) * step - offset; at <= to; at += step) {
    ticks.push({ at, label: DateTime.fromMillis(at, { zone: timeZone }).toFormat(format) });
  }
  return { from, to, ticks };
}

/** The case's picture as SVG, with its size. */
export function casePictureSvg(input: CasePictureInput): { svg: string; width: number; height: number } {
  const { width, height } = casePictureSize(input.accounts.length);
  const shown = input.accounts.slice(0, MAX_PICTURE_ROWS);
  const hidden = input.accounts.length - shown.length;
  const rowY = (i: number) => TITLE_H + HEADER_H + i * ROW_H + ROW_H / 2;
  const bottom = TITLE_H + HEADER_H + (shown.length + (hidden > 0 ? 1 : 0) || 1) * ROW_H;
  const shareIndex = new Map(input.shares.map((s, i) => [s, i]));
  const rowOf = new Map(shown.map((a, i) => [a.id, i]));
  const likes = input.likes.filter((l) => shareIndex.has(l.share) && rowOf.has(l.account));
  const axis = timeAxis(likes.length ? likes.map((l) => l.at.getTime()) : [0], input.timeZone);
  const x = (at: number) => TIMELINE_X + ((at - axis.from) / (axis.to - axis.from)) * TIMELINE_W;
  const text = (tx: number, ty: number, words: string, extra = '') =>
    `<text x="${fixed(tx)}" y="${ty}" font-family="${FONT}" font-size="13" fill="#333"${extra}>${escapeXml(words)}</text>`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#FFFFFF"/>`,
    `<text x="${PAD}" y="28" font-family="${FONT}" font-size="18" font-weight="bold" fill="#111">${escapeXml(t(input.lang, 'flag.picture_title', { id: input.caseId, kind: kindName(input.kind, input.lang), accounts: input.accounts.length }))}</text>`,
    text(AGE_X, TITLE_H + 14, t(input.lang, 'flag.picture_age')),
    text(TIMELINE_X, TITLE_H + 14, t(input.lang, 'flag.picture_likes')),
  ];
  // Zebra rows, the age scale's marks, and the time grid.
  shown.forEach((_, i) => {
    if (i % 2 === 0) parts.push(`<rect x="${PAD}" y="${rowY(i) - ROW_H / 2}" width="${width - 2 * PAD}" height="${ROW_H}" fill="#F4F6F8"/>`);
  });
  for (const [hours, label] of AGE_MARKS) {
    const mx = AGE_X + ageWidth(hours);
    parts.push(`<line x1="${fixed(mx)}" y1="${TITLE_H + HEADER_H}" x2="${fixed(mx)}" y2="${bottom}" stroke="#C8CDD2" stroke-dasharray="2 3"/>`);
    parts.push(`<text x="${fixed(mx)}" y="${bottom + 14}" font-family="${FONT}" font-size="10" fill="#666" text-anchor="middle">${label}</text>`);
  }
  for (const tick of axis.ticks) {
    const tx = x(tick.at);
    parts.push(`<line x1="${fixed(tx)}" y1="${TITLE_H + HEADER_H}" x2="${fixed(tx)}" y2="${bottom + 4}" stroke="#D5DADF"/>`);
    parts.push(`<text x="${fixed(tx)}" y="${bottom + 18}" font-family="${FONT}" font-size="11" fill="#555" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }
  parts.push(`<line x1="${TIMELINE_X}" y1="${bottom + 4}" x2="${TIMELINE_X + TIMELINE_W}" y2="${bottom + 4}" stroke="#888"/>`);
  // Each share's band: from its first to its last like in the case.
  input.shares.forEach((share, i) => {
    const times = likes.filter((l) => l.share === share).map((l) => l.at.getTime());
    if (times.length < 2) return;
    const from = x(Math.min(...times));
    const to = x(Math.max(...times));
    parts.push(`<rect x="${fixed(from - 6)}" y="${TITLE_H + HEADER_H}" width="${fixed(to - from + 12)}" height="${bottom - TITLE_H - HEADER_H}" fill="${PALETTE[i % PALETTE.length]}" fill-opacity="0.12"/>`);
  });
  shown.forEach((account, i) => {
    const y = rowY(i);
    if (account.isNew) parts.push(`<rect x="${PAD - 10}" y="${y - ROW_H / 2 + 2}" width="6" height="${ROW_H - 4}" fill="${NEW_COLOUR}"/>`);
    parts.push(text(NAME_X + 4, y + 4, cut(account.name, 12)));
    if (account.ageHours !== null) {
      parts.push(`<rect x="${AGE_X}" y="${y - 5}" width="${fixed(ageWidth(account.ageHours))}" height="10" fill="${ageColour(account.ageHours)}"/>`);
    }
    const own = likes.filter((l) => l.account === account.id).sort((a, b) => a.at.getTime() - b.at.getTime());
    const joined = account.joinedAt?.getTime();
    if (joined !== undefined && own.length && joined >= axis.from && joined <= axis.to) {
      const jx = x(joined);
      parts.push(`<line x1="${fixed(jx)}" y1="${y}" x2="${fixed(x(own[0]!.at.getTime()))}" y2="${y}" stroke="#999" stroke-width="1.5"/>`);
      parts.push(`<path d="M${fixed(jx)} ${y - 5}L${fixed(jx + 5)} ${y}L${fixed(jx)} ${y + 5}L${fixed(jx - 5)} ${y}Z" fill="#FFFFFF" stroke="#666" stroke-width="1.5"/>`);
    }
    for (const like of own) {
      const s = shareIndex.get(like.share)!;
      parts.push(marker(s % 4, x(like.at.getTime()), y, PALETTE[s % PALETTE.length]!));
    }
  });
  if (hidden > 0) parts.push(text(NAME_X + 4, rowY(shown.length) + 4, `+${hidden}`));
  // The legend: each share's marker and id.
  let lx = TIMELINE_X;
  const ly = bottom + AXIS_H + 12;
  input.shares.forEach((share, i) => {
    if (lx > width - 60) return;
    parts.push(marker(i % 4, lx + 5, ly, PALETTE[i % PALETTE.length]!));
    const label = `#${cut(share, 10)}`;
    parts.push(text(lx + 14, ly + 4, label));
    lx += 30 + label.length * 8;
  });
  parts.push('</svg>');
  return { svg: parts.join(''), width, height };
}
