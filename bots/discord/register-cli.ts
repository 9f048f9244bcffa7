/**
 * `npm run discord:register [-- --guild <id>]`: registers the slash commands for the bot in DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID, globally or for one guild.
 */
import { commandInfos } from '../../core/commands.js';
import { ConfigError, loadConfig } from '../config.js';
import { registerSlashCommands } from './register-commands.js';

/** `--guild 123` or `--guild=123`. */
export function guildArgument(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((a) => a === '--guild' || a.startsWith('--guild='));
  if (index < 0) return undefined;
  const value = argv[index]!.includes('=') ? argv[index]!.split('=')[1] : argv[index + 1];
  if (!value || !/^\d{15,21}$/.test(value)) throw new ConfigError([`--guild needs a guild id (digits), got "${value ?? ''}"`]);
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    throw new ConfigError(['DISCORD_TOKEN and DISCORD_APPLICATION_ID must both be set to register slash commands']);
  }
  const guildId = guildArgument(process.argv.slice(2));
  const count = await registerSlashCommands({
    token: config.DISCORD_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    ...(guildId ? { guildId } : {}),
    ...(config.DISCORD_API_BASE ? { apiBase: config.DISCORD_API_BASE } : {}),
    english: commandInfos('en'),
    chinese: commandInfos('zh-CN'),
  });
  process.stdout.write(`Registered ${count} slash commands ${guildId ? `for guild ${guildId}` : 'globally'}.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
