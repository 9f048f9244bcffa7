/** Photos on cards: copied from Discord's CDN (its URLs expire), linked when they cannot or must not be copied. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMedia, photoPart } from '../../bots/discord/media.js';
import { RecordingLogger } from '../support/core-harness.js';

const cdn = (path: string) => `https://cdn.discordapp.com/attachments/1/2/${path}`;

/** A downloader that serves one content type and records what it was asked for. */
function downloader(contentType: string) {
  const urls: string[] = [];
  const fetch = async (url: string) => {
    urls.push(url);
    return { data: Buffer.from(`bytes of ${url}`), contentType };
  };
  return { urls, fetch };
}

describe('photoPart', () => {
  it('uploads a copy of a photo from Discord’s CDN and shows it as an attachment:// embed, named by its type', async () => {
    const png = downloader('image/png');
    const part = await photoPart({ fileId: cdn('tea.png?ex=1&hm=sig') }, { fetchMedia: png.fetch });
    expect(png.urls).toEqual([cdn('tea.png?ex=1&hm=sig')]);
    expect(part).toEqual({
      files: [{ name: 'photo.png', data: Buffer.from(`bytes of ${cdn('tea.png?ex=1&hm=sig')}`), contentType: 'image/png' }],
      embeds: [{ image: { url: 'attachment://photo.png' } }],
    });
    expect((await photoPart({ fileId: cdn('a') }, { fetchMedia: downloader('image/jpeg').fetch })).files![0]!.name).toBe('photo.jpg');
    expect((await photoPart({ fileId: cdn('a') }, { fetchMedia: downloader('image/avif').fetch })).files![0]!.name).toBe('photo.jpg');
  });

  it('links a photo on another host without fetching it', async () => {
    const any = downloader('image/png');
    const part = await photoPart({ fileId: 'https://example.com/tea.png' }, { fetchMedia: any.fetch });
    expect(part).toEqual({ embeds: [{ image: { url: 'https://example.com/tea.png' } }] });
    expect(any.urls).toEqual([]);
    // Configured hosts are the only ones copied from.
    await photoPart({ fileId: cdn('tea.png') }, { mediaHosts: ['example.com'], fetchMedia: any.fetch });
    expect(any.urls).toEqual([]);
  });

  it('links a photo it could not copy, and logs it without the URL’s signature', async () => {
    const logger = new RecordingLogger();
    const failing = async () => {
      throw new Error('photo download answered 404');
    };
    const part = await photoPart({ fileId: cdn('gone.jpg?ex=1&hm=sig') }, { fetchMedia: failing }, logger);
    expect(part).toEqual({ embeds: [{ image: { url: cdn('gone.jpg?ex=1&hm=sig') } }] });
    expect(logger.entries).toEqual([
      { level: 'warn', msg: 'could not copy a photo: linked instead', obj: { err: { name: 'Error', message: 'photo download answered 404' }, url: cdn('gone.jpg') } },
    ]);
  });

  it('shows nothing for a file id that is not a URL (a photo from another platform)', async () => {
    const any = downloader('image/png');
    expect(await photoPart({ fileId: 'AgACAgIAAxkBAAI' }, { fetchMedia: any.fetch })).toEqual({});
    expect(any.urls).toEqual([]);
  });
});

describe('fetchMedia', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/tea.png') response.writeHead(200, { 'content-type': 'image/png' }).end('png bytes');
      else if (request.url === '/page') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      else if (request.url === '/huge.png') response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(8 * 1024 * 1024 + 1) }).end();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads an image', async () => {
    expect(await fetchMedia(`${base}/tea.png`)).toEqual({ data: Buffer.from('png bytes'), contentType: 'image/png' });
  });

  it('refuses what is not an image, a photo over 8 MiB and a failed download', async () => {
    await expect(fetchMedia(`${base}/page`)).rejects.toThrow('not an image: text/html');
    await expect(fetchMedia(`${base}/huge.png`)).rejects.toThrow(`photo of ${8 * 1024 * 1024 + 1} bytes is too large`);
    await expect(fetchMedia(`${base}/missing.png`)).rejects.toThrow('photo download answered 404');
  });
});
