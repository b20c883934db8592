import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { repoRoot } from './run-cli.ts';

/** One request a {@link TestReceiver} got: its headers and exact body. */
export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status it was answered with. */
  readonly status: number;
}

/** How the receiver answers: a status, and optionally headers (a redirect's `Location`) and a body. */
interface ReceiverAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** A webhook receiver on 127.0.0.1 in the test process that records every request. */
export interface TestReceiver {
  /** `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** How the next requests are answered (default 200 `{"ok":true}`). */
  answer(
    answer: ReceiverAnswer | ((request: { headers: IncomingHttpHeaders; body: string }) => ReceiverAnswer),
  ): void;
  /** Stops listening (deliveries then fail with connection refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Requests answered 2xx, by X-Insights-Event-Id. */
  acceptedByEvent(): Map<string, number>;
  close(): Promise<void>;
}

/** Starts a {@link TestReceiver} on a free port (or `port`). */
export async function startReceiver(port = 0): Promise<TestReceiver> {
  const received: ReceivedRequest[] = [];
  let respond: (request: { headers: IncomingHttpHeaders; body: string }) => ReceiverAnswer = () => ({
    status: 200,
    body: '{"ok":true}',
  });
  const make = () =>
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const answer = respond({ headers: request.headers, body });
        received.push({ headers: request.headers, body, status: answer.status });
        response.writeHead(answer.status, answer.headers ?? {});
        response.end(answer.body ?? '');
      });
    });
  let server: Server | undefined;
  const listen = (on: number) =>
    new Promise<number>((resolve, reject) => {
      const s = make();
      s.once('error', reject);
      s.listen(on, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      if (!s) return resolve();
      s.close(() => resolve());
      s.closeAllConnections();
    });
  const bound = await listen(port);
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    answer: (answer) => {
      respond = typeof answer === 'function' ? answer : () => answer;
    },
    down: stop,
    up: async () => {
      await listen(bound);
    },
    acceptedByEvent: () => {
      const counts = new Map<string, number>();
      for (const r of received) {
        if (r.status < 200 || r.status > 299) continue;
        const id = String(r.headers['x-insights-event-id']);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    close: stop,
  };
}

/** An example receiver (`examples/webhook-receiver.mjs` or `webhook_receiver.py`) run as a process. */
export interface ExampleReceiver {
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The JSON lines it printed, one per event it handled. */
  lines(): { delivery_id: string; event: { id: string; type: string; created_at: string; data: unknown } }[];
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Starts an example receiver with `secret` on a free port: `node examples/webhook-receiver.mjs` or
 * `/usr/bin/python3 examples/webhook_receiver.py`, and resolves once it prints where it listens.
 */
export function startExampleReceiver(language: 'node' | 'python', secret: string): Promise<ExampleReceiver> {
  const [command, script] =
    language === 'node'
      ? [process.execPath, 'examples/webhook-receiver.mjs']
      : ['/usr/bin/python3', 'examples/webhook_receiver.py'];
  const child = spawn(command, [script], {
    cwd: repoRoot,
    env: { ...process.env, WEBHOOK_SECRET: secret, PORT: '0' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (!match?.[1]) return;
      child.stdout.off('data', check);
      resolve({
        child,
        url: `${match[1]}/`,
        lines: () =>
          out
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line)),
        stderr: () => err,
        close: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout.on('data', check);
    exited.then(() => reject(new Error(`${script} exited: ${err}`)));
  });
}
