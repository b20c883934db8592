import { readFileSync } from 'node:fs';
import { type Engine, EngineError, windowHoursOption } from '@incident-insights/engine';
import { type OidcIssuer, serve } from '@incident-insights/server';
import type { Command } from 'commander';
import { withEngine } from '../engine-options.ts';
import { type StartupAnalyses, startAnalyses } from '../startup-analyses.ts';

interface Options {
  port: string;
  host: string;
  cors?: string;
  oidcConfig?: string;
  ratePerMinute?: string;
  ratePerHour?: string;
  logLevel: string;
  analyze?: boolean;
  anomalyWindow?: string;
}

/**
 * `insights serve [--port 8000] [--host 127.0.0.1]`: runs the HTTP API until SIGTERM/SIGINT, then
 * drains and closes the database. On a database without users it creates an `admin` user and prints
 * a new API token for it once, so the API is usable from the first start. With `--analyze` it
 * then runs calculate-kpis, analyze-recurrence and run-anomaly-detection in this process while it
 * already answers; SIGTERM waits for the step in progress, then drains and closes.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API (the first start on an empty database creates user admin and prints its token)',
    )
    .option('--port <port>', 'TCP port', '8000')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--cors <origins>', 'comma-separated origins allowed by CORS, or *')
    .option(
      '--oidc-config <file>',
      'JSON file: [{issuer, audience, jwksUri, rolesClaim?}] (env INSIGHTS_OIDC)',
    )
    .option('--rate-per-minute <n>', 'requests a user may make a minute (default 100)')
    .option('--rate-per-hour <n>', 'requests a user may make an hour (default 1000)')
    .option('--log-level <level>', 'pino log level (silent, error, warn, info, debug)', 'info')
    .option(
      '--analyze',
      'after listening, calculate the KPIs, analyse recurrence and detect anomalies (progress on stderr)',
    )
    .option(
      '--anomaly-window <hours>',
      'with --analyze: hours before now in which anomalies are reported (default: the model, 24)',
    )
    .action(async (options: Options, command: Command) => {
      const port = positiveInt(options.port, '--port', true);
      const anomalyWindowHours =
        options.anomalyWindow === undefined
          ? undefined
          : windowHoursOption('--anomaly-window', options.anomalyWindow);
      const oidc = readOidc(options.oidcConfig);
      await withEngine(command, async (engine) => {
        await bootstrapAdmin(engine);
        const server = await serve(engine, {
          port,
          host: options.host,
          logLevel: options.logLevel,
          handleSignals: false,
          app: {
            rateLimit: {
              ...(options.ratePerMinute
                ? { perMinute: positiveInt(options.ratePerMinute, '--rate-per-minute') }
                : {}),
              ...(options.ratePerHour
                ? { perHour: positiveInt(options.ratePerHour, '--rate-per-hour') }
                : {}),
            },
            ...(options.cors ? { corsOrigins: options.cors === '*' ? '*' : options.cors.split(',') } : {}),
            ...(oidc ? { oidc } : {}),
          },
        });
        // Signals are taken before anything is announced, so a SIGTERM is never the default kill.
        let analyses: StartupAnalyses | undefined;
        const shutDown = async () => {
          process.off('SIGTERM', shutDown);
          process.off('SIGINT', shutDown);
          await analyses?.stop();
          await server.close();
        };
        process.once('SIGTERM', shutDown);
        process.once('SIGINT', shutDown);
        process.stderr.write(
          `Incident Insights API listening on ${server.url}/api/ (docs: ${server.url}/api/docs)\n`,
        );
        if (options.analyze) analyses = startAnalyses(engine, { anomalyWindowHours });
        await server.closed;
      });
    });
}

/** Creates user `admin` with a fresh token when there are no users at all, and prints the token. */
async function bootstrapAdmin(engine: Engine): Promise<void> {
  if ((await engine.auth.countUsers()) > 0) return;
  await engine.auth.createUser({ username: 'admin', role: 'admin' });
  const { key } = await engine.auth.createToken({ user: 'admin', name: 'created by the first serve' });
  process.stderr.write(
    'No users yet: created user "admin" (role admin). Its API token, shown only now, is on the next line.\n' +
      'Use it as "Authorization: Token <token>"; manage users with `insights users` and `insights tokens`.\n',
  );
  process.stdout.write(`${key}\n`);
}

function positiveInt(value: string, name: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65_535_000) {
    throw new EngineError('VALIDATION_ERROR', `${name} must be a whole number${allowZero ? '' : ' above 0'}`);
  }
  return n;
}

function readOidc(file: string | undefined): OidcIssuer[] | undefined {
  const text = file ? readFileSync(file, 'utf8') : process.env['INSIGHTS_OIDC'];
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EngineError('VALIDATION_ERROR', 'the OIDC configuration is not valid JSON');
  }
  const list = Array.isArray(value) ? value : [value];
  for (const issuer of list) {
    const i = issuer as Partial<OidcIssuer> | null;
    if (!i || typeof i.issuer !== 'string' || !i.audience || typeof i.jwksUri !== 'string') {
      throw new EngineError('VALIDATION_ERROR', 'each OIDC issuer needs issuer, audience and jwksUri');
    }
  }
  return list as OidcIssuer[];
}
