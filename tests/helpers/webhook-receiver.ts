import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** A request the receiver got. */
export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed: { id, type, createdAt, data }. */
  event: { id: string; type: string; createdAt: string; data: any };
}

export interface WebhookReceiver {
  /** The receiver's base address (http://127.0.0.1:<port>); add a path per webhook. */
  url: string;
  received: ReceivedDelivery[];
  /** What the receiver got on one path. */
  on(path: string): ReceivedDelivery[];
  /** The next answers' status codes, in order (then 200 again); e.g. [500, 503] fails twice then recovers. */
  answerWith(statuses: number[]): void;
  /** Every answer has this status until set back to null. */
  alwaysAnswer(status: number | null): void;
  clear(): void;
  close(): Promise<void>;
}

/** A real HTTP server on a random local port, standing for a partner's webhook endpoint. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  let queued: number[] = [];
  let always: number | null = null;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: request.url ?? '/', headers: request.headers, body, event: JSON.parse(body) });
      const status = always ?? queued.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    on: (path) => received.filter((entry) => entry.path === path),
    answerWith(statuses) {
      queued = [...statuses];
    },
    alwaysAnswer(status) {
      always = status;
    },
    clear() {
      received.length = 0;
      queued = [];
      always = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a partner's receiver does with a delivery (the README's recipe): recompute the HMAC-SHA256
 * of "<timestamp>.<body>" with the secret, compare in constant time, and refuse timestamps more
 * than five minutes away from its own clock.
 */
export function verifyDelivery(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const timestamp = Number(headers['webhook-timestamp']);
  const signature = String(headers['webhook-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
