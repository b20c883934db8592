import { request } from 'node:http';
import { openEngine } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';
import { describe, expect, it } from 'vitest';

describe('graceful shutdown', () => {
  it('finishes a request in flight, refuses new connections, then closes the engine', async () => {
    const engine = await openEngine({ path: ':memory:' });
    await engine.auth.createUser({ username: 'a', role: 'admin' });
    const { key } = await engine.auth.createToken({ user: 'a' });
    const server = await serve(engine, {
      port: 0,
      handleSignals: false,
      app: { logger: false, rateLimit: false },
    });
    const url = new URL(`${server.url}/api/incidents/bulk/`);

    // A bulk upload whose body arrives in two parts, with the shutdown in between.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { Authorization: `Token ${key}`, 'Content-Type': 'application/x-ndjson' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"title":"first","severity":"LOW","created_at":"2024-01-01T00:00:00Z"}\n');
      setTimeout(async () => {
        const closing = server.close();
        const ready = await fetch(`${server.url}/readyz`).catch(() => undefined);
        // Either the new connection is refused, or (if accepted before close) readiness says draining.
        if (ready) expect(ready.status).toBe(503);
        req.end('{"title":"second","severity":"LOW","created_at":"2024-01-01T01:00:00Z"}\n');
        await closing;
      }, 200);
    });
    const result = await response;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ received: 2, inserted: 2 });
    await server.closed;
    await expect(engine.incidents.count()).rejects.toThrow(/closed/);
  });
});
