/**
 * Shapes shared by the tree learners: the training data, the options of both learners and the
 * serialisable model. Everything here is plain data: a model survives `JSON.stringify` and
 * `JSON.parse` unchanged and predicts the same afterwards.
 */

/** What a model predicts: a class of two, a class of several, or a real number. */
export type TreeTask = 'binary' | 'multiclass' | 'regression';

/**
 * A feature matrix, **column-major**: the value of row `i`, feature `j` is `values[j * rows + i]`.
 * Column-major because the learner reads one feature over many rows at a time (binning and
 * histograms). `NaN` is a missing value. A categorical feature holds integer category codes
 * (0, 1, 2, ...; `NaN` when missing); the codes are labels, not quantities.
 */
export interface FeatureColumns {
  readonly values: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

/** Training rows: the features, which of them are categorical, and the target of each row. */
export interface TreeTrainingData extends FeatureColumns {
  /** Indices of the categorical features (codes, see {@link FeatureColumns}); default none. */
  readonly categorical?: readonly number[];
  /**
   * One value per row: the class index 0 … classes − 1 for `binary` and `multiclass`, a finite
   * number for `regression`.
   */
  readonly target: Float64Array | Int32Array;
}

/** Options both learners share. */
interface CommonTreeOptions {
  readonly task: TreeTask;
  /** Number of classes for `multiclass` (default: the largest target + 1); 2 for `binary`. */
  readonly classes?: number;
  /** Seed of the engine's generator (mulberry32) for every random choice; default 42. */
  readonly seed?: number;
  /** Maximum number of quantile bins of a numeric feature (2 … 255, default 255; one more bin holds missing values). */
  readonly maxBins?: number;
  /**
   * A category with less weight than this in a node (rows for a forest and squared-error
   * boosting, hessian sum otherwise) is not given a place of its own when the node's categorical
   * split is searched: it goes right with the other rare ones, as LightGBM's `min_data_per_group`.
   * Keeps many rare categories from fitting noise. Default 0: every category is placed.
   */
  readonly minCategoryRows?: number;
}

/**
 * Options of {@link trainForest}; names and defaults follow scikit-learn's RandomForest, except
 * `maxDepth` (10 here, unlimited there).
 */
export interface ForestOptions extends CommonTreeOptions {
  /** Number of trees; default 100. */
  readonly trees?: number;
  /**
   * Index of the first tree (default 0). Tree `t` draws its rows and features from its own stream
   * (the seed mixed with `t`), so a forest trained in parts (`firstTree` 0 with 40 trees, 40 with
   * 60) and joined with {@link mergeForests} is the forest trained at once: the parts can run on
   * separate workers.
   */
  readonly firstTree?: number;
  /** Maximum depth (root = 0); default 10. */
  readonly maxDepth?: number;
  /**
   * Features drawn at random for each split: a count (integer ≥ 1), a fraction in (0, 1], or
   * 'sqrt' (the default for classification) / 'all' (the default for regression), as scikit-learn.
   */
  readonly maxFeatures?: number | 'sqrt' | 'log2' | 'all';
  /** Smallest (bootstrap-weighted) number of rows a node needs to be split; default 2. */
  readonly minSamplesSplit?: number;
  /** Smallest (bootstrap-weighted) number of rows in a leaf; default 1. */
  readonly minSamplesLeaf?: number;
  /** Draw each tree's rows with replacement (n of n); default true. */
  readonly bootstrap?: boolean;
}

/**
 * Options of {@link trainBoosted}; names after XGBoost's parameters (`eta`, `lambda`, `gamma`,
 * `min_child_weight`, `max_depth`, `subsample`, `colsample_bytree`, `colsample_bynode`), same defaults.
 */
export interface BoostedOptions extends CommonTreeOptions {
  /** Boosting rounds (one tree per round, one per class and round for multiclass); default 100. */
  readonly rounds?: number;
  /** Shrinkage η applied to every leaf weight; default 0.3. */
  readonly eta?: number;
  /** Maximum depth; default 6. */
  readonly maxDepth?: number;
  /** L2 penalty λ on leaf weights; default 1. */
  readonly lambda?: number;
  /** L1 penalty α on leaf weights; default 0. */
  readonly alpha?: number;
  /** Smallest loss reduction γ a split must bring; default 0. */
  readonly gamma?: number;
  /** Smallest hessian sum of a child; default 1. */
  readonly minChildWeight?: number;
  /** Fraction of rows drawn (without replacement) for each round; default 1. */
  readonly subsample?: number;
  /** Fraction of features drawn for each tree; default 1. */
  readonly colsampleByTree?: number;
  /** Fraction of the tree's features drawn for each split; default 1. */
  readonly colsampleByNode?: number;
}

/**
 * One tree as flat arrays over its nodes (node 0 is the root). A node with `left[j] === -1` is a
 * leaf; its values are `value[j * width … j * width + width − 1]` (width: classes for a forest
 * classifier, 1 otherwise). An inner node sends a row left when its feature is missing and
 * `missingLeft[j] === 1`; otherwise, for a numeric feature, when `x <= threshold[j]`, and for a
 * categorical feature (`category[j] >= 0`) when its code is in `categorySets[category[j]]`.
 */
export interface SerializedTree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly category: number[];
  readonly missingLeft: number[];
  readonly left: number[];
  readonly right: number[];
  readonly value: number[];
  readonly categorySets: number[][];
}

/** A trained forest or boosted ensemble: plain, JSON-safe data. */
export interface TreeModel {
  readonly format: 'incident-insights.trees/1';
  readonly algorithm: 'random-forest' | 'gradient-boosting';
  readonly task: TreeTask;
  /** Number of classes (2 for binary); 1 for regression. */
  readonly classes: number;
  readonly features: number;
  /** Indices of the categorical features. */
  readonly categorical: number[];
  /**
   * The category codes each categorical feature (in the order of `categorical`) was trained on;
   * any other code is treated as missing.
   */
  readonly categoryCodes: number[][];
  /** Boosting: the starting margin per output (log-odds, log-priors or mean); empty for a forest. */
  readonly baseScore: number[];
  /** Boosting: the output (class) each tree adds to; for a forest, 0 for every tree. */
  readonly treeOutput: number[];
  readonly trees: SerializedTree[];
  /** Total gain (loss reduction) of the splits on each feature; see {@link featureImportance}. */
  readonly gain: number[];
}

/** What {@link predictTrees} returns. */
export type TreePrediction =
  | {
      readonly task: 'binary' | 'multiclass';
      readonly classes: number;
      /** Row-major: the probability of class `k` for row `i` is `probabilities[i * classes + k]`. */
      readonly probabilities: Float64Array;
      /** The most probable class of each row (the lowest index on a tie). */
      readonly labels: Int32Array;
    }
  | { readonly task: 'regression'; readonly values: Float64Array };
