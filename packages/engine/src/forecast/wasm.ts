import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type ArimaConstructor from 'arima';

/**
 * Loading of the forecasting libraries' WebAssembly, the one impure part of the forecast kernel.
 * Each module is read from its file in `node_modules` and instantiated with `initSync` (augurs'
 * default `init()` would fetch it), once per thread, on first use. arima's Emscripten module is
 * built with `print` and `printErr` that drop its output: a library must not print.
 */

const require = createRequire(import.meta.url);

type MstlModule = typeof import('@bsull/augurs/mstl');
type EtsModule = typeof import('@bsull/augurs/ets');
type ProphetModule = typeof import('@bsull/augurs/prophet');
type WasmstanModule = typeof import('@bsull/augurs-prophet-wasmstan');

/** The augurs classes the kernel uses, initialised. */
export interface Augurs {
  MSTL: MstlModule['MSTL'];
  AutoETS: EtsModule['AutoETS'];
  Prophet: ProphetModule['Prophet'];
  optimizer: WasmstanModule['optimizer'];
}

let augurs: Promise<Augurs> | undefined;
let arima: typeof ArimaConstructor | undefined;

/** Imports an augurs sub-module and instantiates its `_bg.wasm` file synchronously. */
async function augursModule<M extends { initSync(input: { module: Uint8Array }): unknown }>(
  specifier: string,
  load: () => Promise<M>,
): Promise<M> {
  const mod = await load();
  const file = require.resolve(specifier).replace(/\.js$/, '_bg.wasm');
  quietly(() => mod.initSync({ module: readFileSync(file) }));
  return mod;
}

/** The augurs modules (MSTL, AutoETS, Prophet and the Stan optimiser), loaded once per thread. */
export function loadAugurs(): Promise<Augurs> {
  augurs ??= (async () => {
    const [mstl, ets, prophet, wasmstan] = await Promise.all([
      augursModule('@bsull/augurs/mstl', () => import('@bsull/augurs/mstl')),
      augursModule('@bsull/augurs/ets', () => import('@bsull/augurs/ets')),
      augursModule('@bsull/augurs/prophet', () => import('@bsull/augurs/prophet')),
      quietlyAsync(() => import('@bsull/augurs-prophet-wasmstan')),
    ]);
    return { MSTL: mstl.MSTL, AutoETS: ets.AutoETS, Prophet: prophet.Prophet, optimizer: wasmstan.optimizer };
  })();
  augurs.catch(() => {
    augurs = undefined;
  });
  return augurs;
}

/** arima's constructor, its Emscripten module built from the package's own files with silent output. */
export function loadArima(): typeof ArimaConstructor {
  if (arima) return arima;
  const root = dirname(require.resolve('arima'));
  const createModule = require(join(root, 'wasm/native-sync.js')) as (options: object) => unknown;
  const wasmBinary = require(join(root, 'wrapper/native.bin.js')) as Uint8Array;
  const bind = require(join(root, 'load.js')) as (module: unknown) => typeof ArimaConstructor;
  const silent = (): void => {};
  arima = quietly(() => bind(createModule({ wasmBinary, print: silent, printErr: silent })));
  return arima;
}

type Writer = typeof process.stdout.write;
const consoleMethods = ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const;

/**
 * Runs `fn` with the console and both standard streams muted, so that nothing the WebAssembly
 * libraries log (augurs' tracing, panic hooks, Emscripten's printf) reaches the host's output.
 * `fn` must be synchronous: only what it writes before it returns is muted.
 */
export function quietly<T>(fn: () => T): T {
  const saved = consoleMethods.map((m) => console[m]);
  const out = process.stdout.write;
  const err = process.stderr.write;
  const mute = (() => true) as unknown as Writer;
  for (const m of consoleMethods) console[m] = () => {};
  process.stdout.write = mute;
  process.stderr.write = mute;
  try {
    return fn();
  } finally {
    consoleMethods.forEach((m, i) => {
      console[m] = saved[i]!;
    });
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** {@link quietly} for a module import: mutes only the synchronous part of its evaluation. */
async function quietlyAsync<T>(fn: () => Promise<T>): Promise<T> {
  return quietly(fn);
}
