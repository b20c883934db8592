/**
 * Runs the HTTP API over an in-memory engine with the default logger (pino JSON lines on stdout),
 * for tests that read the log a real server writes. Prints `{"url", "token"}` on stderr once
 * listening; stops on SIGTERM.
 */
import { openEngine } from '@incident-insights/engine';
import { serve } from '@incident-insights/server';

const engine = await openEngine({ path: ':memory:' });
await engine.auth.createUser({ username: 'admin', password: 'password-admin', role: 'admin' });
const { key } = await engine.auth.createToken({ user: 'admin', name: 'log test' });
const server = await serve(engine, { port: 0, logLevel: 'info', app: { rateLimit: false } });
process.stderr.write(`${JSON.stringify({ url: server.url, token: key })}\n`);
