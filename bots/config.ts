/**
 * Configuration from the environment, read once at start-up and validated with zod. Each bad value gets a clear
 * message naming the variable; secrets (tokens, database password) are never printed.
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v ? v : undefined));

const intInRange = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const url = (name: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { message: `${name} must be an http(s) URL` });

const snowflake = (name: string) =>
  optionalString.refine((v) => v === undefined || /^\d{15,21}$/.test(v), { message: `${name} must be a Discord id (15-21 digits)` });

/** Comma-separated Discord ids (role ids: Server Settings, Roles, right-click, Copy Role ID). */
const snowflakeList = (name: string) =>
  optionalString.transform((v, ctx) => {
    const ids = (v ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    const bad = ids.find((id) => !/^\d{15,21}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `${name} must be comma-separated Discord role ids, got "${bad}"` });
      return z.NEVER;
    }
    return ids;
  });

/** Where the dashboard listens when DASHBOARD_PORT is not set (on 127.0.0.1 unless DASHBOARD_HOST says otherwise). */
export const DEFAULT_DASHBOARD_PORT = 8088;

const envSchema = z.object({
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: 'DATABASE_URL must start with postgres:// or postgresql://',
  }),
  DATA_DIR: optionalString,
  DATABASE_POOL_SIZE: intInRange('DATABASE_POOL_SIZE', 1, 200, 10),
  TELEGRAM_BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]+$/.test(v), {
    message: 'TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)',
  }),
  TELEGRAM_API_ROOT: url('TELEGRAM_API_ROOT'),
  TELEGRAM_WEBHOOK_URL: url('TELEGRAM_WEBHOOK_URL'),
  TELEGRAM_WEBHOOK_HOST: optionalString,
  TELEGRAM_WEBHOOK_PORT: intInRange('TELEGRAM_WEBHOOK_PORT', 1, 65535, 8080),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
    message: 'TELEGRAM_WEBHOOK_SECRET may use only A-Z, a-z, 0-9, _ and - (1-256 characters)',
  }),
  DISCORD_TOKEN: optionalString.refine((v) => v === undefined || /^[\w-]+\.[\w-]+\.[\w-]+$/.test(v), {
    message: 'DISCORD_TOKEN does not look like a bot token (three dot-separated parts, from the Developer Portal, Bot tab)',
  }),
  DISCORD_APPLICATION_ID: snowflake('DISCORD_APPLICATION_ID'),
  DISCORD_API_BASE: url('DISCORD_API_BASE'),
  DISCORD_ADMIN_ROLE_IDS: snowflakeList('DISCORD_ADMIN_ROLE_IDS'),
  DISCORD_MODERATOR_ROLE_IDS: snowflakeList('DISCORD_MODERATOR_ROLE_IDS'),
  // Several processes on one Discord bot: each connects one gateway shard (README, "Running at scale").
  DISCORD_SHARD_ID: intInRange('DISCORD_SHARD_ID', 0, 16_383, -1).transform((v) => (v < 0 ? undefined : v)),
  DISCORD_SHARD_COUNT: intInRange('DISCORD_SHARD_COUNT', 1, 16_384, 0).transform((v) => (v < 1 ? undefined : v)),
  DEFAULT_LANGUAGE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? '').trim().toLowerCase();
      if (value === '' || value === 'zh' || value === 'zh-cn') return 'zh-CN' as const;
      if (value === 'en') return 'en' as const;
      ctx.addIssue({ code: 'custom', message: `DEFAULT_LANGUAGE must be zh-CN or en, got "${v}"` });
      return z.NEVER;
    }),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
  // The LLM review tagger (llm/create-review-tagger.ts): on when OPENAI_API_KEY or OPENAI_BASE_URL is set.
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: url('OPENAI_BASE_URL'),
  LLM_MODEL: optionalString,
  LLM_TIMEOUT_MS: intInRange('LLM_TIMEOUT_MS', 1000, 600_000, 30_000),
  LLM_BATCH_SIZE: intInRange('LLM_BATCH_SIZE', 1, 100, 20),
  LLM_MAX_RETRIES: intInRange('LLM_MAX_RETRIES', 0, 10, 2),
  CARD_EDIT_INTERVAL_MS: intInRange('CARD_EDIT_INTERVAL_MS', 0, 60_000, 1500),
  ADMIN_CACHE_SECONDS: intInRange('ADMIN_CACHE_SECONDS', 0, 86_400, 300),
  SWEEP_INTERVAL_SECONDS: intInRange('SWEEP_INTERVAL_SECONDS', 5, 3600, 30),
  // The admin web dashboard (bots/dashboard): on by default at http://127.0.0.1:8088; `off` loads none of it.
  DASHBOARD_PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const value = (v ?? '').trim().toLowerCase();
      if (value === '') return DEFAULT_DASHBOARD_PORT;
      if (value === 'off') return 'off' as const;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `DASHBOARD_PORT must be a port number from 1 to 65535 or off, got "${v}"` });
        return z.NEVER;
      }
      return n;
    }),
  DASHBOARD_HOST: optionalString,
  DASHBOARD_URL: url('DASHBOARD_URL'),
  // How long start-up waits for the first answer of Telegram, Discord or PostgreSQL before it fails, naming the variable.
  STARTUP_TIMEOUT_SECONDS: intInRange('STARTUP_TIMEOUT_SECONDS', 1, 600, 20),
  // Health and metrics (bots/ops/metrics-server.ts): served only when METRICS_PORT is set; 0 picks a free port.
  METRICS_PORT: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65535) {
        ctx.addIssue({ code: 'custom', message: `METRICS_PORT must be a port number from 0 to 65535, got "${v}"` });
        return z.NEVER;
      }
      return n;
    }),
  METRICS_HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
}).superRefine((env, ctx) => {
  // One without the other cannot work: the token logs in, the application id addresses interactions and commands.
  if (Boolean(env.DISCORD_TOKEN) !== Boolean(env.DISCORD_APPLICATION_ID)) {
    ctx.addIssue({ code: 'custom', path: [env.DISCORD_TOKEN ? 'DISCORD_APPLICATION_ID' : 'DISCORD_TOKEN'], message: 'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set together' });
  }
  // A shard is one of a known number: both or neither, the id below the count.
  if ((env.DISCORD_SHARD_ID === undefined) !== (env.DISCORD_SHARD_COUNT === undefined)) {
    ctx.addIssue({ code: 'custom', path: [env.DISCORD_SHARD_ID === undefined ? 'DISCORD_SHARD_ID' : 'DISCORD_SHARD_COUNT'], message: 'DISCORD_SHARD_ID and DISCORD_SHARD_COUNT must be set together' });
  } else if (env.DISCORD_SHARD_ID !== undefined && env.DISCORD_SHARD_ID >= env.DISCORD_SHARD_COUNT!) {
    ctx.addIssue({ code: 'custom', path: ['DISCORD_SHARD_ID'], message: `DISCORD_SHARD_ID must be below DISCORD_SHARD_COUNT (${env.DISCORD_SHARD_COUNT}): shards are numbered from 0, got ${env.DISCORD_SHARD_ID}` });
  }
});

export type Config = z.infer<typeof envSchema>;

/** Reads and checks the environment; throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `- ${issue.path.join('.') || 'env'}: ${issue.message}`));
  }
  return result.data;
}

/** Configuration that cannot work; its message lists each problem, never a secret value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}
