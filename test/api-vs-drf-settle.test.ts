/**
 * The wait between the DRF comparison's measurements (`bench/api-vs-drf/settle.ts`): the CPU idle
 * share read from `/proc/stat`, and the bounded wait for a server to answer a small request.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drained } from '../bench/api-vs-drf/requests.ts';
import { cpuTimes, idleShare } from '../bench/api-vs-drf/settle.ts';

describe('cpuTimes and idleShare', () => {
  // Two readings of a 2-core machine's /proc/stat one second (200 ticks) apart. The fields:
  // user nice system idle iowait irq softirq steal guest guest_nice.
  const before = 'cpu  1000 10 300 5000 40 0 6 4 900 0\ncpu0 500 5 150 2500 20 0 3 2 450 0\nintr 1 2 3\n';
  // 200 ticks: user +30, system +10, idle +150, iowait +8, softirq +2; guest +25 is inside user.
  const after = 'cpu  1030 10 310 5150 48 0 8 4 925 0\ncpu0 515 5 155 2575 24 0 4 2 462 0\nintr 1 2 3\n';

  it('reads idle and total ticks of the all-core line, guest time left out (user holds it)', () => {
    // total = 1000 + 10 + 300 + 5000 + 40 + 0 + 6 + 4 = 6360, by hand.
    expect(cpuTimes(before)).toEqual({ idle: 5000, total: 6360 });
  });

  it('counts time waiting for I/O as busy: 150 idle ticks of 200 are 75%', () => {
    expect(idleShare(cpuTimes(before), cpuTimes(after))).toBe(0.75);
  });

  it('calls a reading with no tick between quiet, and refuses text without a cpu line', () => {
    expect(idleShare(cpuTimes(before), cpuTimes(before))).toBe(1);
    expect(() => cpuTimes('intr 1 2 3\n')).toThrow(/no cpu line/);
  });
});

describe('drained', () => {
  // A server that answers at once, and one that holds every request (a peer busy with a queue).
  let answering: Server;
  let holding: Server;
  const held: (() => void)[] = [];
  const urlOf = (server: Server) => {
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };
  beforeAll(async () => {
    answering = createServer((_, response) => response.end('{}'));
    holding = createServer((_, response) => held.push(() => response.end('{}')));
    await Promise.all(
      [answering, holding].map((s) => new Promise<void>((done) => s.listen(0, '127.0.0.1', done))),
    );
  });
  afterAll(async () => {
    for (const release of held) release();
    await Promise.all([answering, holding].map((s) => new Promise((done) => s.close(done))));
  });

  it('is true once the server answers the small request, whatever fraction of a millisecond it may wait', async () => {
    // settle() passes what is left of its bound, a fraction (AbortSignal.timeout takes whole ms only).
    expect(await drained({ name: 'ours', url: urlOf(answering), token: 't' }, 4999.5)).toBe(true);
  });

  it('gives up at its bound when the server does not answer, instead of waiting on', async () => {
    // Without the bound this would wait on the held request until the test's own timeout.
    expect(await drained({ name: 'DRF', url: urlOf(holding), token: 't' }, 300)).toBe(false);
    expect(held).toHaveLength(1);
  });
});
