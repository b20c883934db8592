/** One problem with an input: which field (dotted path) and what is wrong with it. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The parts of a zod issue the mapping reads (zod 4's `$ZodIssue` has them). */
export interface ZodIssueLike {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** The names of an `unrecognized_keys` issue. */
  readonly keys?: readonly string[];
}

/** How {@link zodIssuesToFieldErrors} names what has no path and what is unknown. */
export interface FieldErrorWording {
  /** Field of an issue about the whole input (empty path); default `''`. */
  readonly wholeInput?: string;
  /** Message of each unknown key of a strict object; default `unknown field`. */
  readonly unknownKey?: string;
}

/**
 * The one mapping of zod issues to `{ field, message }` the engine, the HTTP server and the CLI
 * report: the field is the issue's path joined with `.`, and a strict object's unknown keys are
 * one error each (`{ field: 'notes', message: 'unknown field' }`) rather than one issue naming
 * them all.
 */
export function zodIssuesToFieldErrors(
  issues: readonly ZodIssueLike[],
  wording: FieldErrorWording = {},
): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) {
        errors.push({ field: [...at, key].join('.'), message: wording.unknownKey ?? 'unknown field' });
      }
    } else {
      errors.push({ field: at.join('.') || (wording.wholeInput ?? ''), message: issue.message });
    }
  }
  return errors;
}
