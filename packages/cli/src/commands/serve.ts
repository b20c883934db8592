import { readFileSync } from 'node:fs';
import type { Engine, Job, JsonValue, ScheduleConfig } from '@incident-insights/engine';
import { EngineError, isEngineError, windowHoursOption } from '@incident-insights/engine/vocabulary';
import type { OidcIssuer } from '@incident-insights/server';
import type { Command } from 'commander';
import { printable } from '../format.ts';

/**
 * The largest `--upload-limit`, MiB: an upload is read into one buffer, and 4 GiB is the largest
 * buffer Node 20 allocates (`buffer.constants.MAX_LENGTH`).
 */
const maxUploadMiB = 4096;

interface Options {
  port: string;
  host: string;
  cors?: string;
  oidcConfig?: string;
  ratePerMinute?: string;
  ratePerHour?: string;
  uploadLimit?: string;
  logLevel: string;
  analyze?: boolean;
  anomalyWindow?: string;
  schedule: boolean;
  scheduleConfig?: string;
  webhookAllow?: string;
}

/**
 * `insights serve [--port 8000] [--host 127.0.0.1]`: runs the HTTP API and the job runner with its
 * schedules (KPIs hourly, anomaly detection every 15 minutes, recurrence every 6 hours, model
 * training daily, incident scoring every 5 minutes, insights hourly, costs hourly, cleanup daily, heatmaps hourly; a file of one's
 * own with `--schedule-config`, none with `--no-schedule`) until SIGTERM/SIGINT, then drains
 * and closes the database. On a database without users it creates an `admin` user and prints a new
 * API token for it once, so the API is usable from the first start. With `--analyze` it queues
 * calculate_kpis, analyze_recurrence and run_anomaly_detection as jobs once it listens, and logs
 * how each ends. `--upload-limit <MiB>` raises (or lowers) the 256 MiB limit of a bulk upload's body;
 * a larger body is answered 413, and nothing is written.
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
    .option(
      '--upload-limit <MiB>',
      `largest body of a bulk upload (POST /api/incidents/bulk/, and \`insights ingest\` beside this server), in MiB from 1 to ${maxUploadMiB}; it is held in memory while it is read (default 256)`,
    )
    .option('--log-level <level>', 'pino log level (silent, error, warn, info, debug)', 'info')
    .option(
      '--analyze',
      'once listening, queue calculate_kpis, analyze_recurrence and run_anomaly_detection as jobs (how each ends is logged on stderr)',
    )
    .option(
      '--anomaly-window <hours>',
      'with --analyze: hours before now in which anomalies are reported (default: the model, 24)',
    )
    .option('--no-schedule', 'run no schedule (jobs queued through the API or the CLI still run)')
    .option(
      '--schedule-config <file>',
      'JSON file: the schedules, replacing the default ones: [{name, kind, parameters?, everySeconds, enabled?}]',
    )
    .option(
      '--webhook-allow <hosts>',
      'comma-separated hosts webhooks may be delivered to although they are private or loopback addresses (env INSIGHTS_WEBHOOK_ALLOW)',
    )
    .action(async (options: Options, command: Command) => {
      const port = positiveInt(options.port, '--port', true);
      const uploadLimitBytes =
        options.uploadLimit === undefined ? undefined : uploadLimitOption(options.uploadLimit);
      const anomalyWindowHours =
        options.anomalyWindow === undefined
          ? undefined
          : windowHoursOption('--anomaly-window', options.anomalyWindow);
      const oidc = readOidc(options.oidcConfig);
      // Imported here, not at the top: `insights --help` need not load the engine and the server.
      const [{ serve }, { hostList, withEngine }, { checkScheduleKinds, readScheduleConfig }] =
        await Promise.all([
          import('@incident-insights/server'),
          import('../engine-options.ts'),
          import('../schedule-config.ts'),
        ]);
      if (!options.schedule && options.scheduleConfig !== undefined) {
        throw new EngineError('VALIDATION_ERROR', '--no-schedule and --schedule-config exclude each other');
      }
      const schedules: readonly ScheduleConfig[] | false | undefined = options.schedule
        ? options.scheduleConfig === undefined
          ? undefined
          : readScheduleConfig(options.scheduleConfig)
        : false;
      const rateLimit = {
        ...(options.ratePerMinute
          ? { perMinute: positiveInt(options.ratePerMinute, '--rate-per-minute') }
          : {}),
        ...(options.ratePerHour ? { perHour: positiveInt(options.ratePerHour, '--rate-per-hour') } : {}),
      };
      await withEngine(
        command,
        async (engine) => {
          if (schedules) checkScheduleKinds(options.scheduleConfig ?? '', schedules, engine);
          // serve() checks the schedules' parameters before it listens: nothing is changed before that.
          const server = await serve(engine, {
            port,
            host: options.host,
            logLevel: options.logLevel,
            handleSignals: false,
            jobs: schedules === undefined ? {} : { schedules },
            app: {
              rateLimit,
              ...(uploadLimitBytes === undefined ? {} : { uploadLimitBytes }),
              ...(options.cors ? { corsOrigins: options.cors === '*' ? '*' : options.cors.split(',') } : {}),
              ...(oidc ? { oidc } : {}),
            },
          }).catch((error: unknown) => {
            throw schedules && isEngineError(error) && error.code === 'VALIDATION_ERROR'
              ? new EngineError(
                  error.code,
                  `--schedule-config ${options.scheduleConfig}: ${error.message}`,
                  error.details,
                )
              : error;
          });
          // Signals are taken before anything is announced, so a SIGTERM is never the default kill.
          const stopFollowing = new AbortController();
          const shutDown = async () => {
            process.off('SIGTERM', shutDown);
            process.off('SIGINT', shutDown);
            stopFollowing.abort();
            await server.close();
          };
          process.once('SIGTERM', shutDown);
          process.once('SIGINT', shutDown);
          try {
            await bootstrapAdmin(engine);
            process.stderr.write(
              `Incident Insights API listening on ${server.url}/api/ (docs: ${server.url}/api/docs; web page: ${server.url}/)\n` +
                `${describeSchedules(schedules)}\n`,
            );
            if (options.analyze) await queueAnalyses(engine, anomalyWindowHours, stopFollowing.signal);
          } catch (error) {
            await shutDown();
            throw error;
          }
          await server.closed;
        },
        { webhookAllow: hostList(options.webhookAllow) },
      );
    });
}

/** One line saying what runs by itself while the server runs. */
function describeSchedules(schedules: readonly ScheduleConfig[] | false | undefined): string {
  if (schedules === false) return 'schedules: none (--no-schedule); queued jobs still run';
  if (schedules === undefined) {
    return 'schedules: the default ones (KPIs hourly, anomaly detection every 15 minutes, recurrence every 6 hours, model training daily, incident scoring every 5 minutes, insights hourly, costs hourly, cleanup daily, heatmaps hourly); see /api/jobs/schedules/';
  }
  const enabled = schedules.filter((s) => s.enabled !== false);
  const list = enabled.map((s) => `${s.name} every ${s.everySeconds} s`).join(', ');
  return `schedules: ${printable(list || 'none enabled')} (from --schedule-config); see /api/jobs/schedules/`;
}

/**
 * `--analyze`: queues the three analyses as jobs (equal jobs already queued are shared) and logs
 * one line when each ends, until `signal` (the server shutting down) stops the following.
 */
async function queueAnalyses(engine: Engine, anomalyWindowHours: number | undefined, signal: AbortSignal) {
  const requests: { kind: string; parameters: Record<string, JsonValue> }[] = [
    { kind: 'calculate_kpis', parameters: {} },
    { kind: 'analyze_recurrence', parameters: {} },
    {
      kind: 'run_anomaly_detection',
      parameters: anomalyWindowHours === undefined ? {} : { time_window: anomalyWindowHours },
    },
  ];
  const log = (line: string) => process.stderr.write(`analysis: ${line}\n`);
  const jobs: Job[] = [];
  for (const request of requests) jobs.push((await engine.jobs.submit(request)).job);
  log(
    `queued ${jobs.map((j) => `${j.kind} (job ${j.id})`).join(', ')}; the server answers meanwhile, progress at /api/jobs/`,
  );
  for (const queued of jobs) {
    const started = Date.now();
    engine.jobs.wait(queued.id, { signal }).then(
      (job) =>
        log(`${job.kind} ${job.status} in ${((Date.now() - started) / 1000).toFixed(1)} s${outcome(job)}`),
      () => undefined, // stopped following: the server is shutting down
    );
  }
}

/** What a finished analysis job says, in a few words. */
function outcome(job: Job): string {
  if (job.status === 'FAILED') return `: ${printable(job.error?.message ?? 'failed')}`;
  if (job.status !== 'SUCCEEDED') return '';
  const result = job.result as Record<string, unknown> | null;
  if (job.kind === 'calculate_kpis' && Array.isArray(result?.['measurements'])) {
    const all = result['measurements'] as { computed?: boolean }[];
    const computed = all.filter((m) => m.computed).length;
    return `: ${computed} KPI measurements calculated, ${all.length - computed} already stored`;
  }
  if (job.kind === 'analyze_recurrence' && Array.isArray(result?.['analyses'])) {
    return `: ${(result['analyses'] as unknown[]).length} recurring patterns`;
  }
  const run = result?.['run'] as { anomalies_created?: number } | undefined;
  if (job.kind === 'run_anomaly_detection' && typeof run?.anomalies_created === 'number') {
    return `: ${run.anomalies_created} new anomalies`;
  }
  return '';
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

/**
 * `--upload-limit <MiB>` in bytes: digits only (no sign, fraction, exponent or unit), 1 to
 * {@link maxUploadMiB}.
 *
 * @throws EngineError VALIDATION_ERROR naming the option and the value refused.
 */
function uploadLimitOption(value: string): number {
  const mib = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!(mib >= 1 && mib <= maxUploadMiB)) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `--upload-limit must be a whole number of MiB from 1 to ${maxUploadMiB}, not ${value}`,
    );
  }
  return mib * 1024 * 1024;
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
