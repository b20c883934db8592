import { OpenAPIHono } from '@hono/zod-openapi';
import type { Engine } from '@incident-insights/engine';
import { cors } from 'hono/cors';
import { pino } from 'pino';
import { authenticate } from './auth/authenticate.ts';
import { OidcVerifier } from './auth/oidc.ts';
import { limitBody } from './body-size.ts';
import type { AppEnv } from './env.ts';
import { ApiError, onError } from './errors.ts';
import { createLogger } from './observability/logger.ts';
import { ServerMetrics } from './observability/metrics.ts';
import { requestLog } from './observability/request-log.ts';
import { serveApiDocumentation } from './openapi/api-documentation.ts';
import type { AppOptions } from './options.ts';
import { rateLimit } from './rate-limit/rate-limit.ts';
import { anomalyDetectionRoutes } from './routes/anomaly-detections.ts';
import { anomalyThresholdRoutes } from './routes/anomaly-thresholds.ts';
import { apiRootRoutes } from './routes/api-root.ts';
import { authRoutes } from './routes/auth.ts';
import { costAnalysisRoutes } from './routes/cost-analyses.ts';
import { costModelRoutes } from './routes/cost-models.ts';
import { dashboardReportRoutes } from './routes/dashboard-report.ts';
import { dashboardRoutes } from './routes/dashboards.ts';
import { heatmapDataRoutes } from './routes/heatmap-data.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { jobRoutes } from './routes/jobs.ts';
import { kpiMeasurementRoutes } from './routes/kpi-measurements.ts';
import { kpiMetricRoutes } from './routes/kpi-metrics.ts';
import { maintenanceWindowRoutes } from './routes/maintenance-windows.ts';
import { predictiveInsightRoutes } from './routes/predictive-insights.ts';
import { predictiveModelRoutes } from './routes/predictive-models.ts';
import { recurrenceAnalysisRoutes } from './routes/recurrence-analyses.ts';
import { systemRoutes } from './routes/system.ts';
import { webAppRoutes } from './routes/web-app.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { allowedMethods, isPublicPath, routingPath, staticRouteMethods } from './routing.ts';

/**
 * Builds the HTTP API over an open engine: authentication, rate limits, errors, OpenAPI and one
 * sub-app per resource. The app is a plain Hono app: `app.request()` works without a socket, and
 * `serve()` runs it on Node.
 */
export function createApp(engine: Engine, options: AppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ getPath: routingPath });
  const logger = options.logger === false ? pino({ enabled: false }) : (options.logger ?? createLogger());
  const metrics = new ServerMetrics(engine);
  const oidc = options.oidc?.length ? new OidcVerifier(options.oidc) : undefined;
  const auth = authenticate(engine, oidc, options.localCredential);
  const limiter = options.rateLimit === false ? undefined : rateLimit(options.rateLimit);
  const bodyLimitBytes = options.bodyLimitBytes ?? 1024 * 1024;
  const uploadLimitBytes = options.uploadLimitBytes ?? 256 * 1024 * 1024;

  app.onError(onError);
  app.notFound((c) => {
    const allow = allowedMethods(app, routingPath(c.req.raw));
    // Answered, not thrown, so that the middleware around it (rate-limit headers) completes.
    if (allow.length > 0) {
      return onError(
        new ApiError(405, `Method "${c.req.method}" not allowed.`, { headers: { Allow: allow.join(', ') } }),
        c,
      );
    }
    return onError(new ApiError(404, 'Not found.', { details: { path: c.req.path } }), c);
  });

  app.use(requestLog(logger));
  app.use(metrics.middleware());
  if (options.corsOrigins) {
    const origins = options.corsOrigins;
    app.use(
      cors({
        origin: origins === '*' ? '*' : [...origins],
        credentials: origins !== '*',
        allowHeaders: ['Authorization', 'Content-Type', 'X-CSRF-Token', 'X-Request-Id'],
        allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: [
          'X-Request-Id',
          'X-RateLimit-Limit',
          'X-RateLimit-Remaining',
          'X-RateLimit-Reset',
          'Retry-After',
          'Location',
          'X-Job-Deduplicated',
        ],
        maxAge: 600,
      }),
    );
  }
  const limitJson = limitBody(bodyLimitBytes);
  const limitUpload = limitBody(uploadLimitBytes);
  app.use(async (c, next) => {
    c.set('engine', engine);
    // A GET or HEAD has no body to limit, and asking for one would make the Node adapter build a
    // whole fetch Request (headers copied, two abort controllers) for every read.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return (routingPath(c.req.raw).endsWith('/bulk/') ? limitUpload : limitJson)(c, next);
  });
  app.use(async (c, next) => {
    const path = routingPath(c.req.raw);
    if (isPublicPath(path) || (options.publicMetrics && path === '/metrics')) {
      return limiter && path === '/api/auth/login/' ? limiter(c, next) : next();
    }
    return auth(c, async () => {
      if (limiter) await limiter(c, next);
      else await next();
    });
  });
  app.use(async (c, next) => {
    const methods = staticRouteMethods(app, routingPath(c.req.raw));
    if (!methods || methods.includes(c.req.method) || c.req.method === 'OPTIONS') return next();
    return onError(
      new ApiError(405, `Method "${c.req.method}" not allowed.`, { headers: { Allow: methods.join(', ') } }),
      c,
    );
  });

  serveApiDocumentation(app);

  // Resources: one sub-app each (see packages/server/README.md). Add your line below.
  app.route('/', webAppRoutes(options.webRoot));
  app.route('/', systemRoutes(engine, metrics, options.isDraining ?? (() => false)));
  app.route('/api/auth', authRoutes(options));
  app.route('/api', incidentRoutes());
  app.route(
    '/api',
    apiRootRoutes(() => app.routes),
  );
  app.route('/api/analytics', anomalyDetectionRoutes());
  app.route('/api/analytics', anomalyThresholdRoutes());
  app.route('/api/analytics', recurrenceAnalysisRoutes());
  app.route('/api/analytics', kpiMetricRoutes());
  app.route('/api/analytics', kpiMeasurementRoutes());
  app.route('/api/analytics', maintenanceWindowRoutes());
  app.route('/api/analytics', predictiveModelRoutes());
  app.route('/api/analytics', predictiveInsightRoutes());
  app.route('/api/analytics', costAnalysisRoutes());
  app.route('/api/analytics', costModelRoutes());
  app.route('/api/analytics', heatmapDataRoutes());
  app.route('/api/analytics', dashboardRoutes());
  app.route('/api/analytics', dashboardReportRoutes());
  app.route('/api/analytics', webhookRoutes());
  app.route('/api', jobRoutes());

  checkTrailingSlashes(app);
  return app;
}

/** Every API route must end with a slash, as in the spec; a route without one could never match. */
function checkTrailingSlashes(app: OpenAPIHono<AppEnv>): void {
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    if (route.path.startsWith('/api/') && !route.path.endsWith('/') && !route.path.includes('.')) {
      throw new Error(
        `route ${route.method} ${route.path} must end with "/" (see packages/server/README.md)`,
      );
    }
  }
}
