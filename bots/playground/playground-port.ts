import type { PlatformPort } from '../../core/ports.js';
import type { Button, DeliveredRef, Reply } from '../../core/replies.js';
import type { CoreEvent } from '../../core/events.js';

/** Where the playground writes what the bot says. */
export interface PlaygroundOutput {
  write(text: string): void;
}

/**
 * The playground's platform: it prints every reply, numbers every button so `/press <n>` can press it,
 * and treats members marked admin (`/as bob admin`) as the group's admins.
 */
export class PlaygroundPort implements PlatformPort {
  readonly admins = new Set<string>();
  private nextMessageId = 1;
  private nextButton = 1;
  private readonly buttons = new Map<number, { chatId: string; messageId: string; button: Button }>();

  constructor(
    private readonly output: PlaygroundOutput,
    private readonly names: (memberId: string) => string,
  ) {}

  async deliver(reply: Reply, _origin?: CoreEvent): Promise<DeliveredRef | undefined> {
    switch (reply.kind) {
      case 'message': {
        const chatId = 'chatId' in reply.to ? reply.to.chatId : `dm:${reply.to.memberId}`;
        const messageId = String(this.nextMessageId++);
        const where = 'chatId' in reply.to ? (reply.to.chatId.endsWith(':group') ? 'group' : 'private chat') : `private to ${this.names(reply.to.memberId)}`;
        this.print(`🤖 [${where}]`, reply.text, reply.buttons, chatId, messageId);
        return { chatId, messageId };
      }
      case 'edit':
        this.print(`✏️  [card updated, message ${reply.messageId}]`, reply.text, reply.buttons, reply.chatId, reply.messageId);
        return { chatId: reply.chatId, messageId: reply.messageId };
      case 'document': {
        const who = 'memberId' in reply.to ? `private to ${this.names(reply.to.memberId)}` : 'group';
        this.output.write(`📎 [${who}] ${reply.filename}${reply.caption ? ` — ${reply.caption}` : ''}\n${indent(typeof reply.content === 'string' ? reply.content.trimEnd() : `(${reply.content.byteLength} bytes; a spreadsheet to open in Excel or WPS)`)}\n\n`);
        return undefined;
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

  /** The button a number stands for. */
  button(n: number): { chatId: string; messageId: string; button: Button } | undefined {
    return this.buttons.get(n);
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
