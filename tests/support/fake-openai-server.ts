/**
 * A local OpenAI-compatible server for tests: answers POST /v1/chat/completions in OpenAI's shape, so the real
 * LangChain client (and the real OpenAI SDK under it) is exercised. Each test scripts the replies: good answers,
 * malformed ones, slow ones; closedPortBaseUrl() gives a server that is down. Every request body is recorded.
 *
 * A structured reply goes back the way the request asked for it: as a tool call when the request has `tools`
 * (LangChain's functionCalling), as JSON in `content` otherwise (`response_format` json_schema / json_object).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatMessage {
  role: string;
  content: string;
}

/** A request as received: the parsed body, the headers, and the user message's reviews for convenience. */
export interface ChatCompletionRequest {
  body: {
    model: string;
    messages: ChatMessage[];
    tools?: { type: string; function: { name: string; parameters: unknown } }[];
    tool_choice?: unknown;
    response_format?: { type: string };
    [key: string]: unknown;
  };
  headers: IncomingHttpHeaders;
}

export type FakeReply =
  /** A well-formed answer carrying `value` (as a tool call's arguments, or as JSON content). */
  | { kind: 'structured'; value: unknown; usage?: Usage }
  /** A tool call (or content, without tools) whose arguments are exactly this text: invalid JSON, say. */
  | { kind: 'rawArguments'; text: string; usage?: Usage }
  /** A plain text answer in `content`, no tool call. */
  | { kind: 'content'; text: string; usage?: Usage }
  | { kind: 'http'; status: number; body: unknown }
  /** Waits, then replies (or never, if the client gave up and closed the connection). */
  | { kind: 'delay'; ms: number; then: FakeReply }
  /** Closes the connection without a response. */
  | { kind: 'hangUp' };

export type FakeHandler = (request: ChatCompletionRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, for OPENAI_BASE_URL / `configuration.baseURL`. */
  baseURL: string;
  /** Every chat completion request received, in order. */
  requests: ChatCompletionRequest[];
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

export const DEFAULT_USAGE: Usage = { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 };

let nextId = 1;

function completion(request: ChatCompletionRequest, message: Record<string, unknown>, usage: Usage, finishReason: string) {
  return {
    id: `chatcmpl-fake-${nextId++}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.body.model,
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: finishReason }],
    usage,
  };
}

function toolOrContent(request: ChatCompletionRequest, argumentsText: string, usage: Usage) {
  const tool = request.body.tools?.[0];
  if (!tool) return completion(request, { content: argumentsText }, usage, 'stop');
  return completion(
    request,
    {
      content: null,
      tool_calls: [{ id: `call_${nextId++}`, type: 'function', function: { name: tool.function.name, arguments: argumentsText } }],
    },
    usage,
    'tool_calls',
  );
}

export async function startFakeOpenAiServer(handler: FakeHandler = tagEveryReview()): Promise<FakeOpenAiServer> {
  let current = handler;
  const requests: ChatCompletionRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const request: ChatCompletionRequest = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: req.headers };
      requests.push(request);
      let reply = await current(request);
      while (reply.kind === 'delay') {
        const { ms, then } = reply;
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (res.destroyed || req.socket.destroyed) return;
        reply = then;
      }
      if (reply.kind === 'hangUp') {
        req.socket.destroy();
        return;
      }
      if (reply.kind === 'http') {
        res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        return;
      }
      const usage = reply.usage ?? DEFAULT_USAGE;
      const body =
        reply.kind === 'structured'
          ? toolOrContent(request, JSON.stringify(reply.value), usage)
          : reply.kind === 'rawArguments'
            ? toolOrContent(request, reply.text, usage)
            : completion(request, { content: reply.text }, usage, 'stop');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A base URL where nothing listens: a port that was free a moment ago. */
export async function closedPortBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** The reviews in a request's user message, as the prompt delimits them. */
export function reviewsInRequest(request: ChatCompletionRequest): { id: string; text: string }[] {
  const user = request.body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
  return [...user.matchAll(/<review id="([^"]*)">\n([\s\S]*?)\n<\/review>/g)].map((m) => ({ id: m[1]!, text: m[2]! }));
}

/** Tags a fake model would give: keyword sentiment, no aspects; enough to tell results apart in tests. */
export function keywordTags(text: string) {
  const negative = /bad|broken|slow|terrible|差|坏|慢|烂/i.test(text);
  const positive = /good|great|fresh|sweet|love|好|甜|新鲜|喜欢/i.test(text);
  const sentiment = negative ? 'negative' : positive ? 'positive' : 'neutral';
  return {
    sentiment,
    score: sentiment === 'positive' ? 0.8 : sentiment === 'negative' ? -0.7 : 0,
    aspects: negative ? [{ aspect: 'quality', sentiment: 'negative' }] : [],
    flags: [] as string[],
    language: /\p{Script=Han}/u.test(text) ? 'zh' : 'en',
  };
}

/** A handler answering every review of the request with `tags(text)` (default keywordTags), ids copied. */
export function tagEveryReview(tags: (text: string) => object = keywordTags, usage: Usage = DEFAULT_USAGE): FakeHandler {
  return (request) => ({
    kind: 'structured',
    value: { results: reviewsInRequest(request).map((review) => ({ id: review.id, ...tags(review.text) })) },
    usage,
  });
}
