/**
 * A case's picture (core/moderation/case-picture.ts): the SVG the core writes, and the PNG resvg makes of it, with and
 * without fonts (CI machines often have no CJK fonts: the shapes must carry the meaning alone).
 */
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { ResvgRenderer } from '../../../bots/pictures/resvg-renderer.js';
import { casePictureSize, casePictureSvg, MAX_PICTURE_ROWS, NEW_COLOUR, type CasePictureInput } from '../../../core/moderation/case-picture.js';
import { digestPictureSize, digestPictureSvg, MAX_DIGEST_ROWS, type DigestPictureCase } from '../../../core/moderation/digest-picture.js';
import { pngSize } from '../../support/png.js';

const T0 = Date.UTC(2026, 11, 20, 2, 0);
const MINUTE = 60_000;

/** A ring of `n` accounts liking three shares 25 minutes apart, 40 s between accounts; the first five joined just before. */
function ring(n: number, lang: CasePictureInput['lang'] = 'en'): CasePictureInput {
  const accounts = Array.from({ length: n }, (_, i) => ({
    id: `a${i}`, name: i % 2 ? `小号${i}` : `Pat <${i}> & co`, ageHours: i < 5 ? 0.1 : 24 * 400, joinedAt: i < 5 ? new Date(T0 - 2 * MINUTE + i * MINUTE) : null,
  }));
  const likes = accounts.flatMap((a, i) => ['3', '4', '7'].map((share, k) => ({ account: a.id, share, at: new Date(T0 + k * 25 * MINUTE + i * 40_000) })));
  return { caseId: 3, kind: 'ring', lang, timeZone: 'Asia/Shanghai', accounts, shares: ['3', '4', '7'], likes };
}

/** How many pixels have exactly this colour (RGBA bytes, opaque). */
function pixelsOf(rgba: Uint8Array | Buffer, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] === r && rgba[i + 1] === g && rgba[i + 2] === b && rgba[i + 3] === 255) n++;
  return n;
}

describe('casePictureSvg', () => {
  it('draws one row per account, one marker per like, a band per share, and the joins inside the window', () => {
    const { svg, width, height } = casePictureSvg(ring(8));
    expect({ width, height }).toEqual(casePictureSize(8));
    expect(svg).toContain(`width="${width}" height="${height}"`);
    // Markers: circles for the first share, squares for the second, diamonds for the third (plus the legend's).
    expect(svg.match(/<circle [^>]*fill="#0072B2"/g)).toHaveLength(8 + 1);
    expect(svg.match(/<rect [^>]*fill="#D55E00"\/>/g)).toHaveLength(8 + 1);
    expect(svg.match(/fill-opacity="0.12"/g)).toHaveLength(3);
    expect(svg.match(/fill="#FFFFFF" stroke="#666"/g)).toHaveLength(5);
    // Ages: red bars for the five fresh accounts, grey for the three older.
    expect(svg.match(/height="10" fill="#D62728"/g)).toHaveLength(5);
    expect(svg.match(/height="10" fill="#7F7F7F"/g)).toHaveLength(3);
  });

  it('says its few words in the reader’s language, times in the group’s zone, names escaped', () => {
    const en = casePictureSvg(ring(4)).svg;
    expect(en).toContain('>Case 3 · like ring · 4 accounts</text>');
    expect(en).toContain('>their likes over time</text>');
    expect(en).toContain('>10:00</text>');
    expect(en).toContain('Pat &lt;0&gt; &amp; co');
    expect(en).not.toContain('<0>');
    const zh = casePictureSvg(ring(4, 'zh-CN')).svg;
    expect(zh).toContain('>案例 3 · 互刷团伙 · 4 个账号</text>');
    expect(zh).toContain('>账号年龄</text>');
  });

  it('summarises accounts beyond the last row', () => {
    const { svg, height } = casePictureSvg(ring(MAX_PICTURE_ROWS + 7));
    expect(height).toBe(casePictureSize(MAX_PICTURE_ROWS + 7).height);
    expect(svg).toContain('>+7</text>');
    expect(svg.match(/<circle [^>]*fill="#0072B2"/g)).toHaveLength(MAX_PICTURE_ROWS + 1);
  });
});

describe('an update’s picture', () => {
  it('marks the accounts new since the alert, and only those', () => {
    const input = ring(8);
    const marked = { ...input, accounts: input.accounts.map((a, i) => ({ ...a, isNew: i >= 5 })) };
    expect(casePictureSvg(marked).svg.match(new RegExp(`fill="${NEW_COLOUR}"`, 'g'))).toHaveLength(3);
    expect(casePictureSvg(input).svg).not.toContain(NEW_COLOUR);
  });
});

/** A digest row: `n` accounts (`fresh` of them under a day old, `added` new since the alert) liking over `spanMs`. */
function digestCase(id: number, n: number, fresh: number, added: number, spanMs: number): DigestPictureCase {
  return {
    id, kind: 'burst',
    accounts: Array.from({ length: n }, (_, i) => ({ ageHours: i < fresh ? 0.2 : 24 * 90, isNew: i >= n - added })),
    likes: Array.from({ length: n }, (_, i) => ({ share: 0, at: new Date(T0 + (i * spanMs) / Math.max(1, n - 1)) })),
  };
}

describe('digestPictureSvg', () => {
  it('draws a row per case: a segment per account coloured by age, new ones marked, and the likes over their span', async () => {
    const { svg, width, height } = digestPictureSvg({ lang: 'en', cases: [digestCase(4, 8, 8, 0, 7 * MINUTE), digestCase(5, 12, 3, 4, 5 * 3_600_000)] });
    expect({ width, height }).toEqual(digestPictureSize(2));
    expect(svg.match(/height="12" fill="#D62728"/g)).toHaveLength(8 + 3);
    expect(svg.match(/height="12" fill="#7F7F7F"/g)).toHaveLength(9);
    expect(svg.match(new RegExp(`height="4" fill="${NEW_COLOUR}"`, 'g'))).toHaveLength(4);
    expect(svg.match(/width="2" height="18"/g)).toHaveLength(8 + 12);
    expect(svg).toContain('>7m</text>');
    expect(svg).toContain('>5h</text>');
    expect(svg).toContain('>#4 like burst</text>');
    expect(digestPictureSvg({ lang: 'zh-CN', cases: [digestCase(4, 8, 8, 0, MINUTE)] }).svg).toContain('>#4 集中刷赞</text>');
    expect(pngSize(await new ResvgRenderer().png(svg))).toEqual(digestPictureSize(2));
  });

  it('summarises cases beyond the last row', () => {
    const cases = Array.from({ length: MAX_DIGEST_ROWS + 3 }, (_, i) => digestCase(i + 1, 8, 8, 0, MINUTE));
    const { svg, height } = digestPictureSvg({ lang: 'en', cases });
    expect(height).toBe(digestPictureSize(MAX_DIGEST_ROWS + 3).height);
    expect(svg).toContain('>+3</text>');
    expect(svg.match(/width="2" height="18"/g)).toHaveLength(MAX_DIGEST_ROWS * 8);
  });
});

describe('the PNG', () => {
  it('is a PNG of the announced size', async () => {
    const png = await new ResvgRenderer().png(casePictureSvg(ring(6, 'zh-CN')).svg);
    expect(pngSize(png)).toEqual(casePictureSize(6));
  });

  it('shows the same markers, bands and age bars without any font', () => {
    const { svg } = casePictureSvg(ring(6, 'zh-CN'));
    const withFonts = new Resvg(svg, { font: { loadSystemFonts: true }, background: 'white' }).render();
    const noFonts = new Resvg(svg, { font: { loadSystemFonts: false }, background: 'white' }).render();
    expect([noFonts.width, noFonts.height]).toEqual([withFonts.width, withFonts.height]);
    // The shares' markers and bands, and the fresh accounts' red bars: the same pixels with fonts or none.
    for (const colour of ['#0072B2', '#D55E00', '#009E73', '#D62728']) {
      const shapes = pixelsOf(noFonts.pixels, colour);
      expect(shapes, colour).toBeGreaterThan(20);
      expect(shapes, colour).toBe(pixelsOf(withFonts.pixels, colour));
    }
    // The older account's grey bar (grey text, anti-aliased, adds a few such pixels where fonts exist).
    expect(pixelsOf(noFonts.pixels, '#7F7F7F')).toBeGreaterThan(20);
  });
});
