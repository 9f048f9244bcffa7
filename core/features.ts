/**
 * The registry: the features this bot runs, one line each, in the order their handlers and subscribers are tried.
 * A new feature is a folder with a module.ts, a line here, its tables in the schema and its store namespace.
 */
import { Core, type CoreOptions } from './app.js';
import type { Attachment, MentionedMember } from './events.js';
import { defaultTextValues } from './kernel/args.js';
import { listCommands, withBasics } from './kernel/basics.js';
import type { Language } from './kernel/language.js';
import type { CommandInfo, PictureRenderer } from './ports.js';
import type { DashboardAccess } from './dashboard/dashboard-access.js';
import { dashboardModule } from './dashboard/module.js';
import { groupBuyModule } from './group-buy/module.js';
import type { FeatureModule } from './kernel/module.js';
import { likesModule } from './likes/module.js';
import { moderationModule } from './moderation/module.js';
import type { ReviewTagger } from './llm/review-tags.js';
import type { TextSimilarity } from './moderation/text-signals.js';
import { pointsModule } from './points/module.js';
import { privacyModule } from './privacy/module.js';
import { remindersModule } from './reminders/module.js';
import { reviewsModule } from './reviews/module.js';
import { settingsModule } from './settings/module.js';

/** What features need from outside the core (ports). */
export interface FeatureDeps {
  /** Tags submitted reviews (an LLM or the offline model). Without one, reviews stay untagged and only low ratings alert admins. */
  reviewTagger?: ReviewTagger;
  /** Finds near-identical texts among a fake-engagement case's accounts (supporting evidence). Without one, cases carry no text signals. */
  textSimilarity?: TextSimilarity;
  /** Draws a fake-engagement case's picture (SVG to PNG) for its alert. Without one, alerts are text only. */
  pictureRenderer?: PictureRenderer;
  /** Where the web dashboard is served and its tokens. Without it (DASHBOARD_PORT=off), `/dashboard` says it is off. */
  dashboard?: DashboardAccess;
}

export function features(deps: FeatureDeps = {}): FeatureModule[] {
  return [
    groupBuyModule,
    settingsModule,
    reviewsModule({ tagger: deps.reviewTagger }),
    pointsModule,
    likesModule,
    remindersModule,
    moderationModule({ textSimilarity: deps.textSimilarity, pictures: deps.pictureRenderer }),
    privacyModule,
    dashboardModule(deps.dashboard),
  ];
}

/** A core running every registered feature (what bots/main.ts and the tests start). */
export function createCore(options: Omit<CoreOptions, 'modules'> & FeatureDeps): Core {
  const { reviewTagger, textSimilarity, pictureRenderer, dashboard, ...rest } = options;
  return new Core({ ...rest, modules: features({ reviewTagger, textSimilarity, pictureRenderer, dashboard }) });
}

/**
 * Every command of the registered features in one language, for registering them with a platform without a running
 * core; also the unlisted ones a platform still needs (Discord has no /start of its own).
 */
export function commandInfos(language: Language): CommandInfo[] {
  return listCommands(withBasics(features()), language, { withUnlisted: true });
}

/**
 * A command's text as its grammar reads it, into the typed values a form would send (the Discord test driver plays
 * text scenarios as typed slash commands with it). Throws the UserError a member would see.
 */
export function parseCommandText(name: string, text: string, event: { mentions?: MentionedMember[]; attachments?: Attachment[] } = {}): Record<string, unknown> {
  const spec = withBasics(features())
    .flatMap((m) => m.commands ?? [])
    .find((c) => c.name === name.toLowerCase());
  if (!spec) throw new Error(`no command /${name}`);
  return (spec.parse ? spec.parse(text, { ...event, args: text } as never) : defaultTextValues(spec.args, text, event)) as Record<string, unknown>;
}
