/**
 * Fake-engagement moderation (issue 9) as the kernel sees it: a durable scan job per group (periodic, and early
 * after a like from a fresh account) that runs the detector (./detect.ts) over the stored history and raises cases,
 * with near-identical texts among a case's accounts as supporting evidence (./text-evidence.ts); alerts to the
 * group's admins and moderators with the case's picture and Dismiss, Confirm and Members buttons (moderators only:
 * the kernel checks every press against the case's group); a digest beyond a few alerts an hour; `/flags` and
 * `/unflag`. The text finder and the picture renderer come in as ports.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { arg, memberArgs, optionalIdText } from '../kernel/args.js';
import { command, job, type ButtonSpec, type FeatureModule } from '../kernel/module.js';
import type { PictureRenderer } from '../ports.js';
import '../likes/like-events.js';
import { alertModerators, sendDigest } from './alert-moderators.js';
import { confirmCase, dismissCase, showCaseMembers } from './decide-case.js';
import { showCase, showFlags, unflagMember } from './flag-commands.js';
import { EARLY_SCAN_DELAY_MS, FRESH_ACCOUNT_MS, scanGroup, scanJob, SCAN_INTERVAL_MS } from './scan-group.js';
import type { TextSimilarity } from './text-signals.js';

const caseTarget: ButtonSpec['target'] = async (store, id) => {
  const flagCase = await store.moderation.getCase(id);
  return flagCase && { groupId: flagCase.groupId, chatId: flagCase.chatId };
};

const groupJob = z.object({ groupId: z.string().min(1) }).passthrough();

export interface ModerationDeps {
  /** Near-identical texts among a case's accounts (an LLM, or the offline finder); none: no text signals. */
  textSimilarity?: TextSimilarity;
  /** Draws each case's picture for its alert; none: alerts are text only. */
  pictures?: PictureRenderer;
}

export function moderationModule(deps: ModerationDeps = {}): FeatureModule {
  return {
    name: 'moderation',
    commands: [
      command({
        name: 'flags', zhName: '刷赞嫌疑', description: 'cmd.flags', audience: 'admin', requires: ['group', 'moderator'],
        args: [arg.integer('case', '案例编号', { en: 'Case number (default: list the open cases)', zh: '案例编号（默认：列出未处理的案例）' }, { min: 1 })],
        parse: optionalIdText('case', () => new UserError('flag.flags_usage')),
        run: (ctx, input) => showFlags(ctx, input.case, deps.pictures),
      }),
      command({
        name: 'unflag', zhName: '解除标记', description: 'cmd.unflag', audience: 'admin', requires: ['group', 'moderator'],
        args: memberArgs({ en: 'The member', zh: '成员' }, true),
        run: (ctx, { member, name }) => unflagMember(ctx, name ?? '', member ? [member] : []),
      }),
    ],
    buttons: [
      { prefix: 'mod:dismiss', access: 'moderator', target: caseTarget, run: (ctx, id) => dismissCase(ctx, id) },
      { prefix: 'mod:confirm', access: 'moderator', target: caseTarget, run: (ctx, id) => confirmCase(ctx, id) },
      { prefix: 'mod:members', access: 'moderator', target: caseTarget, run: (ctx, id) => showCaseMembers(ctx, id) },
      // A digest's case: shown whole, as `/flags <id>` shows it.
      {
        prefix: 'mod:show', access: 'moderator', target: caseTarget,
        run: async (ctx, id) => {
          const flagCase = await ctx.tx.moderation.getCase(id);
          if (!flagCase) throw new UserError('generic.stale_button');
          await showCase(ctx, flagCase, deps.pictures);
        },
      },
    ],
    jobs: [
      job({
        name: 'moderation.scan',
        schema: groupJob,
        run: async (services, { groupId }) => {
          const result = await scanGroup(services, groupId, { textSimilarity: deps.textSimilarity });
          if (result.alertNow.length || result.updateNow.length) await alertModerators(services, result.alertNow, deps.pictures, result.updateNow);
        },
      }),
      job({ name: 'moderation.digest', schema: groupJob, run: (services, { groupId }) => sendDigest(services, groupId, deps.pictures) }),
    ],
    // Every group with shares has its next periodic scan (keys make this a no-op when it exists).
    reconcile: async ({ store, clock }) =>
      (await store.moderation.groupsWithShares()).map((groupId) => scanJob(groupId, new Date(clock.now().getTime() + SCAN_INTERVAL_MS))),
    subscriptions: {
      // A like from an account new in the group: scan soon (one early scan per group and ten minutes), and make sure
      // the group's periodic scan exists.
      'share.liked': async (env, { groupId, likerId, at }) => {
        const since = await env.tx.moderation.memberSince(groupId, likerId);
        env.out.schedule(scanJob(groupId, new Date(at.getTime() + SCAN_INTERVAL_MS)));
        if (since && at.getTime() - since.getTime() < FRESH_ACCOUNT_MS) env.out.schedule(scanJob(groupId, new Date(at.getTime() + EARLY_SCAN_DELAY_MS), 'early'));
      },
    },
  };
}
