import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

// The reference page in a real browser: Debian's `chromium-headless-shell`, which .ci/run installs,
// driven over the DevTools protocol on a pipe (JSON messages ended by a NUL byte, fds 3 and 4).
const browserBinary = 'chromium-headless-shell';

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

/** A DevTools protocol connection to a browser started with `--remote-debugging-pipe`. */
class DevTools {
  private nextId = 0;
  private buffer = '';
  private readonly pending = new Map<number, (message: Message) => void>();
  readonly events: Message[] = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) this.pending.get(message.id)?.(message);
        else this.events.push(message);
      }
    });
  }

  async send(method: string, params: Record<string, unknown> = {}, sessionId?: string) {
    const id = ++this.nextId;
    const answer = new Promise<Message>((resolve) => this.pending.set(id, resolve));
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    const message = await answer;
    if (message.error) throw new Error(`${method}: ${message.error.message}`);
    return message.result ?? {};
  }
}

describe('the API reference page in a browser', () => {
  let s: TestServer;
  let profile: string;
  let browser: ChildProcess;
  let devTools: DevTools;
  let session: string;

  /** Evaluates `expression` in the page and returns its value. */
  const evaluate = async (expression: string): Promise<unknown> => {
    const result = await devTools.send(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      session,
    );
    return (result['result'] as { value?: unknown }).value;
  };

  /** Polls `expression` every 100 ms until it is truthy (10 s at most), and returns it. */
  const waitFor = async (expression: string): Promise<unknown> => {
    for (let i = 0; i < 100; i++) {
      const value = await evaluate(expression);
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${expression}`);
  };

  beforeAll(async () => {
    s = await startServer();
    profile = await mkdtemp(join(tmpdir(), 'docs-browser-'));
    browser = spawn(
      browserBinary,
      [
        '--no-sandbox',
        '--disable-gpu',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const started = await new Promise<Error | undefined>((resolve) => {
      browser.once('error', resolve);
      browser.once('spawn', () => resolve(undefined));
    });
    if (started) {
      throw new Error(
        `${browserBinary} did not start (apt-get install ${browserBinary}): ${started.message}`,
      );
    }
    devTools = new DevTools(browser.stdio[3] as Writable, browser.stdio[4] as Readable);
    const { targetId } = await devTools.send('Target.createTarget', { url: 'about:blank' });
    ({ sessionId: session } = (await devTools.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    });
    for (const domain of ['Runtime', 'Log', 'Network', 'Page'])
      await devTools.send(`${domain}.enable`, {}, session);
    await devTools.send('Page.navigate', { url: `${s.url}/api/docs/` }, session);
  });
  afterAll(async () => {
    browser?.kill();
    await s?.close();
    await s?.engine.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('renders every operation and the models, loading nothing from elsewhere and breaking no rule of its policy', async () => {
    const doc = (await (await s.fetch('/api/openapi.json')).json()) as { paths: Record<string, object> };
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(await waitFor("document.querySelectorAll('.opblock').length")).toBe(operations);
    expect(await evaluate("!!document.querySelector('section.models')")).toBe(true);
    expect(await evaluate("!!document.querySelector('.btn.authorize')")).toBe(true);

    const requested = devTools.events
      .filter((e) => e.method === 'Network.requestWillBeSent')
      .map((e) => (e.params?.['request'] as { url?: string } | undefined)?.url ?? '');
    expect(requested).toContain(`${s.url}/api/openapi.json`);
    expect(requested.filter((url) => !url.startsWith(`${s.url}/`) && !url.startsWith('data:'))).toEqual([]);
    const complaints = devTools.events
      .filter((e) => e.method === 'Runtime.exceptionThrown' || e.method === 'Log.entryAdded')
      .map((e) => JSON.stringify(e.params));
    expect(complaints).toEqual([]);
  });

  it('sends a request with the key typed in the token box, as Authorization: Token <key>', async () => {
    await evaluate(`ui.preauthorizeApiKey('tokenAuth', ${JSON.stringify(s.tokens.viewer)}); true`);
    const op = "document.querySelector('#operations-kpi-metrics-kpi_metrics_list')";
    await evaluate(`${op}.querySelector('.opblock-summary-control').click()`);
    await waitFor(`!!${op}.querySelector('.try-out__btn')`);
    await evaluate(`${op}.querySelector('.try-out__btn').click()`);
    await waitFor(`!!${op}.querySelector('.execute')`);
    await evaluate(`${op}.querySelector('.execute').click()`);
    const status = await waitFor(
      `${op}.querySelector('.live-responses-table tbody .response-col_status')?.textContent.trim()`,
    );
    expect(status).toBe('200');
    const curl = String(await evaluate(`${op}.querySelector('.curl').textContent`));
    expect(curl).toContain(`Authorization: Token ${s.tokens.viewer}`);
    // The system metrics, one per metric type but CUSTOM (README "Domain definitions").
    expect(
      await evaluate(`${op}.querySelector('.live-responses-table tbody .microlight').textContent`),
    ).toMatch(/"count": 8/);
  });
});
