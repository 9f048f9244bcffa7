/** Discord attachments (DM uploads, slash-command attachment options) as the core's photos and videos. */
import type { APIAttachment } from 'discord-api-types/v10';
import type { Attachment } from '../../core/events.js';

/**
 * A Discord attachment as the core's photo or video: `image/*` is a photo, `video/*` a video (with its duration
 * when Discord gives one, which it does not for ordinary uploads). Its URL is its file id: Discord has no other.
 * Other files are not review media.
 */
export function attachmentOf(attachment: Pick<APIAttachment, 'url' | 'content_type'> & { duration_secs?: number }): Attachment | undefined {
  const type = attachment.content_type?.toLowerCase() ?? '';
  if (type.startsWith('image/')) return { kind: 'photo', fileId: attachment.url };
  if (type.startsWith('video/')) {
    return { kind: 'video', fileId: attachment.url, ...(attachment.duration_secs !== undefined ? { durationSeconds: attachment.duration_secs } : {}) };
  }
  return undefined;
}
