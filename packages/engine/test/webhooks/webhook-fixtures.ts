import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Engine, openEngine, type WebhookOptions } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

/** A clock the test moves. */
export interface TestClock {
  now: Date;
}

/** One request a receiver got. */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the receiver answers: a status and body, or anything it writes itself. */
export type Reply = (response: ServerResponse, received: Received) => void;

/** An HTTP receiver on 127.0.0.1 that records every request and answers with `reply`. */
export interface Receiver {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  reply: Reply;
  close(): Promise<void>;
}

const answer200: Reply = (response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
};

/** Starts a receiver on `host` (default 127.0.0.1), on a free port or `port`. */
export async function startReceiver(
  port = 0,
  reply: Reply = answer200,
  host = '127.0.0.1',
): Promise<Receiver> {
  const received: Received[] = [];
  const state = { reply };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const got = { headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(got);
      state.reply(response, got);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/hook`,
    port: actual,
    received,
    get reply() {
      return state.reply;
    },
    set reply(r: Reply) {
      state.reply = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function freePort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}

/** An engine (in memory unless `path`) whose clock is `clock.now`, 127.0.0.1 allowed as a receiver. */
export function openWebhookEngine(
  clock: TestClock,
  options: WebhookOptions = {},
  path = ':memory:',
): Promise<Engine> {
  return openEngine({
    path,
    now: () => clock.now,
    workers: { threads: 1 },
    webhooks: { allowHosts: ['127.0.0.1'], jitterSeed: 42, ...options },
  });
}

/** Appends an event through the outbox in a transaction of its own (the producers' way). */
export async function appendEvent(
  engine: Engine,
  type:
    | 'ANOMALY_DETECTED'
    | 'KPI_THRESHOLD_BREACHED'
    | 'MODEL_TRAINING_COMPLETED'
    | 'COST_THRESHOLD_EXCEEDED',
  payload: Record<string, unknown>,
): Promise<void> {
  await internalContext(engine).db.transaction((tx) => engine.events.append(tx, type, payload));
}
