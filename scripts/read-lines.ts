/**
 * Lines of a text stream, one at a time and never more than `maxChars` of one line in memory: a file of any size
 * streams through, and a runaway line (a binary file, a missing newline) is reported instead of filling memory.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export interface InputLine {
  /** 1-based. */
  number: number;
  /** The line without its end (`\n` or `\r\n`); empty when it was too long. */
  text: string;
  tooLong: boolean;
}

export async function* readLines(input: Readable, maxChars: number): AsyncGenerator<InputLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let tooLong = false;
  let number = 0;
  const finish = (text: string): InputLine => {
    number++;
    const line = { number, text: tooLong ? '' : text.endsWith('\r') ? text.slice(0, -1) : text, tooLong };
    tooLong = false;
    return line;
  };
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n')) {
      yield finish(pending + text.slice(0, end));
      pending = '';
      text = text.slice(end + 1);
    }
    if (!tooLong) pending += text;
    if (pending.length > maxChars) {
      tooLong = true;
      pending = '';
    }
  }
  pending += decoder.end();
  if (pending !== '' || tooLong) yield finish(pending);
}
