/**
 * Keeping text within Discord's 2000 characters without losing anything silently: ordinary messages are split into
 * several, a card (which must stay one message to be edited in place) is summarised with a marker saying how many
 * lines are not shown.
 */
import { splitText } from '../text-split.js';

export { splitText };

/** How many lines at the end of a card are always kept: its status and footer lines. */
const KEPT_TAIL_LINES = 2;

/**
 * A card within `limit`: when too long, lines are dropped from the middle (the end of the member lists), the head
 * (title, price, counts) and the last lines (status) stay, and a line `⋯ +N` says how many lines are hidden. The
 * database keeps everyone; `/export` lists them all.
 */
export function fitCard(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const lines = text.split('\n');
  const tail = lines.slice(-KEPT_TAIL_LINES);
  const head = lines.slice(0, -KEPT_TAIL_LINES);
  let hidden = 0;
  const render = () => [...head, `⋯ +${hidden}`, ...tail].join('\n');
  while (head.length > 0 && render().length > limit) {
    head.pop();
    hidden += 1;
  }
  const fitted = render();
  if (fitted.length <= limit) return fitted;
  // Pathological lines (one line longer than the limit): cut with an ellipsis, the only place text is cut.
  return `${fitted.slice(0, limit - 1)}…`;
}

