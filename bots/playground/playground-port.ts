import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PlatformPort } from '../../core/ports.js';
import type { Button, DeliveredRef, Reply } from '../../core/replies.js';
import type { CoreEvent } from '../../core/events.js';

/** Where the playground writes what the bot says. */
export interface PlaygroundOutput {
  write(text: string): void;
}

/**
 * The playground's platform: it prints every reply, numbers every button so `/press <n>` can press it and every
 * message so `/react <n> 👍` can react to it, treats members marked admin (`/as bob admin`) as the group's
 * admins (the kernel's admin checks ask `isChatAdmin`; features that alert admins, a negative review or a
 * fake-likes case, list them with `listChatAdmins`), and saves pictures the bot sends (a case's timeline) as PNG
 * files in `picturesDir`, printing their paths.
 */
export class PlaygroundPort implements PlatformPort {
  readonly admins = new Set<string>();
  private nextMessageId = 1;
  /** Where each message the bot sent lives, by its number. */
  private readonly messages = new Map<string, string>();
  /** What each message the bot sent or edited shows (text, buttons, photo), to leave out edits that change nothing. */
  private readonly shown = new Map<string, string>();
  private nextButton = 1;
  private readonly buttons = new Map<number, { chatId: string; messageId: string; button: Button }>();

  constructor(
    private readonly output: PlaygroundOutput,
    private readonly names: (memberId: string) => string,
    /** Where pictures are saved (default `.data/pictures`). */
    private readonly picturesDir: string = join('.data', 'pictures'),
  ) {}

  async deliver(reply: Reply, _origin?: CoreEvent): Promise<DeliveredRef | undefined> {
    switch (reply.kind) {
      case 'message': {
        const chatId = 'chatId' in reply.to ? reply.to.chatId : `dm:${reply.to.memberId}`;
        const messageId = String(this.nextMessageId++);
        this.messages.set(messageId, chatId);
        const where = 'chatId' in reply.to ? (reply.to.chatId.endsWith(':group') ? 'group' : 'private chat') : `private to ${this.names(reply.to.memberId)}`;
        const text = reply.photo ? `🖼️ (photo ${reply.photo.fileId})\n${reply.text}` : reply.text;
        this.changes(chatId, messageId, reply.text, reply.buttons, reply.photo?.fileId);
        this.print(`🤖 [${where}, message ${messageId}]`, text, reply.buttons, chatId, messageId);
        return { chatId, messageId };
      }
      case 'edit':
        if (reply.removePhoto) {
          this.output.write(`🗑️  [message ${reply.messageId} deleted: ${reply.text}]\n\n`);
          return { chatId: reply.chatId, messageId: reply.messageId };
        }
        // As on Telegram ("message is not modified"): an edit that changes nothing shown is not seen. A card refreshed
        // for safety at start-up (refreshLiveCards, run once the playground is ready) would otherwise print again.
        if (!this.changes(reply.chatId, reply.messageId, reply.text, reply.buttons, reply.photo?.fileId)) {
          return { chatId: reply.chatId, messageId: reply.messageId };
        }
        if (reply.photo && reply.replacePhoto) {
          this.print(`✏️  [photo replaced, message ${reply.messageId}]`, `🖼️ (photo ${reply.photo.fileId})\n${reply.text}`, reply.buttons, reply.chatId, reply.messageId);
        } else this.print(`✏️  [card updated, message ${reply.messageId}]`, reply.text, reply.buttons, reply.chatId, reply.messageId);
        return { chatId: reply.chatId, messageId: reply.messageId };
      case 'document': {
        const who = 'memberId' in reply.to ? `private to ${this.names(reply.to.memberId)}` : 'group';
        this.output.write(`📎 [${who}] ${reply.filename}${reply.caption ? ` — ${reply.caption}` : ''}\n${indent(typeof reply.content === 'string' ? reply.content.trimEnd() : `(${reply.content.byteLength} bytes; a spreadsheet to open in Excel or WPS)`)}\n\n`);
        return undefined;
      }
      case 'photo': {
        const chatId = 'chatId' in reply.to ? reply.to.chatId : `dm:${reply.to.memberId}`;
        const messageId = String(this.nextMessageId++);
        const who = 'memberId' in reply.to ? `private to ${this.names(reply.to.memberId)}` : 'group';
        await mkdir(this.picturesDir, { recursive: true });
        // A wall-clock stamp keeps pictures of earlier runs (message numbers start at 1 each run).
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const file = resolve(this.picturesDir, `${stamp}-${reply.filename.replace(/[^\w.-]/g, '_')}`);
        await writeFile(file, reply.data);
        this.print(`🖼️  [${who}] picture saved: ${file}`, reply.text, reply.buttons, chatId, messageId);
        return { chatId, messageId };
      }
      case 'toast':
        this.output.write(`💬 (only you see this) ${reply.text}\n\n`);
        return undefined;
      case 'pin':
        this.output.write(`📌 [message ${reply.messageId} pinned]\n\n`);
        return { chatId: reply.chatId, messageId: reply.messageId };
    }
  }

  async isChatAdmin(_chatId: string, memberId: string): Promise<boolean> {
    return this.admins.has(memberId);
  }

  /** The simulated group's admins: alice, and whoever `/as <name> admin` made one. */
  async listChatAdmins(_chatId: string): Promise<string[]> {
    return [...this.admins];
  }

  /** The chat a message the bot sent lives in (`/react <n>`), or undefined for a number never printed. */
  chatOf(messageId: string): string | undefined {
    return this.messages.get(messageId);
  }

  /** The newest message the bot sent to one of these chats. */
  lastMessageIn(...chatIds: string[]): string | undefined {
    return [...this.messages].reverse().find(([, chat]) => chatIds.includes(chat))?.[0];
  }

  /** The button a number stands for. */
  button(n: number): { chatId: string; messageId: string; button: Button } | undefined {
    return this.buttons.get(n);
  }

  /** Records what a message shows now; whether that differs from what it showed. */
  private changes(chatId: string, messageId: string, text: string, buttons: Button[][] | undefined, photo: string | undefined): boolean {
    const key = `${chatId}\u0000${messageId}`;
    const content = JSON.stringify([text, buttons ?? [], photo ?? null]);
    if (this.shown.get(key) === content) return false;
    this.shown.set(key, content);
    return true;
  }

  private print(header: string, text: string, buttons: Button[][] | undefined, chatId: string, messageId: string): void {
    const lines = [header, indent(text)];
    if (buttons?.length) {
      const labels = buttons.flat().map((button) => {
        const n = this.nextButton++;
        this.buttons.set(n, { chatId, messageId, button });
        return `[${n}] ${button.label}`;
      });
      lines.push(`   ${labels.join('   ')}   (press with /press <n>)`);
    }
    this.output.write(`${lines.join('\n')}\n\n`);
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
}
