import { defineConfig } from 'vite';

/**
 * Builds the single-page app into `dist/app/` (index.html and hashed assets under `assets/`) for
 * the server to serve at `/`; only that folder is emptied, so that other builds may write beside it
 * in `dist/`. Relative asset URLs, no external fetches; JSX compiled for Preact.
 */
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    assetsDir: 'assets',
    // Files are served from /assets/, never inlined as data: URLs (the page's CSP allows 'self' only).
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: true,
    chunkSizeWarningLimit: 1200,
  },
});
