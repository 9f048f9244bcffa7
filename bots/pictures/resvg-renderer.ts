/**
 * The core's pictures (SVG it writes, e.g. a fake-like case's timeline) as PNG, rendered on the server by resvg
 * (`@resvg/resvg-js`: Rust, its native binary ships inside the npm package, no browser). Text uses the machine's
 * fonts (`loadSystemFonts`); with fonts-noto-cjk installed Chinese renders, without it the glyphs are left out and
 * the picture's shapes still carry its meaning (the core writes them so).
 *
 * @example
 *   const renderer = new ResvgRenderer();
 *   const png = await renderer.png('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
 */
import type { PictureRenderer } from '../../core/ports.js';

export class ResvgRenderer implements PictureRenderer {
  readonly name = 'resvg';

  /** Renders off the event loop (resvg's worker thread), on a white background. Throws on SVG resvg cannot read. */
  async png(svg: string): Promise<Uint8Array> {
    // Loaded at the first picture: most processes never render one.
    const { renderAsync } = await import('@resvg/resvg-js');
    const image = await renderAsync(svg, { font: { loadSystemFonts: true }, background: 'white', logLevel: 'off' });
    return new Uint8Array(image.asPng());
  }
}
