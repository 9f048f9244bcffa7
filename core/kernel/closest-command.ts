/**
 * Which command a member meant: by its English name or its Chinese name, typed with or without the slash, exactly
 * or with a small typo (`/jion`, `/hlep`, `/参加`). Used by `/help <command>` and to answer unknown commands.
 */

/** What a command is called: its English name (what Telegram accepts) and its localized Chinese name. */
export interface NamedCommand {
  name: string;
  zhName: string;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), over Unicode code points so a Chinese
 * character counts as one.
 * @example editDistance('jion', 'join') // 1
 */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

/** What was typed as a command name: without the slash (also the full-width ／), `@botname` or case. */
export function commandWord(typed: string): string {
  return typed.trim().replace(/^[/／]/, '').replace(/@.*$/, '').toLowerCase();
}

/** The command named exactly (English or Chinese name, with or without the slash), if any. */
export function findCommand<C extends NamedCommand>(typed: string, commands: readonly C[]): C | undefined {
  const word = commandWord(typed);
  return commands.find((c) => c.name === word || c.zhName === word);
}

/**
 * The command closest to what was typed, when it is close enough to be a typo: an edit distance of at most a third
 * of the word's length (at least 1, at most 3), or a start of at least three letters of a command's name. Ties go to
 * the earlier command in the list (list the ones members use most first).
 * @example closestCommand('/jion', commands)?.name // 'join'
 */
export function closestCommand<C extends NamedCommand>(typed: string, commands: readonly C[]): C | undefined {
  const word = commandWord(typed);
  if (!word) return undefined;
  const exact = findCommand(word, commands);
  if (exact) return exact;
  const allowed = Math.max(1, Math.min(3, Math.floor([...word].length / 3)));
  let best: { command: C; distance: number } | undefined;
  for (const command of commands) {
    const prefix = [...word].length >= 3 && (command.name.startsWith(word) || command.zhName.startsWith(word));
    const distance = Math.min(editDistance(word, command.name), editDistance(word, command.zhName), prefix ? 1 : Infinity);
    if (distance <= allowed && (!best || distance < best.distance)) best = { command, distance };
  }
  return best?.command;
}
