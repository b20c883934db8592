import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ProgressUpdate, progressLine, startProgress } from '../src/progress.ts';

/** A stream that keeps what is written, a terminal or not. */
function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    { isTTY, columns: 100 },
  );
  return { stream, text: () => text };
}

const at = (done: number, total: number | null, message: string | null = null): ProgressUpdate => ({
  done,
  total,
  message,
});

describe('progress on stderr', () => {
  it('not on a terminal: plain lines, the first after 10 s, then one every 10 s, never the finished state', () => {
    const { stream, text } = capture(false);
    let now = 0;
    const progress = startProgress({ label: 'demo', json: false, stream, now: () => now });
    progress.update(at(1, 10));
    now = 9_999;
    progress.update(at(2, 10));
    expect(text()).toBe('');
    now = 10_000;
    progress.update(at(3, 10, 'incidents'));
    now = 15_000;
    progress.update(at(4, 10));
    now = 20_000;
    progress.update(at(5, 10));
    now = 40_000;
    progress.update(at(10, 10));
    progress.stop();
    progress.update(at(6, 10));
    expect(text()).toBe('insights: demo: 30% (3/10) incidents\ninsights: demo: 50% (5/10)\n');
  });

  it('with --json: nothing at all, whatever the time', () => {
    const { stream, text } = capture(true);
    let now = 0;
    const progress = startProgress({ label: 'demo', json: true, stream, now: () => now });
    now = 60_000;
    progress.update(at(1, 10, 'working'));
    progress.stop();
    expect(text()).toBe('');
  });

  it('on a terminal: a bar with the counts and the message, cleared at the end', () => {
    const { stream, text } = capture(true);
    const progress = startProgress({ label: 'calculate-kpis', json: false, stream });
    progress.update(at(3, 8, 'MTTA'));
    progress.stop();
    expect(text()).toContain('calculate-kpis ');
    expect(text()).toContain('37% 3/8 MTTA');
  });

  it('on a terminal: a wide message kept as it is, a control character escaped, the terminal restored', () => {
    const { stream, text } = capture(true);
    const progress = startProgress({ label: 'ingest', json: false, stream });
    progress.update(at(1, 4, '東京 🔥\u001b[2J\r'));
    progress.stop();
    progress.stop();
    // 1/4 of the 30-cell bar, rounded: 8 cells filled (worked by hand).
    expect(text()).toContain(`ingest ${'█'.repeat(8)}${'░'.repeat(22)} 25% 1/4 東京 🔥\\x1b[2J\\r`);
    expect(text()).not.toContain('\u001b[2J');
    expect(text()).not.toContain('\r');
    // cli-progress hides the cursor and turns line wrapping off while it draws, then turns both
    // back on and clears its line: nothing is left behind for the command's own output.
    expect(text().indexOf('\u001b[?25l')).toBeLessThan(text().lastIndexOf('\u001b[?25h'));
    expect(text().indexOf('\u001b[?7l')).toBeLessThan(text().lastIndexOf('\u001b[?7h'));
    expect(text().endsWith('\u001b[2K')).toBe(true);
  });

  it('on a terminal with no total yet: what it does instead of a bar', () => {
    const { stream, text } = capture(true);
    const progress = startProgress({ label: 'run-anomaly-detection', json: false, stream });
    progress.update(at(0, null, 'reading incidents'));
    progress.stop();
    expect(text()).toMatch(/run-anomaly-detection: reading incidents \(\d+ s\)/);
    expect(text()).not.toContain('░');
  });

  it('words a line with no total by what it does and for how long, control characters escaped', () => {
    expect(progressLine('ingest', at(0, null, 'reading a\x1b.csv'), 12_345)).toBe(
      'ingest: reading a\\x1b.csv (12 s)',
    );
    expect(progressLine('ingest', at(0, 0), 0)).toBe('ingest: (0 s)');
  });
});
