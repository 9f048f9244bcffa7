/**
 * Registers the slash commands with Discord: a bulk overwrite, globally or for one guild (guild commands show up at
 * once, which suits trying changes on a test server).
 */
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { CommandInfo } from '../../core/ports.js';
import { ConfigError } from '../config.js';
import { slashCommandBodies } from './slash-commands.js';

export interface RegisterOptions {
  token: string;
  applicationId: string;
  /** Register for this guild only; without it, globally. */
  guildId?: string;
  /** REST base URL (default Discord's), e.g. a test server. */
  apiBase?: string;
  /** The core's commands in English and Chinese (`commandInfos('en')`, `commandInfos('zh-CN')`). */
  english: CommandInfo[];
  chinese: CommandInfo[];
}

/** PUTs every command (replacing what was registered before); resolves to how many Discord now has. */
export async function registerSlashCommands(options: RegisterOptions): Promise<number> {
  const rest = new REST(options.apiBase ? { api: options.apiBase } : {}).setToken(options.token);
  const body = slashCommandBodies(options.english, options.chinese);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await rest.put(route, { body })) as unknown[];
  return registered.length;
}

/** `--guild 123` or `--guild=123`. */
export function guildArgument(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((a) => a === '--guild' || a.startsWith('--guild='));
  if (index < 0) return undefined;
  const value = argv[index]!.includes('=') ? argv[index]!.split('=')[1] : argv[index + 1];
  if (!value || !/^\d{15,21}$/.test(value)) throw new ConfigError([`--guild needs a guild id (digits), got "${value ?? ''}"`]);
  return value;
}
