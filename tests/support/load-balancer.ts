/**
 * A round-robin HTTP load balancer for tests, behaving as the nginx example in deploy/nginx-tuanbot.conf does with
 * its defaults (`proxy_next_upstream error timeout`, `max_fails=1`, `fail_timeout=10s`):
 * - each request goes to the next upstream in turn;
 * - an upstream that refuses the connection is marked down for `failTimeoutMs` and the request goes to the next one
 *   (nothing was sent yet, so trying another is safe even for a POST);
 * - an upstream that fails after the request was sent (a process killed while handling it) is marked down too, and
 *   the client gets 502: nginx does not send a POST to a second upstream once the first may have acted on it. For a
 *   Telegram webhook that is right: Telegram sends the update again later, and the bot's update keys absorb the
 *   repeat if the first process had committed it.
 */
import { request as httpRequest, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

export class LoadBalancer {
  /** Requests answered by each upstream (`host:port`), any status. */
  readonly served = new Map<string, number>();
  /** Requests answered 502 because their upstream failed after the request was sent. */
  failedAfterSend = 0;
  private next = 0;
  private readonly downUntil = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly upstreams: Upstream[],
    private readonly failTimeoutMs: number,
  ) {}

  static async start(upstreams: Upstream[], options: { failTimeoutMs?: number } = {}): Promise<LoadBalancer> {
    let balancer!: LoadBalancer;
    const server = createServer((req, res) => void balancer.forward(req, res));
    balancer = new LoadBalancer(server, upstreams, options.failTimeoutMs ?? 10_000);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return balancer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Every upstream at most once per request, skipping those marked down (all down: try them anyway, as nginx does).
    const order = this.upstreams.map((_, i) => this.upstreams[(this.next + i) % this.upstreams.length]!);
    this.next = (this.next + 1) % this.upstreams.length;
    const now = Date.now();
    const candidates = order.filter((u) => (this.downUntil.get(key(u)) ?? 0) <= now);
    for (const upstream of candidates.length > 0 ? candidates : order) {
      const outcome = await this.attempt(upstream, req, body, res);
      if (outcome === 'answered') return;
      this.downUntil.set(key(upstream), Date.now() + this.failTimeoutMs);
      if (outcome === 'failed-after-send') {
        this.failedAfterSend++;
        return void (res.headersSent ? res.destroy() : res.writeHead(502).end());
      }
    }
    if (!res.headersSent) res.writeHead(502).end();
  }

  /** Sends the request to one upstream and pipes its answer back. */
  private attempt(upstream: Upstream, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<'answered' | 'refused' | 'failed-after-send'> {
    return new Promise((resolve) => {
      let connected = false;
      const outgoing = httpRequest(
        { agent: false, host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, 'content-length': String(body.length), connection: 'close' } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', () => {
            this.served.set(key(upstream), (this.served.get(key(upstream)) ?? 0) + 1);
            resolve('answered');
          });
          answer.on('error', () => resolve('failed-after-send'));
        },
      );
      outgoing.on('socket', (socket) => socket.on('connect', () => (connected = true)));
      outgoing.on('error', () => resolve(connected ? 'failed-after-send' : 'refused'));
      outgoing.end(body);
    });
  }
}

function key(upstream: Upstream): string {
  return `${upstream.host}:${upstream.port}`;
}
