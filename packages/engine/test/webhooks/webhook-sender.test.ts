import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendWebhook } from '../../src/webhooks/sender.ts';
import type { ResolveAll } from '../../src/webhooks/url-check.ts';
import { type Receiver, startReceiver } from './webhook-fixtures.ts';

/**
 * The sender connects to the addresses its own lookup checked: a name whose DNS answer turns
 * internal after the subscription was checked (rebinding) is refused at connection time, and the
 * receiver never sees the request.
 */
let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(() => receiver.close());

// A resolver that answers 127.0.0.1 for every name, as a rebinding DNS server would.
const rebound: ResolveAll = async () => [{ address: '127.0.0.1', family: 4 }];
const options = (allowed: string[]) => ({
  headers: { 'Content-Type': 'application/json' },
  timeoutMs: 2000,
  maxResponseBytes: 4096,
  allowed: new Set(allowed),
  resolveAll: rebound,
});

describe('the sender', () => {
  it('refuses a name that now resolves to a loopback address, and sends nothing', async () => {
    const outcome = await sendWebhook(`http://hooks.example.com:${receiver.port}/hook`, '{}', options([]));
    expect(outcome).toMatchObject({ ok: false, responseCode: null });
    expect(outcome.error).toBe(
      'address refused: host hooks.example.com resolves to 127.0.0.1, a loopback address',
    );
    expect(receiver.received).toHaveLength(0);
  });

  it('connects to the address its lookup answered when the name is allowed', async () => {
    const outcome = await sendWebhook(
      `http://hooks.example.com:${receiver.port}/hook`,
      '{"a":1}',
      options(['hooks.example.com']),
    );
    expect(outcome).toMatchObject({ ok: true, responseCode: 200, excerpt: 'ok', error: null });
    expect(receiver.received.map((r) => r.body)).toEqual(['{"a":1}']);
  });

  it('refuses a blocked IP literal before connecting', async () => {
    const outcome = await sendWebhook(`http://127.0.0.1:${receiver.port}/hook`, '{}', options([]));
    expect(outcome.error).toBe('address refused: host 127.0.0.1 is a loopback address');
    expect(receiver.received).toHaveLength(0);
  });
});
