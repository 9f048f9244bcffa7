import { replyInChat, say, type HandlerContext } from '../context.js';
import { UserError } from '../errors.js';
import { seasonName, seasonStart, type Season } from './point-calendar.js';

const SHOWN = 10;
const MEDALS = ['🥇', '🥈', '🥉'];

/** Reads `/top` arguments: week (default), month or all, in English or Chinese. */
export function parseSeason(args: string): Season | 'all' {
  const word = args.trim().toLowerCase();
  if (['', 'week', 'weekly', 'w', '周', '本周', '周榜'].includes(word)) return 'week';
  if (['month', 'monthly', 'm', '月', '本月', '月榜'].includes(word)) return 'month';
  if (['all', 'total', 'alltime', 'all-time', '总', '总榜', '全部'].includes(word)) return 'all';
  throw new UserError('points.top_usage');
}

/**
 * `/top [week|month|all]`: the group's leaderboard. Weeks (Monday to Sunday) and months are seasons in the
 * group's time zone, summed from the ledger by time, so a new season starts from zero and no history is deleted.
 */
export async function showTop(ctx: HandlerContext, args: string): Promise<void> {
  if (!ctx.group) throw new UserError('generic.group_only');
  const group = ctx.group;
  const season = parseSeason(args);
  const since = season === 'all' ? null : seasonStart(season, ctx.now, group.timeZone);
  // The ten shown, and the asker's own place when below them: counted in the database, not read member by member.
  const rows = await ctx.tx.points.leaderboard(group.id, since, SHOWN);
  const title =
    season === 'all'
      ? say(ctx, 'points.top_title_all')
      : season === 'week'
        ? say(ctx, 'points.top_title_week', { since: seasonName('week', ctx.now, group.timeZone) })
        : say(ctx, 'points.top_title_month', { month: seasonName('month', ctx.now, group.timeZone) });
  if (rows.length === 0) {
    replyInChat(ctx, `${title}\n${say(ctx, 'points.top_none')}`);
    return;
  }
  const lines = [title];
  rows.forEach((row, i) => lines.push(say(ctx, 'points.top_line', { rank: MEDALS[i] ?? `${i + 1}.`, name: row.displayName, points: row.points })));
  if (rows.length === SHOWN && !rows.some((row) => row.memberId === ctx.member.id)) {
    const mine = await ctx.tx.points.leaderboardRank(group.id, since, ctx.member.id);
    if (mine && mine.rank > SHOWN) lines.push(say(ctx, 'points.top_you', { rank: mine.rank, points: mine.points }));
  }
  replyInChat(ctx, lines.join('\n'));
}
