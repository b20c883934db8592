// Bundles the built CLI (dist/main.js, with the engine's and the server's builds and the packages
// they import) into a few files under dist/bundle/, so that a command resolves and reads a few
// dozen files instead of hundreds (bench/RESULTS.md, "CLI start-up"). `npm run build` runs it
// after `tsc -b`; bin/entry.js runs the bundle only when it is at least as new as every package's
// build stamp.
//
// Left outside: DuckDB's native binding (a `.node` file). Code that finds files beside itself
// (`import.meta.url`, CommonJS `__dirname` and `__filename`: the engine's worker entry, Piscina's
// and pino's workers, WebAssembly files, Swagger UI's assets) is rewritten to name its original
// place, relative to the bundle, so that it finds the same files as unbundled.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Where the bundle goes: dist/bundle/, or the directory given as the first argument (tests). */
const outdir = resolve(process.argv[2] ?? join(cliDir, 'dist/bundle'));
const entry = join(outdir, 'main.js');

/** `path` relative to the bundle's directory, as a URL path. */
const fromBundle = (path) => relative(outdir, path).split('\\').join('/');

/**
 * Rewrites each input's own location (`import.meta.url`, `__dirname`, `__filename`) to its original
 * file, through helpers the banner defines in every output file (all of them in `outdir`). No
 * `import.meta` is written into an input: esbuild would take a CommonJS file that has one for ESM.
 */
const originalLocations = {
  name: 'original-locations',
  setup(builder) {
    builder.onLoad({ filter: /\.[cm]?js$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!/import\.meta\.url|\b__(dirname|filename)\b/.test(text)) return undefined;
      const at = JSON.stringify(fromBundle(path));
      const contents = text
        .replaceAll('import.meta.url', `__bundleOriginalUrl(${at})`)
        .replace(/\b__filename\b/g, `__bundleOriginalPath(${at})`)
        .replace(/\b__dirname\b/g, `__bundleDirName(__bundleOriginalPath(${at}))`);
      return { contents, loader: 'js', resolveDir: dirname(path) };
    });
  },
};

const banner = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { dirname as __bundleDirName } from 'node:path';",
  "import { fileURLToPath as __bundleFileName } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __bundleOriginalUrl = (path) => new URL(path, import.meta.url).href;',
  'const __bundleOriginalPath = (path) => __bundleFileName(__bundleOriginalUrl(path));',
].join('\n');

const result = await build({
  entryPoints: { main: join(cliDir, 'dist/main.js') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  outdir,
  write: false,
  external: ['@duckdb/node-bindings', '@duckdb/node-bindings-*', '*.node'],
  banner: { js: banner },
  plugins: [originalLocations],
  logLevel: 'warning',
});

// Written here rather than by esbuild so that main.js comes last: a bundle whose main.js exists
// is whole, and its time stamps the bundle for bin/entry.js.
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const files = [...result.outputFiles].sort((a, b) => (a.path === entry) - (b.path === entry));
for (const file of files) writeFileSync(file.path, file.contents);
const now = new Date();
utimesSync(entry, now, now);
