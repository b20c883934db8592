/**
 * `@incident-insights/engine/internal`: what the engine's own tests, fixtures and benchmarks reach
 * past the public API with. Not part of the public API and not covered by semver: the CLI, the
 * HTTP server and applications use the main entry (`engine.now()`, `engine.ping()`,
 * `engine.workerStats()`), never this one.
 */

export type { EngineContext } from './context.ts';
export { internalContext } from './engine.ts';
