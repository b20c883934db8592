import { describe, expect, it } from 'vitest';
import { blockedAddressReason } from '../../src/webhooks/address-policy.ts';
import { backoffCeilingMs, nextAttemptAfterFailure } from '../../src/webhooks/backoff.ts';
import { signatureHeader, signWebhookBody, verifyWebhookSignature } from '../../src/webhooks/signature.ts';

describe('the signature', () => {
  // python3 -c 'import hmac,hashlib;print(hmac.new(b"whsec_test",b"1700000000.{\"id\":\"e1\"}",hashlib.sha256).hexdigest())'
  const expected = '6a85cb117c993612a34c72b4cfb5a16baed25a80d26e298ce0e6671320fd07c8';
  const body = '{"id":"e1"}';
  const now = new Date(1_700_000_000_000);

  it('is the HMAC-SHA256 of "<timestamp>.<body>", as Python computes it', () => {
    expect(signWebhookBody('whsec_test', 1_700_000_000, body)).toBe(expected);
    expect(signatureHeader(['whsec_test', 'whsec_old'], 1_700_000_000, body)).toMatch(
      new RegExp(`^v1=${expected},v1=[0-9a-f]{64}$`),
    );
  });

  it('verifies any v1 entry, and refuses a wrong secret, a changed body, a bad header or a stale time', () => {
    const ok = { secret: 'whsec_test', timestamp: '1700000000', body, header: `v1=${expected}`, now };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, body: Buffer.from(body) })).toBe(true);
    expect(verifyWebhookSignature({ ...ok, header: `v1=${'0'.repeat(64)}, v1=${expected}` })).toBe(true);
    expect(verifyWebhookSignature({ ...ok, secret: 'whsec_other' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, body: '{"id":"e2"}' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, header: `v0=${expected}` })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, header: 'v1=abc' })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: 'soon' })).toBe(false);
    // 300 s of tolerance either way by default: 300 passes, 301 fails.
    expect(verifyWebhookSignature({ ...ok, now: new Date(now.getTime() + 300_000) })).toBe(true);
    expect(verifyWebhookSignature({ ...ok, now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, now: new Date(now.getTime() - 301_000) })).toBe(false);
    expect(
      verifyWebhookSignature({ ...ok, now: new Date(now.getTime() + 30_000), toleranceSeconds: 10 }),
    ).toBe(false);
  });
});

describe('the backoff', () => {
  const first = new Date('2026-03-01T12:00:00Z');
  const at = (ms: number) => new Date(first.getTime() + ms);

  it('doubles its ceiling each attempt: 30 s, 60 s, 120 s', () => {
    expect([1, 2, 3].map((n) => backoffCeilingMs(n, 30_000))).toEqual([30_000, 60_000, 120_000]);
  });

  it('draws the wait in [0, ceiling] and dead-letters past the horizon', () => {
    const input = { firstAttemptAt: first, initialMs: 1000, horizonMs: 10_000 };
    // attempt 1 failed at +0: ceiling 1000, draw 0.5 → floor(0.5 · 1001) = 500 ms.
    expect(nextAttemptAfterFailure({ ...input, attempt: 1, now: first, draw: 0.5 })).toEqual(at(500));
    // attempt 3 failed at +3 s: ceiling 4000, draw 0.25 → floor(0.25 · 4001) = 1000 ms → +4 s.
    expect(nextAttemptAfterFailure({ ...input, attempt: 3, now: at(3000), draw: 0.25 })).toEqual(at(4000));
    // attempt 4 failed at +9 s: ceiling 8000, draw 0.125 → 1000 ms → +10 s, exactly the horizon: kept.
    expect(nextAttemptAfterFailure({ ...input, attempt: 4, now: at(9000), draw: 0.125 })).toEqual(at(10_000));
    // The same with draw 0.13 → floor(0.13 · 8001) = 1040 ms → +10.04 s, past the horizon: dead.
    expect(nextAttemptAfterFailure({ ...input, attempt: 4, now: at(9000), draw: 0.13 })).toBeNull();
  });
});

describe('address classification', () => {
  it.each([
    ['127.0.0.1', 'loopback address'],
    ['10.0.0.1', 'private address (10.0.0.0/8)'],
    ['172.31.255.255', 'private address (172.16.0.0/12)'],
    ['192.168.1.1', 'private address (192.168.0.0/16)'],
    ['169.254.169.254', 'link-local address (169.254.0.0/16, cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT address (100.64.0.0/10)'],
    ['0.0.0.0', 'unspecified ("this network") address'],
    ['224.0.0.1', 'multicast address'],
    ['255.255.255.255', 'reserved or broadcast address'],
    ['::1', 'loopback address (::1)'],
    ['::', 'unspecified address (::)'],
    ['fe80::1', 'link-local address (fe80::/10)'],
    ['fd00::1', 'unique local (private) address (fc00::/7)'],
    ['ff02::1', 'multicast address (ff00::/8)'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private address (10.0.0.0/8)'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback address'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 link-local address (169.254.0.0/16, cloud metadata)'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(blockedAddressReason(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'accepts the public address %s',
    (address) => {
      expect(blockedAddressReason(address)).toBeNull();
    },
  );
});
