import { request } from 'node:http';
import { type Engine, openEngine } from '@incident-insights/engine';
import { type RunningServer, serve } from '@incident-insights/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What a read costs beyond its answer on the Node server: a GET must not make the Node adapter build
// a whole fetch Request (headers copied, an abort controller of its own and one inside the Request)
// for a body it cannot have. Those objects outlive the request until a full collection, and at
// thousands of reads a second they grew the heap and the collector's pauses (bench/RESULTS.md,
// issue 14, 2026-12-05 07:49–07:50 UTC). Bodies of writes are still limited.
let engine: Engine;
let server: RunningServer;
let key: string;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:' });
  await engine.auth.createUser({ username: 'a', role: 'admin' });
  key = (await engine.auth.createToken({ user: 'a' })).key;
  server = await serve(engine, {
    port: 0,
    handleSignals: false,
    app: { logger: false, rateLimit: false, bodyLimitBytes: 1024 },
  });
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

/**
 * One request over a socket (node:http, which makes no fetch objects of its own). A body goes with
 * its `Content-Length`, or `chunked` in two pieces of unknown total length.
 */
function send(
  method: string,
  path: string,
  body?: string,
  chunked = false,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, server.url),
      {
        method,
        headers: {
          Authorization: `Token ${key}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(body !== undefined && !chunked ? { 'Content-Length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined && chunked) {
      req.write(body.slice(0, 10));
      req.end(body.slice(10));
    } else req.end(body);
  });
}

/** How many abort controllers the process makes while `work` runs. */
async function abortControllersDuring(work: () => Promise<void>): Promise<number> {
  const Original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    await work();
  } finally {
    globalThis.AbortController = Original;
  }
  return made;
}

describe('a read through the Node server', () => {
  it('builds no fetch Request: no abort controller for 20 GETs of an incident and a list', async () => {
    const created = await engine.incidents.create({
      title: 'disk full',
      severity: 'LOW',
      created_at: new Date('2024-01-01T00:00:00Z'),
    });
    const made = await abortControllersDuring(async () => {
      for (let i = 0; i < 10; i++) {
        const detail = await send('GET', `/api/incidents/${created.id}/`);
        expect(detail.status).toBe(200);
        expect(JSON.parse(detail.text).title).toBe('disk full');
        expect((await send('GET', '/api/incidents/')).status).toBe(200);
      }
    });
    expect(made).toBe(0);
  });

  it('still refuses a write whose body is over the limit (413) and writes nothing', async () => {
    const before = await engine.incidents.count();
    const body = JSON.stringify({ title: 'x'.repeat(2000), severity: 'LOW', created_at: '2024-01-01' });
    for (const chunked of [false, true]) {
      const answer = await send('POST', '/api/incidents/', body, chunked);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.text)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 1024 } });
    }
    expect(await engine.incidents.count()).toBe(before);
  });
});

describe('a write through the Node server', () => {
  it('builds no fetch Request for a body of known length: no abort controller for 10 creates', async () => {
    const made = await abortControllersDuring(async () => {
      for (let i = 0; i < 10; i++) {
        const body = JSON.stringify({ name: `cost ${i}`, metric_type: 'MTTR' });
        const created = await send('POST', '/api/analytics/kpi-metrics/', body);
        expect(created.status).toBe(201);
        expect(JSON.parse(created.text).name).toBe(`cost ${i}`);
      }
    });
    expect(made).toBe(0);
  });

  it('reads a chunked body under the limit whole', async () => {
    const body = JSON.stringify({ name: 'chunked metric', metric_type: 'MTTA' });
    const created = await send('POST', '/api/analytics/kpi-metrics/', body, true);
    expect(created.status).toBe(201);
    expect(JSON.parse(created.text)).toMatchObject({ name: 'chunked metric', metric_type: 'MTTA' });
  });
});
