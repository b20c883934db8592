import { z } from 'zod';
import { EngineError } from '../errors.ts';
import type { IncidentService } from '../incidents/incident-service.ts';
import { maxWindowHours } from '../input/window-hours.ts';
import { parseInstant } from '../schema/dates.ts';
import type { JobKind, JobRunContext } from './job-types.ts';

/** Declares a job kind, keeping its parameter type inside and erasing it for a module's `jobKinds`. */
export function defineJobKind<Parameters>(kind: JobKind<Parameters>): JobKind {
  return kind as unknown as JobKind;
}

/**
 * A parameter holding an instant as text, read with the engine's `parseInstant` rule (ISO 8601, no
 * zone = UTC): the schema's output is the `Date`.
 */
export const instantParameter = z.string().transform((text, ctx) => {
  const parsed = parseInstant(text);
  if (parsed.ok) return parsed.date;
  ctx.addIssue({ code: 'custom', message: parsed.message, input: text });
  return z.NEVER;
});

/**
 * A window length in hours, by the engine's window-hours rule: at least 1 and at most
 * {@link maxWindowHours}, whole unless `whole` is false (then any number above 0).
 */
export function windowHoursParameter(whole = true): z.ZodType<number> {
  return z
    .number()
    .refine(
      (hours) => (whole ? Number.isInteger(hours) && hours >= 1 : hours > 0) && hours <= maxWindowHours,
      {
        message: whole
          ? `must be a whole number of hours from 1 to ${maxWindowHours}`
          : `must be a positive number of hours up to ${maxWindowHours}`,
      },
    );
}

/** Stops a handler at a safe point once its job is cancelled or its runner stops. */
export function throwIfAborted(context: JobRunContext<unknown>): void {
  if (context.signal.aborted) {
    throw new EngineError('CANCELLED', `job ${context.jobId} was stopped before it finished`, {
      id: context.jobId,
    });
  }
}

/** The engine's services a handler reads, by name, with their types. */
export function serviceOf<S>(context: JobRunContext<unknown>, name: string): S {
  const service = context.services[name];
  if (service === undefined) throw new Error(`the engine has no ${name} service`);
  return service as S;
}

/**
 * When no incident was created in `[start, end)`, the note every shell shows: `no incidents in the
 * window <start> – <end>; the data covers <first> – <last>` (or `the database holds no incidents`);
 * `undefined` when the window has incidents. An empty window is an answer (an hour without
 * incidents is a real zero); the note tells a window that missed the data from one.
 */
export async function emptyWindowNote(
  incidents: IncidentService,
  window: { readonly start: Date; readonly end: Date },
): Promise<string | undefined> {
  const inWindow = await incidents.list({
    filters: { created_after: window.start, created_before: window.end },
    pageSize: 1,
  });
  if (inWindow.count > 0) return undefined;
  const coverage = await incidents.coverage();
  const data =
    coverage.firstCreatedAt && coverage.lastCreatedAt
      ? `the data covers ${coverage.firstCreatedAt.toISOString()} – ${coverage.lastCreatedAt.toISOString()}`
      : 'the database holds no incidents';
  return `no incidents in the window ${window.start.toISOString()} – ${window.end.toISOString()}; ${data}`;
}
