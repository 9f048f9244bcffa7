import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casePictureSize } from '../../core/moderation/case-picture.js';
import { pngSize } from '../support/png.js';

const root = new URL('../..', import.meta.url).pathname;

/** Runs `npm start`'s entry as users do, with standard input from a script; resolves with what it printed. */
function start(input: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bots/main.ts'], {
      cwd: root,
      // No dashboard: bots started side by side by the test workers would race for its port.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'C.UTF-8', DASHBOARD_PORT: 'off', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm start without a bot token (the playground)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tuanbot-playground-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('plays the example script: a whole group buy from opening to delivery', async () => {
    const script = await readFile(join(root, 'examples/playground.txt'), 'utf8');
    const { code, stdout } = await start(script, { DATA_DIR: join(dataDir, 'example') });
    expect(code).toBe(0);
    expect(stdout).toContain('🛒 Group buy #1: Organic strawberries 1.5kg');
    expect(stdout).toContain('Dave, only 1 unit is left in #1 (you asked for 2). Take 1, or wait for 2 on the waitlist?');
    expect(stdout).toContain('Dave is on the waitlist of #1 for ×2 (position 1); 1 unit is left for now.');
    expect(stdout).not.toContain('#1 is full');
    expect(stdout).toContain('Erin joined #1 ×1.');
    expect(stdout).toContain('Your note on #1: pick up after 6pm');
    expect(stdout).toContain('🈵 FULL: new sign-ups go on the waitlist');
    expect(stdout).toContain('Good news: a place opened in #1 Organic strawberries 1.5kg. You are in with ×2.');
    expect(stdout).toContain('name,platform id,quantity,price,paid,delivered,pickup,joined at,status');
    expect(stdout).toContain('✅ Group buy #1 Organic strawberries 1.5kg is formed: 5 units from 3 members at ¥35.90 per unit.');
    expect(stdout).toContain('#1 Organic strawberries 1.5kg ×2 · formed, delivered · Playground');
  }, 120_000);

  it('keeps its data across restarts in the data folder', async () => {
    const dir = join(dataDir, 'restart');
    const first = await start('/lang zh\n/newbuy 有机草莓 | 39.9 | 最少 2 | 最多 10 | 截止 3d\n/as bob\n/join 3\n', { DATA_DIR: dir });
    expect(first.code).toBe(0);
    const second = await start('/buys\n', { DATA_DIR: dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('进行中的拼团：');
    expect(second.stdout).toMatch(/#1 有机草莓 · ¥39\.90 · 3\/10 · 截止 /);
  }, 120_000);

  it('runs the durable jobs its moved clock makes due: a review request three days after delivery', async () => {
    // Quiet hours off: otherwise the request waits for 08:00 whenever the run's clock lands in the group's night.
    const script = ['/lang en', '/reviewconfig quiet off', '/newbuy Tea | 10 | min 1 | max 5 | ends 2h', '/as bob', '/join 2', '/as alice', '/closebuy', '/delivered all', '/skip 2d', '/skip 1d'].join('\n');
    const { code, stdout } = await start(`${script}\n`, { DATA_DIR: join(dataDir, 'jobs') });
    expect(code).toBe(0);
    const afterTwoDays = stdout.slice(stdout.indexOf('/skip 2d'), stdout.indexOf('/skip 1d'));
    const afterThreeDays = stdout.slice(stdout.indexOf('/skip 1d'));
    expect(afterTwoDays).not.toContain('[private to Bob, message');
    expect(afterThreeDays).toContain('[private to Bob, message');
    expect(afterThreeDays).toMatch(/How was #1 Tea|#1 Tea（Playground）/);
  }, 120_000);

  it('lets every feature be tried: admin alerts to the admin list, review photos and video, a photo share liked by reaction', async () => {
    const script = [
      '/lang en', '/timezone Europe/Berlin', '/admins', '/as carol admin en', '/as alice', '/admins',
      '/newbuy Tea | 10 | min 1 | max 5 | ends 2h', '/as bob en', '/join 2', '/as alice', '/closebuy', '/delivered all', '/skip 3d',
      // Bob's request carries the star buttons 5-9: one star, then the text, two photos and a 16-second video.
      '/as bob', '/in private', '/press 5', 'Bad, they were broken', '/photo broken leaves', '/photo', '/video 16s',
      '/in group', '/photo /share #1 Still a nice teapot', '/as dave en', '/react last ❤️', '/as erin en', '/react last 👍', '/unreact last 👍',
      '/react 999 👍',
    ].join('\n');
    const { code, stdout } = await start(`${script}\n`, { DATA_DIR: join(dataDir, 'features') });
    expect(code).toBe(0);
    expect(stdout).toContain("(the group's admins: Alice)");
    expect(stdout).toContain("(the group's admins: Alice, Carol)");
    // /skip speaks the group's time zone, as the cards do.
    expect(stdout).toMatch(/\(clock moved forward to \d{4}-\d\d-\d\d \d\d:\d\d Europe\/Berlin, the group's time zone\)/);
    // The negative review alerts both admins privately, each with a contact button.
    expect(stdout).toMatch(/🤖 \[private to Alice, message \d+\]\n {3}⚠️ Unhappy buyer in Playground: #1 Tea\n {3}Bob rated it ⭐ \(1\/5\)/);
    expect(stdout).toMatch(/🤖 \[private to Carol, message \d+\]\n {3}⚠️ Unhappy buyer in Playground: #1 Tea/);
    expect(stdout).not.toMatch(/\[private to (Bob|Dave), message \d+\]\n {3}⚠️/);
    // Photos and a video reach the review, and the video pays the rich bonus.
    expect(stdout).toContain('(Bob sent a video of 16 s: pg-video-3)');
    expect(stdout).toContain('Got it: 2 photos, 1 video. Send more, or press Done.');
    expect(stdout).toContain('📸 Rich review bonus: +10 points');
    // A share with its photo, liked by one reaction and by another taken back.
    expect(stdout).toMatch(/🖼️ \(photo pg-photo-4\)\n {3}📣 Share 1 by Bob · about #1 Tea/);
    const afterReactions = stdout.slice(stdout.indexOf('Erin> /unreact last'));
    expect(stdout.slice(stdout.indexOf('Dave> /react last'), stdout.indexOf('Erin> /react last'))).toContain('❤️ 1 like\n');
    expect(stdout.slice(stdout.indexOf('Erin> /react last'), stdout.indexOf('Erin> /unreact last'))).toContain('❤️ 2 likes\n');
    expect(afterReactions).toContain('❤️ 1 like\n');
    expect(afterReactions).toContain('There is no message 999.');
  }, 120_000);

  it('saves the picture of a fake-likes case beside its data folder and prints where', async () => {
    const dir = join(dataDir, 'pictures-run');
    const burst = Array.from({ length: 8 }, (_, i) => `/as pat${i + 1}\n/press 1`).join('\n');
    const { code, stdout } = await start(`/lang en\n/share Huge strawberries\n${burst}\n/skip 3m\n`, { DATA_DIR: join(dir, 'pglite') });
    expect(code).toBe(0);
    const saved = /🖼️ {2}\[private to Alice\] picture saved: (\S+\.png)\n {3}⚠️ Possible fake likes in Playground: case 1 \(like burst\)/.exec(stdout);
    expect(saved, stdout.slice(-2000)).not.toBeNull();
    expect(saved![1]!.startsWith(join(dir, 'pictures'))).toBe(true);
    expect(pngSize(new Uint8Array(await readFile(saved![1]!)))).toEqual(casePictureSize(8));
  }, 180_000);

  it('refuses a bad configuration naming the variable, without echoing secrets', async () => {
    const { code, stderr } = await start('', { DATA_DIR: join(dataDir, 'bad'), TELEGRAM_BOT_TOKEN: 'not-a-token-secret', DATABASE_POOL_SIZE: 'lots' });
    expect(code).toBe(2);
    expect(stderr).toContain('TELEGRAM_BOT_TOKEN does not look like a bot token');
    expect(stderr).toContain('DATABASE_POOL_SIZE must be a whole number from 1 to 200, got "lots"');
    expect(stderr).not.toContain('not-a-token-secret');
  }, 60_000);
});
