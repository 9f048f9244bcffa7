/**
 * `npm run discord:register [-- --guild <id>]`: registers the slash commands for the bot in DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID, globally or for one guild.
 */
import { commandInfos } from '../../core/features.js';
import { ConfigError, loadConfig } from '../config.js';
import { guildArgument, registerSlashCommands } from './register-commands.js';

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
