/**
 * Photos shown with messages (a share's card). Discord's attachment URLs are signed and expire after about a day, so a
 * photo from Discord's CDN is downloaded and uploaded again with the message, shown as an `attachment://` embed
 * image: the card owns its copy, and Discord refreshes its URL for as long as the card exists. A photo that cannot be
 * fetched, or lives elsewhere, is linked as an embed image (it shows for as long as its URL works).
 */
import type { APIEmbed } from 'discord-api-types/v10';
import { silentLogger, type Logger } from '../../core/ports.js';
import { logFieldsOf } from './errors.js';
import type { MessageExtras } from './render.js';

/** Where Discord serves uploads. */
export const DISCORD_MEDIA_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'] as const;
const MAX_MEDIA_BYTES = 8 * 1024 * 1024;

/** Where photos may be copied from, and how. */
export interface PhotoCopyOptions {
  /**
   * Hosts a photo may be downloaded from to be uploaded with a card (default Discord's CDN hosts). Any other URL is
   * only linked, never fetched.
   */
  mediaHosts?: readonly string[];
  /** Downloads a photo (default: fetch, 10 s, at most 8 MiB). */
  fetchMedia?: (url: string) => Promise<{ data: Buffer; contentType: string }>;
}

/**
 * The photo's part of a message: an uploaded copy shown as the embed image, or a link to it, or nothing for a file
 * id that is not a URL. A failed copy is logged (without the URL's signature) and linked instead.
 */
export async function photoPart(photo: { fileId: string }, options: PhotoCopyOptions, logger: Logger = silentLogger): Promise<Pick<MessageExtras, 'embeds' | 'files'>> {
  const linked = photoEmbeds(photo);
  if (!linked) return {};
  const url = new URL(photo.fileId);
  if (!(options.mediaHosts ?? DISCORD_MEDIA_HOSTS).includes(url.host)) return { embeds: linked };
  try {
    const { data, contentType } = await (options.fetchMedia ?? fetchMedia)(photo.fileId);
    const extension = /^image\/(png|gif|webp|jpe?g)$/i.exec(contentType)?.[1]?.toLowerCase().replace('jpeg', 'jpg') ?? 'jpg';
    const name = `photo.${extension}`;
    return { files: [{ name, data, contentType }], embeds: [{ image: { url: `attachment://${name}` } }] };
  } catch (error) {
    logger.warn({ err: logFieldsOf(error), url: `${url.origin}${url.pathname}` }, 'could not copy a photo: linked instead');
    return { embeds: linked };
  }
}

/**
 * A photo shown with a message: the core's file id is, on Discord, the attachment's URL (decode.ts), so it becomes
 * the image of an embed under the text. A file id that is not a URL (a photo from another platform) is left out.
 */
export function photoEmbeds(photo: { fileId: string }): APIEmbed[] | undefined {
  return /^https?:\/\//.test(photo.fileId) ? [{ image: { url: photo.fileId } }] : undefined;
}

/** Downloads a photo for `photoPart`: images only, within Discord's upload size. */
export async function fetchMedia(url: string): Promise<{ data: Buffer; contentType: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
  const contentType = response.headers.get('content-type') ?? '';
  if (!response.ok) throw new Error(`photo download answered ${response.status}`);
  if (!contentType.startsWith('image/')) throw new Error(`not an image: ${contentType}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_MEDIA_BYTES) throw new Error(`photo of ${declared} bytes is too large`);
  const data = Buffer.from(await response.arrayBuffer());
  if (data.length > MAX_MEDIA_BYTES) throw new Error(`photo of ${data.length} bytes is too large`);
  return { data, contentType };
}
