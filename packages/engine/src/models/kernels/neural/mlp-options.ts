import type { MlpOptions } from './types.ts';
import { checkKeys, invalid, numberOption } from './validate.ts';

const optionKeys = [
  'task',
  'classes',
  'hidden',
  'epochs',
  'batchSize',
  'learningRate',
  'l2',
  'earlyStopping',
  'seed',
  'sparseInput',
];
/** The options with every default filled in. */
export interface ResolvedMlpOptions extends Omit<MlpOptions, 'classes'> {
  readonly classes: number;
}

/** Checks the options and the targets; fills in the defaults. */
export function resolveMlpOptions(
  options: Partial<MlpOptions> & { task: MlpOptions['task'] },
  y: Float64Array,
  rows: number,
): ResolvedMlpOptions {
  if (options === null || typeof options !== 'object') invalid('options must be an object', 'options');
  checkKeys(options, optionKeys, 'MLP');
  const { task } = options;
  if (task !== 'classification' && task !== 'regression') {
    invalid(`task must be classification or regression (got ${String(task)})`, 'task');
  }
  if (!(y instanceof Float64Array) || y.length !== rows) {
    invalid(`y must be a Float64Array of one value per row (${rows})`, 'y');
  }
  let classes = 1;
  if (task === 'classification') {
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      const label = y[i] as number;
      if (!Number.isInteger(label) || label < 0) {
        invalid(`y holds ${label} at row ${i}: class indices are integers ≥ 0`, 'y');
      }
      if (label > largest) largest = label;
    }
    classes = numberOption(options, 'classes', Math.max(2, largest + 1), 2, 100_000, true);
    if (largest >= classes) invalid(`y holds class ${largest}, but classes is ${classes}`, 'y');
  } else {
    for (let i = 0; i < rows; i++) {
      if (!Number.isFinite(y[i])) invalid(`y holds ${String(y[i])} at row ${i}: values must be finite`, 'y');
    }
  }
  const hidden = options.hidden ?? [64, 32];
  if (
    !Array.isArray(hidden) ||
    hidden.some((width) => !Number.isInteger(width) || width < 1 || width > 4096)
  ) {
    invalid(
      `hidden must be a list of layer widths, integers 1 … 4096 (got ${JSON.stringify(hidden)})`,
      'hidden',
    );
  }
  const earlyStopping = options.earlyStopping ?? false;
  if (typeof earlyStopping !== 'boolean') invalid('earlyStopping must be true or false', 'earlyStopping');
  if (earlyStopping && rows < 2) invalid('early stopping needs at least 2 rows (one to validate)', 'rows');
  const sparseInput = options.sparseInput ?? 'auto';
  if (sparseInput !== 'auto' && typeof sparseInput !== 'boolean') {
    invalid(`sparseInput must be true, false or 'auto' (got ${String(sparseInput)})`, 'sparseInput');
  }
  return {
    task,
    sparseInput,
    classes,
    hidden,
    epochs: numberOption(options, 'epochs', 200, 1, 100_000, true),
    batchSize: numberOption(options, 'batchSize', 200, 1, 1_000_000, true),
    learningRate: numberOption(options, 'learningRate', 0.001, 0, 10, false, true),
    l2: numberOption(options, 'l2', 0.0001, 0, 1e6, false),
    earlyStopping,
    seed: numberOption(options, 'seed', 1, -(2 ** 53), 2 ** 53, true),
  };
}
