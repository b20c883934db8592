export { createApp } from './app.ts';
export type { OidcIssuer } from './auth/oidc.ts';
export { currentPrincipal, forbidden, hasRole, mayAccess, requireRole } from './auth/permissions.ts';
export type { AppEnv, AuthMethod, Principal } from './env.ts';
export { ApiError, type ErrorBody } from './errors.ts';
export type { AppOptions } from './options.ts';
export type { RateLimitOptions } from './rate-limit/rate-limit.ts';
export { MemoryRateLimitStore, type RateLimitStore, type WindowState } from './rate-limit/store.ts';
export { type RunningServer, type ServeOptions, serve } from './serve.ts';
