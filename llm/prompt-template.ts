/**
 * Prompt templates kept as files in prompts/: plain text with `{{name}}` variables, split into chat messages by
 * `<!-- role: system -->` / `<!-- role: user -->` lines. Rendering fails loudly when a variable of the template is
 * not given a value, or a value is given that the template does not use, so code and template cannot drift apart.
 *
 * @example
 *   const template = loadPromptTemplate('review-tagging');
 *   const messages = template.render({ reviews, languageHint, ... }); // [{ role: 'system', content }, ...]
 */
import { readFileSync } from 'node:fs';
import { sourcePath } from '../prisma/project-root.js';

export type PromptRole = 'system' | 'user' | 'assistant';

export interface PromptMessage {
  role: PromptRole;
  content: string;
}

/** A template that cannot be loaded or rendered; its message names the template and the variables. */
export class PromptTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromptTemplateError';
  }
}

/** The folder of prompt files: prompts/ at the project root. */
export const PROMPTS_DIR = sourcePath('../prompts/', import.meta.url);

const ROLE_LINE = /^<!-- role: (system|user|assistant) -->$/;
const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

export class PromptTemplate {
  /** Every variable the template uses, sorted. */
  readonly variables: readonly string[];

  constructor(
    readonly name: string,
    private readonly sections: readonly PromptMessage[],
  ) {
    if (sections.length === 0) throw new PromptTemplateError(`Prompt "${name}" has no <!-- role: ... --> section`);
    const names = new Set<string>();
    for (const section of sections) for (const match of section.content.matchAll(VARIABLE)) names.add(match[1]!);
    this.variables = [...names].sort();
  }

  /** Parses template text: a role line starts each message; text before the first role line is not allowed. */
  static parse(name: string, text: string): PromptTemplate {
    const sections: PromptMessage[] = [];
    const preamble: string[] = [];
    let current: { role: PromptRole; lines: string[] } | undefined;
    for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
      const role = ROLE_LINE.exec(line.trim())?.[1] as PromptRole | undefined;
      if (role) {
        if (current) sections.push({ role: current.role, content: current.lines.join('\n').trim() });
        current = { role, lines: [] };
      } else if (current) current.lines.push(line);
      else preamble.push(line);
    }
    if (current) sections.push({ role: current.role, content: current.lines.join('\n').trim() });
    if (preamble.some((line) => line.trim() !== '')) {
      throw new PromptTemplateError(`Prompt "${name}" has text before its first <!-- role: ... --> line`);
    }
    return new PromptTemplate(name, sections);
  }

  /**
   * The messages with every variable replaced, in one pass: a value that itself contains `{{x}}` (a review can)
   * is inserted as it is, never expanded.
   */
  render(values: Readonly<Record<string, string>>): PromptMessage[] {
    const given = Object.keys(values);
    const missing = this.variables.filter((v) => !Object.hasOwn(values, v));
    const unused = given.filter((v) => !this.variables.includes(v));
    if (missing.length > 0 || unused.length > 0) {
      const problems = [
        missing.length > 0 ? `missing value for ${missing.map((v) => `{{${v}}}`).join(', ')}` : '',
        unused.length > 0 ? `value given but not used by the template: ${unused.join(', ')}` : '',
      ].filter(Boolean);
      throw new PromptTemplateError(`Prompt "${this.name}": ${problems.join('; ')}`);
    }
    return this.sections.map((section) => ({
      role: section.role,
      content: section.content.replace(VARIABLE, (_, variable: string) => values[variable]!),
    }));
  }
}

/** Reads prompts/<name>.md; a missing file is an error naming the path. */
export function loadPromptTemplate(name: string, dir: string = PROMPTS_DIR): PromptTemplate {
  const path = `${dir.replace(/\/?$/, '/')}${name}.md`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PromptTemplateError(`Prompt "${name}" not found at ${path}: ${(error as Error).message}`);
  }
  return PromptTemplate.parse(name, text);
}
