import { type Actor, assertAllowed } from '../auth/policy.ts';
import { EngineError } from '../errors.ts';
import { zodIssuesToFieldErrors } from '../input/field-errors.ts';
import type { NewJob } from './job-queue.ts';
import type { JobKind, JsonValue } from './job-types.ts';

/** A request for a job: its kind and its parameters (JSON, snake_case; default none). */
export interface JobRequest {
  readonly kind: string;
  readonly parameters?: unknown;
}

/**
 * Checks a job request against the registered kinds and the actor's permission, and returns the
 * job to queue: the kind's parameters parsed (strict), its scope and its attempts.
 *
 * @throws EngineError VALIDATION_ERROR `{ field: 'kind', accepted }` for an unknown kind, or the
 *   field errors of bad parameters (fields named as in the JSON: `parameters.metric_id`);
 *   FORBIDDEN when the actor may not do the kind's action.
 */
export function prepareJob(
  kinds: ReadonlyMap<string, JobKind>,
  request: JobRequest,
  actor: Actor,
  schedule: string | null = null,
): NewJob {
  const name = (request as { kind?: unknown } | null)?.kind;
  const kind = typeof name === 'string' ? kinds.get(name) : undefined;
  if (!kind) {
    throw new EngineError('VALIDATION_ERROR', `unknown job kind ${String(name)}`, {
      field: 'kind',
      accepted: [...kinds.keys()],
    });
  }
  assertAllowed(actor, kind.action);
  const parsed = kind.parameters.safeParse(request.parameters ?? {});
  if (!parsed.success) {
    const errors = zodIssuesToFieldErrors(
      parsed.error.issues.map((issue) => ({ ...issue, path: ['parameters', ...issue.path] })),
      { wholeInput: 'parameters' },
    );
    throw new EngineError('VALIDATION_ERROR', `invalid parameters for ${kind.kind}`, { errors });
  }
  const parameters = JSON.parse(JSON.stringify(request.parameters ?? {})) as { [key: string]: JsonValue };
  return {
    kind: kind.kind,
    scope: kind.scope(parsed.data),
    parameters,
    maxAttempts: kind.maxAttempts ?? 3,
    requestedBy: actor.system ? null : actor.userId,
    requestedByUsername: actor.username,
    schedule,
  };
}
