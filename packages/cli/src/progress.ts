import cliProgress from 'cli-progress';
import { printable } from './format.ts';

/** How far a piece of work has got: `done` of `total` steps (`null`: unknown), and what it is doing. */
export interface ProgressUpdate {
  readonly done: number;
  readonly total: number | null;
  readonly message: string | null;
}

/** Shows the progress of one piece of work on stderr while it runs. */
export interface Progress {
  /** The latest state; shown at once (bar) or at the next line's turn (plain lines). */
  update(update: ProgressUpdate): void;
  /** Removes the bar (if any); nothing is shown after this. Safe to call twice. */
  stop(): void;
}

/** Where and how {@link startProgress} shows progress. */
export interface ProgressOptions {
  /** What the work is, first on the bar and on each line: `calculate-kpis`, `ingest`, ... */
  readonly label: string;
  /** `--json`: nothing but the result, so no progress at all. */
  readonly json: boolean;
  /** Default: `process.stderr`. */
  readonly stream?: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Milliseconds clock (default `Date.now`): plain lines are paced by it. */
  readonly now?: () => number;
  /** Plain lines: the first once the work has run this long (ms, default 10 s)... */
  readonly firstLineAfterMs?: number;
  /** ...then at most one per this many ms (default 10 s). */
  readonly lineEveryMs?: number;
}

/**
 * Starts showing progress: a bar (`cli-progress`) when the stream is a terminal; plain lines,
 * `insights: <label>: 40% (4/10) <message>`, when it is not (a log, a pipe, cron): the first after
 * ten seconds, then one every ten, never the finished state (the result follows at once), so that
 * short work prints nothing but its result; nothing at all with `--json`.
 */
export function startProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json) return { update: () => undefined, stop: () => undefined };
  if (stream.isTTY) return barProgress(options.label, stream);
  return lineProgress(options, stream);
}

/** One plain progress line: `<label>: 40% (4/10) <message>`, or `<label>: <message> (12 s)` with no total. */
export function progressLine(label: string, update: ProgressUpdate, elapsedMs: number): string {
  const message = update.message ? ` ${printable(update.message)}` : '';
  if (update.total !== null && update.total > 0) {
    const percent = Math.floor((100 * Math.min(update.done, update.total)) / update.total);
    return `${label}: ${percent}% (${update.done}/${update.total})${message}`;
  }
  const seconds = Math.floor(elapsedMs / 1000);
  const done = update.done > 0 ? ` ${update.done} done` : '';
  return `${label}:${message}${done} (${seconds} s)`;
}

function lineProgress(options: ProgressOptions, stream: NodeJS.WritableStream): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const firstAfter = options.firstLineAfterMs ?? 10_000;
  const every = options.lineEveryMs ?? 10_000;
  let lastLine: number | undefined;
  let stopped = false;
  return {
    update(update) {
      if (stopped || (update.total !== null && update.done >= update.total)) return;
      const at = now();
      const due = lastLine === undefined ? at - started >= firstAfter : at - lastLine >= every;
      if (!due) return;
      lastLine = at;
      stream.write(`insights: ${progressLine(options.label, update, at - started)}\n`);
    },
    stop() {
      stopped = true;
    },
  };
}

function barProgress(label: string, stream: NodeJS.WritableStream): Progress {
  const started = Date.now();
  let latest: ProgressUpdate = { done: 0, total: null, message: null };
  const bar = new cliProgress.SingleBar({
    stream,
    clearOnComplete: true,
    hideCursor: true,
    fps: 5,
    format: (_options, params) => barText(label, latest, params.progress, Date.now() - started),
  });
  bar.start(1, 0);
  let stopped = false;
  return {
    update(update) {
      if (stopped) return;
      latest = update;
      const total = update.total !== null && update.total > 0 ? update.total : 1;
      bar.setTotal(total);
      bar.update(update.total === null ? 0 : Math.min(update.done, total));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

function barText(label: string, update: ProgressUpdate, fraction: number, elapsedMs: number): string {
  if (update.total === null || update.total <= 0) return progressLine(label, update, elapsedMs);
  const width = 30;
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const message = update.message ? ` ${printable(update.message)}` : '';
  return `${label} ${bar} ${Math.floor(fraction * 100)}% ${update.done}/${update.total}${message}`;
}
