/**
 * The commands every bot has whatever features it runs: /help (from the registered modules' commands, see help.ts), /start
 * (a greeting, or a topic to receive again), /stop (a topic to stop receiving) and /cancel (leave a guided
 * dialogue). Topics come from the modules (module.topics).
 */
import { replyInChat, say, type HandlerContext } from '../context.js';
import { t } from '../i18n/translate.js';
import { arg } from './args.js';
import { confirmationButtons } from './confirm.js';
import { currentDialogue } from './dialogues.js';
import { adminHelp, asksForAdminHelp, commandHelp, shortHelp } from './help.js';
import type { Language } from './language.js';
import type { CommandInfo } from '../ports.js';
import { command, type FeatureModule, type TopicSpec } from './module.js';

/** The registered modules with the basics in front: what a kernel runs. */
export function withBasics(modules: readonly FeatureModule[]): readonly FeatureModule[] {
  const all: FeatureModule[] = [];
  all.push(basicsModule(() => all), ...modules);
  return all;
}

/** Commands as platforms list them, in one language, with their typed arguments (Discord derives its options). */
export function listCommands(modules: readonly FeatureModule[], language: Language, options: { withUnlisted?: boolean } = {}): CommandInfo[] {
  return modules
    .flatMap((m) => m.commands ?? [])
    .filter((c) => c.listed !== false || (options.withUnlisted && c.unlistedDescription))
    .map((c) => ({
      name: c.name,
      description: c.listed === false && c.unlistedDescription ? c.unlistedDescription[language === 'en' ? 'en' : 'zh'] : t(language, c.description as 'cmd.help'),
      audience: c.audience,
      zhName: c.zhName,
      args: c.args,
      ...(c.listed === false ? { listed: false } : {}),
    }));
}

export function basicsModule(modules: () => readonly FeatureModule[]): FeatureModule {
  const topics = (): TopicSpec[] => modules().flatMap((m) => m.topics ?? []);
  const topicOf = (word: string) => topics().find((topic) => topic.matches(word));
  const topicArg = (name: 'what' | 'topic', description: { en: string; zh: string }, required: boolean) =>
    arg.string(name, '内容', description, {
      required,
      // Built when the command list is read, after every module is registered.
      get choices() {
        return topics().map((topic) => ({ value: topic.value, name: topic.label }));
      },
    });

  const helpFor = (ctx: HandlerContext): string =>
    shortHelp(modules(), ctx.lang, { admin: ctx.event.chat.kind === 'group' && ctx.isAdmin, inPrivate: ctx.event.chat.kind === 'private' });

  return {
    name: 'basics',
    buttons: confirmationButtons(modules),
    commands: [
      command({
        name: 'help',
        zhName: '帮助',
        description: 'cmd.help',
        audience: 'member',
        // Admin commands are listed to admins only: in a group the platform is asked.
        checksAdmin: true,
        args: [arg.string('command', '命令', { en: 'A command to explain, e.g. join (or admin: the admin commands)', zh: '要说明的命令，例如 join（admin：管理命令）' })],
        run: (ctx, { command: typed }) => {
          if (!typed) return replyInChat(ctx, helpFor(ctx));
          replyInChat(ctx, asksForAdminHelp(typed) ? adminHelp(modules(), ctx.lang) : commandHelp(modules(), ctx.lang, typed));
        },
      }),
      command({
        name: 'start',
        zhName: '开始',
        description: 'cmd.help',
        audience: 'member',
        listed: false,
        unlistedDescription: { en: 'Start: the help, or /start reviews to get review requests again', zh: '开始：查看帮助，或 /start reviews 重新接收评价邀请' },
        args: [topicArg('topic', { en: 'reviews: get review requests again', zh: 'reviews：重新接收评价邀请' }, false)],
        run: async (ctx, { topic }) => {
          // `/start reviews` (also a deep link) switches a topic back on; any other /start greets.
          const chosen = topic ? topicOf(topic) : undefined;
          if (chosen) return chosen.set(ctx, true);
          replyInChat(ctx, ctx.event.chat.kind === 'private' ? `${say(ctx, 'start.private')}\n\n${helpFor(ctx)}` : helpFor(ctx));
        },
      }),
      command({
        name: 'stop',
        zhName: '停止',
        description: 'cmd.stop',
        audience: 'member',
        args: [topicArg('what', { en: 'What to stop', zh: '要停止的内容' }, true)],
        run: async (ctx, { what }) => {
          const chosen = what ? topicOf(what) : undefined;
          if (chosen) return chosen.set(ctx, false);
          // Not a topic: say what can be stopped, every topic in the member's language.
          ctx.out.push({ kind: 'message', to: { chatId: ctx.event.chat.id }, text: topics().map((topic) => say(ctx, topic.usage as 'review.stop_usage')).join('\n'), private: true });
        },
      }),
      command({ name: 'cancel', zhName: '取消', description: 'cmd.cancel', audience: 'member', args: [], run: cancelDialogue }),
    ],
  };
}

async function cancelDialogue(ctx: HandlerContext): Promise<void> {
  // An expired dialogue is already over: nothing to cancel.
  const dialogue = await currentDialogue(ctx);
  if (!dialogue || 'expired' in dialogue) {
    replyInChat(ctx, say(ctx, 'dialog.nothing'));
    return;
  }
  await ctx.tx.deleteDialogue(ctx.event.chat.id, ctx.member.id);
  replyInChat(ctx, say(ctx, 'dialog.cancelled'));
}
