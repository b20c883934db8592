import { checkKeys, invalid, numberOption } from '../option-checks.ts';
import type { BoostedOptions, FeatureColumns, ForestOptions, TreeTask, TreeTrainingData } from './types.ts';

const tasks: readonly TreeTask[] = ['binary', 'multiclass', 'regression'];

const commonKeys = ['task', 'classes', 'seed', 'maxBins', 'minCategoryRows'];
const forestKeys = [
  ...commonKeys,
  'trees',
  'firstTree',
  'maxDepth',
  'maxFeatures',
  'minSamplesSplit',
  'minSamplesLeaf',
  'bootstrap',
];
const boostedKeys = [
  ...commonKeys,
  'rounds',
  'eta',
  'maxDepth',
  'lambda',
  'alpha',
  'gamma',
  'minChildWeight',
  'subsample',
  'colsampleByTree',
  'colsampleByNode',
];

/** Checks a feature matrix's shape: `values.length === rows × columns`, both positive integers. */
export function checkFeatureColumns(matrix: FeatureColumns, what = 'features'): void {
  if (!(matrix?.values instanceof Float64Array)) invalid(`${what}.values must be a Float64Array`, what);
  const { rows, columns, values } = matrix;
  if (!Number.isInteger(rows) || rows < 0) invalid(`${what}.rows must be an integer ≥ 0`, what);
  if (!Number.isInteger(columns) || columns < 1) invalid(`${what}.columns must be an integer ≥ 1`, what);
  if (values.length !== rows * columns) {
    invalid(
      `${what}.values holds ${values.length} numbers, but rows × columns = ${rows} × ${columns} = ${rows * columns} (column-major)`,
      what,
    );
  }
}

/** The checked data and task: number of classes and the categorical flag of each feature. */
export interface CheckedData {
  readonly task: TreeTask;
  readonly classes: number;
  readonly isCategorical: Uint8Array;
  readonly categorical: number[];
  readonly seed: number;
  readonly maxBins: number;
  readonly minCategoryRows: number;
}

/** Checks the training data and the options both learners share. */
export function checkTrainingData(
  data: TreeTrainingData,
  options: ForestOptions | BoostedOptions,
): CheckedData {
  if (options === null || typeof options !== 'object') invalid('options must be an object', 'options');
  if (!tasks.includes(options.task)) {
    invalid(`task must be one of ${tasks.join(', ')} (got ${String(options.task)})`, 'task');
  }
  checkFeatureColumns(data, 'data');
  const { rows, columns, target } = data;
  if (rows < 2) invalid(`training needs at least 2 rows (got ${rows})`, 'data.rows');
  if (!(target instanceof Float64Array || target instanceof Int32Array)) {
    invalid('data.target must be a Float64Array or an Int32Array', 'data.target');
  }
  if (target.length !== rows) {
    invalid(`data.target holds ${target.length} values for ${rows} rows`, 'data.target');
  }
  for (let at = 0; at < data.values.length; at++) {
    const x = data.values[at] as number;
    if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
      invalid(
        `data.values holds an infinite value at row ${at % rows}, feature ${Math.floor(at / rows)}: features are finite numbers or NaN (missing)`,
        'data.values',
      );
    }
  }
  const isCategorical = new Uint8Array(columns);
  const categorical = [...(data.categorical ?? [])];
  for (const j of categorical) {
    if (!Number.isInteger(j) || j < 0 || j >= columns) {
      invalid(`data.categorical lists feature ${j}, outside 0 … ${columns - 1}`, 'data.categorical');
    }
    if (isCategorical[j]) invalid(`data.categorical lists feature ${j} twice`, 'data.categorical');
    isCategorical[j] = 1;
    for (let i = 0, at = j * rows; i < rows; i++, at++) {
      const code = data.values[at] as number;
      if (!Number.isNaN(code) && !(Number.isInteger(code) && code >= 0)) {
        invalid(
          `categorical feature ${j} holds ${code} at row ${i}: category codes are integers ≥ 0 (NaN when missing)`,
          'data.values',
        );
      }
    }
  }
  categorical.sort((a, b) => a - b);
  let classes = 1;
  if (options.task === 'regression') {
    for (let i = 0; i < rows; i++) {
      if (!Number.isFinite(target[i])) invalid(`data.target[${i}] is not a finite number`, 'data.target');
    }
  } else {
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      const label = target[i] as number;
      if (!Number.isInteger(label) || label < 0) {
        invalid(`data.target[${i}] = ${label} is not a class index (an integer ≥ 0)`, 'data.target');
      }
      if (label > largest) largest = label;
    }
    const fallback = options.task === 'binary' ? 2 : largest + 1;
    classes = numberOption(options, 'classes', fallback, 2, 1 << 16, true);
    if (options.task === 'binary' && classes !== 2) invalid('a binary task has exactly 2 classes', 'classes');
    if (options.task === 'multiclass' && classes < 3) {
      invalid(`a multiclass task needs at least 3 classes (got ${classes}); use task 'binary'`, 'classes');
    }
    if (largest >= classes) {
      invalid(`data.target holds class ${largest}, but there are only ${classes} classes`, 'data.target');
    }
  }
  const seed = numberOption(options, 'seed', 42, 0, 0xffffffff, true);
  const maxBins = numberOption(options, 'maxBins', 255, 2, 255, true);
  const minCategoryRows = numberOption(options, 'minCategoryRows', 0, 0, Number.MAX_SAFE_INTEGER, false);
  return { task: options.task, classes, isCategorical, categorical, seed, maxBins, minCategoryRows };
}

/** Forest options with every default filled in. */
export interface ResolvedForestOptions {
  readonly trees: number;
  readonly firstTree: number;
  readonly maxDepth: number;
  readonly featuresPerSplit: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly bootstrap: boolean;
}

/** Checks {@link ForestOptions} and fills in the defaults for `columns` features. */
export function resolveForestOptions(options: ForestOptions, columns: number): ResolvedForestOptions {
  checkKeys(options, forestKeys, 'forest');
  const trees = numberOption(options, 'trees', 100, 1, 100_000, true);
  const firstTree = numberOption(options, 'firstTree', 0, 0, 0x7fffffff, true);
  const maxDepth = numberOption(options, 'maxDepth', 10, 1, 64, true);
  const minSamplesSplit = numberOption(options, 'minSamplesSplit', 2, 2, Number.MAX_SAFE_INTEGER, true);
  const minSamplesLeaf = numberOption(options, 'minSamplesLeaf', 1, 1, Number.MAX_SAFE_INTEGER, true);
  const bootstrap = options.bootstrap ?? true;
  if (typeof bootstrap !== 'boolean') invalid('bootstrap must be true or false', 'bootstrap');
  const choice = options.maxFeatures ?? (options.task === 'regression' ? 'all' : 'sqrt');
  let featuresPerSplit: number;
  if (choice === 'sqrt') featuresPerSplit = Math.floor(Math.sqrt(columns));
  else if (choice === 'log2') featuresPerSplit = Math.floor(Math.log2(columns));
  else if (choice === 'all') featuresPerSplit = columns;
  else if (typeof choice === 'number' && Number.isInteger(choice) && choice >= 1) {
    if (choice > columns)
      invalid(`maxFeatures ${choice} is more than the ${columns} features`, 'maxFeatures');
    featuresPerSplit = choice;
  } else if (typeof choice === 'number' && choice > 0 && choice < 1) {
    featuresPerSplit = Math.floor(choice * columns);
  } else {
    invalid(
      `maxFeatures must be 'sqrt', 'log2', 'all', an integer ≥ 1 or a fraction in (0, 1) (got ${String(choice)})`,
      'maxFeatures',
    );
  }
  return {
    trees,
    firstTree,
    maxDepth,
    featuresPerSplit: Math.max(1, featuresPerSplit),
    minSamplesSplit,
    minSamplesLeaf,
    bootstrap,
  };
}

/** Boosting options with every default filled in. */
export interface ResolvedBoostedOptions {
  readonly rounds: number;
  readonly eta: number;
  readonly maxDepth: number;
  readonly lambda: number;
  readonly alpha: number;
  readonly gamma: number;
  readonly minChildWeight: number;
  readonly subsample: number;
  readonly colsampleByTree: number;
  readonly colsampleByNode: number;
}

/** Checks {@link BoostedOptions} and fills in the defaults (XGBoost's). */
export function resolveBoostedOptions(options: BoostedOptions): ResolvedBoostedOptions {
  checkKeys(options, boostedKeys, 'boosting');
  const big = Number.MAX_VALUE;
  return {
    rounds: numberOption(options, 'rounds', 100, 1, 100_000, true),
    eta: numberOption(options, 'eta', 0.3, 0, 1, false, true),
    maxDepth: numberOption(options, 'maxDepth', 6, 1, 64, true),
    lambda: numberOption(options, 'lambda', 1, 0, big, false),
    alpha: numberOption(options, 'alpha', 0, 0, big, false),
    gamma: numberOption(options, 'gamma', 0, 0, big, false),
    minChildWeight: numberOption(options, 'minChildWeight', 1, 0, big, false),
    subsample: numberOption(options, 'subsample', 1, 0, 1, false, true),
    colsampleByTree: numberOption(options, 'colsampleByTree', 1, 0, 1, false, true),
    colsampleByNode: numberOption(options, 'colsampleByNode', 1, 0, 1, false, true),
  };
}
