import {
  EngineError,
  type Job,
  type JobProgress,
  type JobStatus,
  type JsonValue,
  jobError,
} from '@incident-insights/engine';
import { type AsJson, printable } from '../format.ts';
import { startProgress } from '../progress.ts';
import type { Backend } from './backend.ts';
import type { ServerClient } from './server-client.ts';

/** A batch command's work as a job: its kind and parameters (JSON, as the API takes them). */
export interface JobCommand {
  /** The command's name, shown on the progress bar and lines. */
  readonly label: string;
  readonly kind: string;
  readonly parameters: { readonly [name: string]: JsonValue };
  /** `--json`: no progress shown. */
  readonly json: boolean;
  /**
   * The job's progress messages are the run's own account (the anomaly run's lines): printed on
   * stderr once it ends, after its notes, as the command printed them when it ran them itself.
   */
  readonly printMessages?: boolean;
}

/** The job as the API answers it: the record with its dates as ISO strings. */
type JobJson = AsJson<Job>;

const finalStatuses: ReadonlySet<JobStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Runs a batch command's job where the database is: in this process (`engine.jobs.run`) or on the
 * server that holds it (`POST /api/jobs/`, then `GET /api/jobs/{id}/` until it ends), showing its
 * progress meanwhile. Ctrl-C cancels the job (a second one ends the command at once). Prints the
 * result's notes on stderr (`insights: ...`) and returns the result of a SUCCEEDED job.
 *
 * @throws EngineError the job's own error when it FAILED (so the command exits as if the work had
 *   thrown here); CANCELLED when it was cancelled.
 */
export async function runJobCommand(backend: Backend, command: JobCommand): Promise<JsonValue> {
  const progress = startProgress({ label: command.label, json: command.json });
  const messages: string[] = [];
  const seen = (update: JobProgress) => {
    progress.update(update);
    if (command.printMessages && update.message && update.message !== messages.at(-1)) {
      messages.push(update.message);
    }
  };
  const interrupt = new AbortController();
  const onInterrupt = () => {
    if (interrupt.signal.aborted) process.exit(130);
    progress.stop();
    process.stderr.write(`insights: cancelling the ${command.label} job (Ctrl-C again to stop waiting)\n`);
    interrupt.abort();
  };
  process.on('SIGINT', onInterrupt);
  const request = { kind: command.kind, parameters: command.parameters };
  let job: Job;
  try {
    job =
      backend.kind === 'engine'
        ? await backend.engine.jobs.run(request, { onProgress: seen, signal: interrupt.signal })
        : await followOnServer(backend.server, request, seen, interrupt.signal);
  } finally {
    progress.stop();
    process.off('SIGINT', onInterrupt);
  }
  if (job.status === 'SUCCEEDED') printNotes(job.result);
  for (const message of messages) process.stderr.write(`${printable(message)}\n`);
  if (job.status === 'FAILED') throw jobError(job);
  if (job.status === 'CANCELLED') {
    throw new EngineError('CANCELLED', `the ${command.label} job ${job.id} was cancelled`, { id: job.id });
  }
  return job.result;
}

/** Prints each of a result's `notes` on stderr as `insights: <note>`. */
function printNotes(result: JsonValue | null): void {
  const notes = (result as { notes?: unknown } | null)?.notes;
  if (!Array.isArray(notes)) return;
  for (const note of notes) process.stderr.write(`insights: ${printable(note)}\n`);
}

/** Submits the job to the server and follows it until it ends; cancels it when `signal` aborts. */
async function followOnServer(
  server: ServerClient,
  request: { kind: string; parameters: JobCommand['parameters'] },
  seen: (progress: JobProgress) => void,
  signal: AbortSignal,
): Promise<Job> {
  let job = jobFromJson(await server.request<JobJson>('POST', '/api/jobs/', { json: request }));
  let cancelAsked = false;
  let pause = 100;
  while (!finalStatuses.has(job.status)) {
    if (signal.aborted && !cancelAsked) {
      cancelAsked = true;
      job = await cancelOnServer(server, job);
      continue;
    }
    await sleep(pause, signal);
    pause = Math.min(pause * 1.5, 1000);
    try {
      job = jobFromJson(await server.request<JobJson>('GET', `/api/jobs/${job.id}/`));
    } catch (error) {
      // Following is only reading: a rate limit means wait a little longer, not fail the command.
      if (error instanceof EngineError && error.code === 'RATE_LIMITED') {
        await sleep(2000, signal);
        continue;
      }
      throw error;
    }
    seen(job.progress);
  }
  return job;
}

/** Asks the server to cancel `job`; one that ended meanwhile (409) is read again as it ended. */
async function cancelOnServer(server: ServerClient, job: Job): Promise<Job> {
  try {
    return jobFromJson(await server.request<JobJson>('POST', `/api/jobs/${job.id}/cancel/`));
  } catch (error) {
    if (error instanceof EngineError && error.code === 'CONFLICT') {
      return jobFromJson(await server.request<JobJson>('GET', `/api/jobs/${job.id}/`));
    }
    throw error;
  }
}

/** Waits `ms`, or less when `signal` aborts meanwhile. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The API's job JSON as the engine's record (dates revived). */
function jobFromJson(json: JobJson): Job {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    ...json,
    created_at: new Date(json.created_at),
    run_after: new Date(json.run_after),
    started_at: date(json.started_at),
    finished_at: date(json.finished_at),
  };
}
