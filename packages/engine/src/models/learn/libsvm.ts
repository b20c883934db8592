/**
 * libsvm compiled to WebAssembly (`libsvm-js` 0.2.1, its wasm build), loaded once per thread with
 * its printing silenced, a sparse training entry, and a model reader for texts of any size
 * ({@link loadModel}). libsvm's native row format is sparse (only
 * the non-zero features, as index:value nodes), but libsvm-js's `train` writes every feature of
 * every row, zeros included; on one-hot columns each kernel evaluation then walks hundreds of
 * zeros. {@link trainSparse} writes only the non-zero features into the problem libsvm-js
 * allocates, then trains through libsvm-js's own calls. libsvm's kernels skip missing features
 * as zeros (a dot product merges the two rows' indices), so the model is the one the dense rows
 * give, found in time proportional to the non-zeros.
 */

import { createRequire } from 'node:module';

/** The parts of libsvm-js's SVM class used here. */
export interface LibsvmInstance {
  train(samples: ArrayLike<number>[], labels: number[]): void;
  serializeModel(): string;
  /** libsvm's option string for these options (the gamma default reads the samples' width). */
  getCommand(samples: ArrayLike<number>[]): string;
  predictOne(sample: ArrayLike<number>): number;
  predictOneProbability(sample: ArrayLike<number>): {
    prediction: number;
    estimates: { label: number; probability: number }[];
  };
  free(): void;
}

/** libsvm-js's SVM class. */
interface LibsvmClass {
  new (options: Record<string, unknown>): LibsvmInstance;
  load(serialized: string): LibsvmInstance;
}

/** The compiled module: its memory and exported C functions. */
interface LibsvmModule {
  load(): Promise<void>;
  print: unknown;
  printErr: unknown;
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  cwrap(name: string, returns: string | null, args: string[]): (...args: unknown[]) => number;
}

/** The library: the SVM class and the C calls of {@link trainSparse}. */
export interface Libsvm {
  readonly SVM: LibsvmClass;
  readonly module: LibsvmModule;
  /** `create_svm_nodes(rows, nodesPerRow)`: a problem of `rows` rows of `nodesPerRow + 1` nodes each. */
  readonly createProblem: (rows: number, nodesPerRow: number) => number;
  /** `libsvm_train_problem(problem, command)`: the trained model's pointer. */
  readonly trainProblem: (problem: number, command: string) => number;
  /** `deserialize_model(text)`: the model read from a NUL-terminated text in the module's heap (0 when unreadable). */
  readonly deserializeModel: (text: number) => number;
}

let loading: Promise<Libsvm> | undefined;

/**
 * Loads libsvm's WebAssembly build once per thread (Node's main thread or a worker: the module
 * reads its `.wasm` file beside it), with its print functions replaced by no-ops.
 */
export function loadLibsvmModule(): Promise<Libsvm> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const module = require('libsvm-js/out/wasm/libsvm.js') as LibsvmModule;
    module.print = () => {};
    module.printErr = () => {};
    await module.load();
    const bind = require('libsvm-js/src/loadSVM.js') as (m: unknown) => LibsvmClass;
    return {
      SVM: bind(module),
      module,
      createProblem: module.cwrap('create_svm_nodes', 'number', ['number', 'number']),
      trainProblem: module.cwrap('libsvm_train_problem', 'number', ['number', 'string']),
      deserializeModel: module.cwrap('deserialize_model', 'number', ['number']),
    };
  })();
  return loading;
}

/** Bytes of a libsvm node (`int index; double value;`, the double aligned to 8) in wasm32. */
const nodeBytes = 16;

/**
 * Trains `svm` (a fresh libsvm-js instance, which keeps and later frees the problem and the
 * model) on the rows of `x` (`rows × width`, row-major) with only their non-zero features.
 * `command` is libsvm's option string.
 */
export function trainSparse(
  libsvm: Libsvm,
  svm: LibsvmInstance,
  x: Float64Array,
  rows: number,
  width: number,
  labels: readonly number[],
  command: string,
): void {
  let widest = 0;
  for (let i = 0; i < rows; i++) {
    let count = 0;
    for (let j = i * width; j < (i + 1) * width; j++) count += +(x[j] !== 0);
    widest = Math.max(widest, count);
  }
  const problem = libsvm.createProblem(rows, widest);
  const owner = svm as unknown as { problem: number | null; model: number | null };
  owner.problem = problem;
  // Read the views after the allocation: memory growth replaces them.
  const { HEAP32: int32, HEAPF64: float64 } = libsvm.module;
  const yPointer = int32[(problem >> 2) + 1] as number;
  const rowPointers = (int32[(problem >> 2) + 2] as number) >> 2;
  if (
    rows > 1 &&
    (int32[rowPointers + 1] as number) - (int32[rowPointers] as number) !== (widest + 1) * nodeBytes
  ) {
    throw new Error('libsvm problem layout is not the one this build was written for');
  }
  for (let i = 0; i < rows; i++) {
    let node = int32[rowPointers + i] as number;
    for (let j = 0; j < width; j++) {
      const value = x[i * width + j] as number;
      if (value === 0) continue;
      int32[node >> 2] = j + 1;
      float64[(node + 8) >> 3] = value;
      node += nodeBytes;
    }
    int32[node >> 2] = -1;
    float64[(yPointer >> 3) + i] = labels[i] as number;
  }
  owner.model = libsvm.trainProblem(problem, command);
}

/**
 * A libsvm-js instance holding the model of libsvm's text serialisation `text`, to predict with
 * (free it after). libsvm-js's own `SVM.load` hands the text to C through Emscripten's `ccall`,
 * which copies a string onto the module's 5 MB stack, reserving 4 bytes a character: a model text
 * over about 1.3 MB (some 7,000 support vectors of a dozen features) overflows that stack into the
 * heap and the model is read corrupted (predictions of NaN, or of one class only). This copies the
 * text into memory from the heap's allocator instead. Throws when libsvm cannot read the text.
 */
export function loadModel(libsvm: Libsvm, text: string): LibsvmInstance {
  const bytes = new TextEncoder().encode(text);
  const { module } = libsvm;
  const pointer = module._malloc(bytes.length + 1);
  if (pointer === 0) throw new Error(`libsvm could not allocate ${bytes.length + 1} bytes for a model text`);
  try {
    // Read the view after the allocation: memory growth replaces it.
    const heap = module.HEAPU8;
    heap.set(bytes, pointer);
    heap[pointer + bytes.length] = 0;
    const model = libsvm.deserializeModel(pointer);
    if (model === 0) throw new Error('libsvm could not read the model text');
    const svm = new libsvm.SVM({});
    const owner = svm as unknown as { model: number | null; _deserialized: boolean };
    owner.model = model;
    owner._deserialized = true;
    return svm;
  } finally {
    module._free(pointer);
  }
}
