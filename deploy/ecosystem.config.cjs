/**
 * pm2 process file: several tuanbot processes on one PostgreSQL server, Telegram in webhook mode behind a load
 * balancer (deploy/nginx-tuanbot.conf), Discord as one gateway shard per process. README.md, "Running at scale",
 * explains the layout.
 *
 *   npm ci                                      # installs and builds dist/ (npm start's code)
 *   set -a; . /etc/tuanbot/tuanbot.env; set +a  # DATABASE_URL, TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_URL, ...
 *   pm2 start deploy/ecosystem.config.cjs
 *   pm2 save                                    # and `pm2 startup` once, to start them at boot
 *
 * Telegram, Discord or both: whichever tokens the environment has. For Discord, put DISCORD_TOKEN and
 * DISCORD_APPLICATION_ID in the same environment file; each process below then connects shard i of INSTANCES
 * (DISCORD_SHARD_ID, DISCORD_SHARD_COUNT), Discord sends each server's events to one of them and direct messages to
 * shard 0. Discord only (no TELEGRAM_BOT_TOKEN): the webhook ports are not opened and nginx is not needed.
 *
 * Secrets come from the environment pm2 is started in and are never written here. Each process gets its own
 * webhook port (the load balancer's upstreams), metrics port and, on the first only, the dashboard.
 * tests/bots/two-processes.test.ts starts exactly these apps (script, cwd, env) on a fresh PostgreSQL database with a
 * fake Telegram in front, and tests/bots/discord-shards.test.ts with a fake Discord that routes by shard, so this
 * file cannot drift from what the bot accepts.
 */
const path = require('node:path');

/** Processes to run; add an upstream to the load balancer for each. */
const INSTANCES = 2;

/** Variables passed through from the environment pm2 is started in, when set there. */
const PASSED_THROUGH = [
  'DATABASE_URL',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_URL',
  'TELEGRAM_WEBHOOK_SECRET',
  'DISCORD_TOKEN',
  'DISCORD_APPLICATION_ID',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'LLM_MODEL',
  'DASHBOARD_URL',
  'DEFAULT_LANGUAGE',
];
const passed = Object.fromEntries(PASSED_THROUGH.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));

const shared = {
  LOG_LEVEL: 'info',
  ...passed,
  // Connections per process: this pool, plus 4 for the job queue (pg-boss), plus 2 while migrating at start.
  DATABASE_POOL_SIZE: '10',
  // The load balancer runs on this machine; the processes need not listen on other interfaces.
  TELEGRAM_WEBHOOK_HOST: '127.0.0.1',
  METRICS_HOST: '127.0.0.1',
  // Card edits are spaced across all processes through the database (ADR 022): the interval does not grow with
  // INSTANCES.
  CARD_EDIT_INTERVAL_MS: '3000',
};

module.exports = {
  apps: Array.from({ length: INSTANCES }, (_, i) => ({
    name: `tuanbot-${i + 1}`,
    cwd: path.join(__dirname, '..'),
    // npm start's command: compiled JavaScript (ADR 017). pm2 runs it with node.
    script: 'dist/bots/main.js',
    // npm start's node flags: a small young generation and two V8 helper threads (instead of 4, each keeping its own
    // malloc arena at its start-up peak) keep the idle memory down (ADR 017).
    node_args: '--max-semi-space-size=2 --v8-pool-size=2',
    exec_mode: 'fork',
    autorestart: true,
    // SIGTERM first: the bot finishes the updates it is handling and its card edits (bounded to 30 s), then exits 0.
    kill_timeout: 35_000,
    env: {
      ...shared,
      TELEGRAM_WEBHOOK_PORT: String(8081 + i),
      METRICS_PORT: String(9464 + i),
      // The dashboard keeps its sessions in the database, so any process could serve it; one is enough.
      DASHBOARD_PORT: i === 0 ? '8088' : 'off',
      // Discord: each process connects one gateway shard of INSTANCES (ignored without DISCORD_TOKEN). Every shard
      // needs a running process: a server whose shard has none gets no answer to its commands and buttons.
      DISCORD_SHARD_ID: String(i),
      DISCORD_SHARD_COUNT: String(INSTANCES),
    },
  })),
};
