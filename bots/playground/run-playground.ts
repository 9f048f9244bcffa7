import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CoreApp } from '../../core/app.js';
import type { Actor, Attachment, ChatRef, CoreEvent } from '../../core/events.js';
import { formatDateTime, parseDurationMs } from '../../core/time/parse-when.js';
import type { OffsetClock } from './offset-clock.js';
import { PlaygroundPort, type PlaygroundOutput } from './playground-port.js';

export interface PlaygroundOptions {
  core: CoreApp & { sweepDue(): Promise<number> };
  input: Readable;
  output: PlaygroundOutput;
  clock: OffsetClock;
  /** Show a prompt (a terminal); scripts piped in get none. */
  interactive: boolean;
  /** Language hint given to simulated members (e.g. from $LANG). */
  languageHint?: string;
  /** Runs the durable jobs the moved clock has made due (review requests, round ends...). */
  runDueJobs?: () => Promise<unknown>;
  /** The simulated group's time zone (/timezone), so /skip prints the time the cards use. */
  groupTimeZone?: () => Promise<string | undefined>;
}

/** The simulated group's chat id. */
export const PLAYGROUND_GROUP_ID = 'pg:group';
const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const DEFAULT_VIDEO_SECONDS = 20;

const GROUP: ChatRef = { id: PLAYGROUND_GROUP_ID, kind: 'group', title: 'Playground' };

export const PLAYGROUND_HELP = `tuanbot playground — a simulated group chat / 模拟群聊
  You are alice, a group admin. Type bot commands as in a chat, e.g. /help, /newbuy, /join 2.
  /as <name> [admin|member] [zh|en]  act as another member (admin: a group admin) 切换成员
  /admins                      who the group's admins are (they get admin alerts) 管理员列表
  /press <n>                   press button n shown under a message           按按钮
  /photo [file] [caption]      send a photo (a caption starting with / is a command: /photo /share Fresh!) 发图片
  /video [<n>s] [caption]      send a video of n seconds (default ${DEFAULT_VIDEO_SECONDS}s)          发视频
  /react <message> [emoji]     react to message n ("last": the newest) with 👍 by default; /unreact takes it back 表情回应
  /in private | /in group      talk to the bot privately, or in the group     私聊/群聊
  /skip <duration>             move the clock forward (e.g. /skip 2h) and run what became due 快进时间
  /wait <seconds>              wait in real time                               等待
  # text                       a comment (for scripts)
  /quit                        leave                                           退出
`;

/**
 * Runs the local playground: reads standard input line by line (so `npm start < script.txt` works), turns each
 * line into a core event from the current member, and prints what the bot says. Resolves at end of input or /quit.
 */
export async function runPlayground(options: PlaygroundOptions): Promise<void> {
  const { core, output, clock } = options;
  const names = new Map<string, string>();
  const port = new PlaygroundPort(output, (id) => names.get(id) ?? id);
  core.registerPlatform('pg', port);

  let actor = makeActor('alice', options.languageHint, names);
  port.admins.add(actor.id);
  let inPrivate = false;
  let nextFile = 1;
  const timeZone = async () => (await options.groupTimeZone?.().catch(() => undefined)) ?? DEFAULT_TIME_ZONE;

  output.write(`${PLAYGROUND_HELP}\n`);
  const rl = createInterface({ input: options.input, terminal: false });
  const prompt = () => options.interactive && output.write(`${actor.displayName}${inPrivate ? ' (private)' : ''}> `);
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    if (!options.interactive && line) output.write(`${actor.displayName}${inPrivate ? ' (private)' : ''}> ${line}\n`);
    if (!line || line.startsWith('#')) {
      prompt();
      continue;
    }
    const [head = '', ...rest] = line.split(/\s+/);
    const cmd = head.toLowerCase();
    const chat: ChatRef = inPrivate ? { id: `pg:private:${actor.id.slice(3)}`, kind: 'private' } : GROUP;

    if (cmd === '/quit' || cmd === '/exit') break;
    if (cmd === '/playground') {
      output.write(`${PLAYGROUND_HELP}\n`);
    } else if (cmd === '/as') {
      const name = rest[0];
      if (!name) output.write('Usage: /as <name> [admin|member] [zh|en]\n');
      else {
        const flags = rest.slice(1).map((f) => f.toLowerCase());
        const hint = flags.find((f) => f === 'zh' || f === 'en') ?? options.languageHint;
        actor = makeActor(name, hint, names);
        if (flags.includes('admin')) port.admins.add(actor.id);
        if (flags.includes('member')) port.admins.delete(actor.id);
        output.write(`(now acting as ${actor.displayName}${port.admins.has(actor.id) ? ', admin' : ''})\n\n`);
      }
    } else if (cmd === '/admins') {
      output.write(`(the group's admins: ${[...port.admins].map((id) => names.get(id) ?? id).join(', ') || 'none'})\n\n`);
    } else if (cmd === '/photo' || cmd === '/video') {
      // A file path as first word is used as the file's id (the core keeps ids, never bytes); else a made-up one.
      const words = [...rest];
      let seconds: number | undefined;
      if (cmd === '/video') {
        const length = /^(\d{1,4})s?$/i.exec(words[0] ?? '');
        seconds = length ? Number(length[1]) : DEFAULT_VIDEO_SECONDS;
        if (length) words.shift();
      }
      const fileId = words[0] && existsSync(words[0]) ? words.shift()! : `pg-${cmd.slice(1)}-${nextFile++}`;
      const attachment: Attachment = cmd === '/photo' ? { kind: 'photo', fileId } : { kind: 'video', fileId, durationSeconds: seconds };
      const caption = words.join(' ');
      output.write(`(${actor.displayName} sent a ${attachment.kind}${seconds ? ` of ${seconds} s` : ''}: ${fileId}${caption ? `, caption “${caption}”` : ''})\n\n`);
      if (caption.startsWith('/')) {
        const [captionHead = ''] = caption.split(/\s+/);
        const name = captionHead.slice(1).replace(/@.*$/, '').toLowerCase();
        await core.handle(baseEvent({ kind: 'command', name, args: caption.slice(captionHead.length).trim(), attachments: [attachment] }, actor, chat, clock));
      } else {
        await core.handle(baseEvent({ kind: 'text', text: caption, attachments: [attachment] }, actor, chat, clock));
      }
    } else if (cmd === '/react' || cmd === '/unreact') {
      const ref = rest[0]?.toLowerCase();
      const messageId = ref === 'last' ? (inPrivate ? port.lastMessageIn(`dm:${actor.id}`, chat.id) : port.lastMessageIn(chat.id)) : ref;
      const where = messageId ? port.chatOf(messageId) : undefined;
      if (!messageId || !where) output.write(`Usage: ${cmd} <message number> [emoji], e.g. ${cmd} 3 👍 (numbers are shown as "message 3"). There is no message ${ref ?? ''}.\n\n`);
      else {
        const emoji = rest[1] ?? '👍';
        // A reaction happens where the message is: the group, or the member's private chat with the bot.
        const reactionChat: ChatRef = where === GROUP.id ? GROUP : { id: `pg:private:${actor.id.slice(3)}`, kind: 'private' as const };
        output.write(`(${actor.displayName} ${cmd === '/react' ? 'reacted' : 'took back'} ${emoji} ${cmd === '/react' ? 'to' : 'on'} message ${messageId})\n\n`);
        await core.handle(baseEvent({ kind: 'reaction', messageId, emoji, added: cmd === '/react' }, actor, reactionChat, clock));
      }
    } else if (cmd === '/in') {
      inPrivate = rest[0]?.toLowerCase() === 'private';
      output.write(`(now in the ${inPrivate ? 'private chat with the bot' : 'group'})\n\n`);
    } else if (cmd === '/press') {
      const target = port.button(Number(rest[0]));
      if (!target) output.write(`There is no button ${rest[0] ?? ''}.\n\n`);
      else {
        await core.handle(baseEvent({ kind: 'button', action: target.button.action, messageId: target.messageId }, actor, target.chatId.startsWith('pg:') ? GROUP : chat, clock));
      }
    } else if (cmd === '/skip') {
      const ms = parseDurationMs(rest.join(''));
      if (!ms) output.write('Usage: /skip <duration>, e.g. /skip 2h\n\n');
      else {
        clock.skip(ms);
        const zone = await timeZone();
        output.write(`(clock moved forward to ${formatDateTime(clock.now(), zone)} ${zone}, the group's time zone)\n\n`);
        await core.sweepDue();
        await options.runDueJobs?.();
      }
    } else if (cmd === '/wait') {
      const seconds = Math.min(Number(rest[0]) || 1, 600);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    } else if (line.startsWith('/')) {
      const name = head.slice(1).replace(/@.*$/, '').toLowerCase();
      const args = line.slice(head.length).trim();
      await core.handle(baseEvent({ kind: 'command', name, args }, actor, chat, clock));
    } else {
      await core.handle(baseEvent({ kind: 'text', text: line }, actor, chat, clock));
    }
    await core.flushCards();
    prompt();
  }
  rl.close();
  await core.flushCards();
}

function makeActor(name: string, hint: string | undefined, names: Map<string, string>): Actor {
  const id = `pg:${name.toLowerCase()}`;
  const displayName = name.charAt(0).toUpperCase() + name.slice(1);
  names.set(id, displayName);
  return { id, displayName, username: name.toLowerCase(), languageCode: hint };
}

type EventBody =
  | { kind: 'command'; name: string; args: string; attachments?: Attachment[] }
  | { kind: 'text'; text: string; attachments?: Attachment[] }
  | { kind: 'button'; action: string; messageId: string }
  | { kind: 'reaction'; messageId: string; emoji: string; added: boolean };

function baseEvent(body: EventBody, actor: Actor, chat: ChatRef, clock: OffsetClock): CoreEvent {
  return { ...body, key: `pg:${randomUUID()}`, platform: 'pg', actor, chat, at: clock.now() } as CoreEvent;
}
