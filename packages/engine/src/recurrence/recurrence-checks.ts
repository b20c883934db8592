import { EngineError } from '../errors.ts';
import {
  defaultFindRecurrence,
  type FindRecurrenceOptions,
  recurrenceTypes,
} from './kernels/find-recurrences.ts';
import { defaultMinHash } from './kernels/minhash.ts';

/** The tunable settings of a recurrence run. */
export type RecurrenceRunOptions = Pick<
  FindRecurrenceOptions,
  'minOccurrences' | 'similarityThreshold' | 'acrossServices'
>;

/**
 * Fills the defaults of a run's settings and checks them.
 *
 * @throws EngineError VALIDATION_ERROR for min occurrences below 2 or a threshold outside (0, 1].
 */
export function checkOptions(
  options: RecurrenceRunOptions,
): FindRecurrenceOptions & { minHash: typeof defaultMinHash } {
  const minOccurrences = options.minOccurrences ?? defaultFindRecurrence.minOccurrences;
  const similarityThreshold = options.similarityThreshold ?? defaultFindRecurrence.similarityThreshold;
  if (!Number.isInteger(minOccurrences) || minOccurrences < 2) {
    throw new EngineError('VALIDATION_ERROR', 'min occurrences must be a whole number from 2', {
      parameter: 'min_occurrences',
    });
  }
  if (!(similarityThreshold > 0 && similarityThreshold <= 1)) {
    throw new EngineError('VALIDATION_ERROR', 'similarity threshold must be above 0 and at most 1', {
      parameter: 'similarity_threshold',
    });
  }
  return {
    minOccurrences,
    similarityThreshold,
    acrossServices: options.acrossServices ?? defaultFindRecurrence.acrossServices,
    minHash: defaultMinHash,
  };
}

/**
 * Checks and converts list filters: `recurrence_type` must be a known type, `min_confidence` a
 * number in [0, 1] (strings accepted), `is_resolved` a boolean or `true`/`false`.
 *
 * @throws EngineError VALIDATION_ERROR naming the filter.
 */
export function checkFilters(filters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || value === null || value === '') continue;
    switch (name) {
      case 'recurrence_type':
        if (!recurrenceTypes.includes(value as never)) {
          throw new EngineError(
            'VALIDATION_ERROR',
            `recurrence_type must be one of ${recurrenceTypes.join(', ')}`,
            {
              parameter: name,
              allowed: recurrenceTypes,
            },
          );
        }
        out[name] = value;
        break;
      case 'min_confidence': {
        const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
        if (!(n >= 0 && n <= 1)) {
          throw new EngineError('VALIDATION_ERROR', 'min_confidence must be a number from 0 to 1', {
            parameter: name,
          });
        }
        out[name] = n;
        break;
      }
      case 'is_resolved':
        if (value === true || value === 'true') out[name] = true;
        else if (value === false || value === 'false') out[name] = false;
        else
          throw new EngineError('VALIDATION_ERROR', 'is_resolved must be true or false', { parameter: name });
        break;
      default:
        out[name] = value; // listPage refuses unknown filters by name
    }
  }
  return out;
}
