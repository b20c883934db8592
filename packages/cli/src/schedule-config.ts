import { readFileSync } from 'node:fs';
import { type Engine, EngineError, type JsonValue, type ScheduleConfig } from '@incident-insights/engine';

/**
 * The schedules of a `--schedule-config` file: a JSON list of `{name, kind, parameters?,
 * everySeconds, enabled?}`. The engine checks each kind and its parameters when the runner starts.
 *
 * @throws EngineError VALIDATION_ERROR naming the file, the entry and what is wrong, in one line.
 */
export function readScheduleConfig(file: string): ScheduleConfig[] {
  const fail = (what: string) => new EngineError('VALIDATION_ERROR', `--schedule-config ${file}: ${what}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw fail('must be a JSON list of schedules [{name, kind, everySeconds, ...}]');
  const names = new Set<string>();
  return value.map((entry: unknown, index) => {
    const where = `schedule ${index + 1}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw fail(`${where} must be an object {name, kind, parameters?, everySeconds, enabled?}`);
    }
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !scheduleFields.includes(k));
    if (unknown.length > 0) {
      throw fail(`${where}: unknown field ${unknown.join(', ')} (accepted: ${scheduleFields.join(', ')})`);
    }
    if (typeof e['name'] !== 'string' || e['name'].trim() === '')
      throw fail(`${where}: name must be a non-empty text`);
    const name = e['name'];
    if (names.has(name)) throw fail(`${where}: name ${JSON.stringify(name)} is given twice`);
    names.add(name);
    const at = `${where} (${JSON.stringify(name)})`;
    if (typeof e['kind'] !== 'string' || e['kind'] === '')
      throw fail(`${at}: kind must be a job kind, e.g. calculate_kpis`);
    const every = e['everySeconds'];
    if (typeof every !== 'number' || !Number.isInteger(every) || every < 1) {
      throw fail(`${at}: everySeconds must be a whole number of seconds from 1`);
    }
    const parameters = e['parameters'];
    if (
      parameters !== undefined &&
      (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters))
    ) {
      throw fail(`${at}: parameters must be an object of the kind's parameters`);
    }
    if (e['enabled'] !== undefined && typeof e['enabled'] !== 'boolean')
      throw fail(`${at}: enabled must be true or false`);
    return {
      name,
      kind: e['kind'],
      everySeconds: every,
      ...(parameters === undefined ? {} : { parameters: parameters as Record<string, JsonValue> }),
      ...(e['enabled'] === undefined ? {} : { enabled: e['enabled'] }),
    };
  });
}

const scheduleFields = ['name', 'kind', 'parameters', 'everySeconds', 'enabled'];

/**
 * Refuses a schedule of a kind the engine does not have, naming the schedule and the kinds.
 *
 * @throws EngineError VALIDATION_ERROR.
 */
export function checkScheduleKinds(file: string, schedules: readonly ScheduleConfig[], engine: Engine): void {
  const kinds = engine.jobs.kinds().map((k) => k.kind);
  schedules.forEach((schedule, index) => {
    if (kinds.includes(schedule.kind)) return;
    throw new EngineError(
      'VALIDATION_ERROR',
      `--schedule-config ${file}: schedule ${index + 1} (${JSON.stringify(schedule.name)}): unknown kind ` +
        `${schedule.kind} (accepted: ${kinds.join(', ')})`,
    );
  });
}
