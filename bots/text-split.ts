/**
 * Keeping text within a platform's message limit without losing anything silently (Telegram 4096, Discord 2000
 * characters). Used by both adapters.
 */

/**
 * Splits text into parts of at most `limit` code units, at line breaks where possible, then at spaces, and
 * never inside a surrogate pair. The line break or space at a cut is dropped; nothing else is lost.
 */
export function splitText(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let at = rest.lastIndexOf('\n', limit);
    let skip = 1;
    if (at <= 0) {
      at = rest.lastIndexOf(' ', limit);
      if (at <= 0) {
        at = limit;
        skip = 0;
        if (isHighSurrogate(rest.charCodeAt(at - 1))) at -= 1;
      }
    }
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + skip);
  }
  parts.push(rest);
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts to at most `limit` code units with an ellipsis, without splitting a surrogate pair. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end)}…`;
}
