import { EngineError } from '../errors.ts';
import { type Action, type Actor, assertAllowed } from './policy.ts';

/**
 * The action each service method performs, by `service.method` (nested services by their path,
 * e.g. `kpis.maintenanceWindows.create`). A method absent from this table is refused to everyone
 * but the system actor, so a new method stays closed until it is given its action here.
 */
export const methodActions: Readonly<Record<string, Action>> = {
  'incidents.list': 'resources.read',
  'incidents.get': 'resources.read',
  'incidents.coverage': 'resources.read',
  'incidents.count': 'resources.read',
  'incidents.ingest': 'incidents.write',
  'incidents.create': 'incidents.write',
  'incidents.update': 'incidents.write',
  'incidents.delete': 'incidents.delete',

  'auth.createUser': 'users.manage',
  'auth.getUser': 'users.manage',
  'auth.getUserByUsername': 'users.manage',
  'auth.findUser': 'users.manage',
  'auth.listUsers': 'users.manage',
  'auth.countUsers': 'users.manage',
  'auth.updateUser': 'users.manage',
  'auth.deactivateUser': 'users.manage',
  'auth.createToken': 'users.manage',
  'auth.listTokens': 'users.manage',
  'auth.getToken': 'users.manage',
  'auth.revokeToken': 'users.manage',
  // Ending a session: the key itself proves it is the caller's own.
  'auth.logout': 'resources.read',

  'recurrence.list': 'resources.read',
  'recurrence.unresolved': 'resources.read',
  'recurrence.get': 'resources.read',
  'recurrence.analyze': 'analyses.write',
  'recurrence.resolve': 'analyses.write',

  'anomalies.detect': 'resources.read',
  'anomalies.list': 'resources.read',
  'anomalies.get': 'resources.read',
  'anomalies.summary': 'resources.read',
  'anomalies.run': 'analyses.write',
  'anomalies.acknowledge': 'analyses.write',
  'anomalies.confirm': 'analyses.write',
  'anomalies.markFalsePositive': 'analyses.write',
  'anomalies.resolve': 'analyses.write',
  'anomalies.thresholds.list': 'resources.read',
  'anomalies.thresholds.get': 'resources.read',
  'anomalies.thresholds.create': 'analyses.write',
  'anomalies.thresholds.update': 'analyses.write',
  'anomalies.thresholds.delete': 'analyses.write',

  'kpis.get': 'resources.read',
  'kpis.list': 'resources.read',
  'kpis.measurements': 'resources.read',
  'kpis.summary': 'resources.read',
  'kpis.create': 'analyses.write',
  'kpis.update': 'analyses.write',
  'kpis.delete': 'analyses.write',
  'kpis.calculate': 'analyses.write',
  'kpis.calculateAll': 'analyses.write',
  'kpis.ensureSystemMetrics': 'analyses.write',
  'kpis.maintenanceWindows.get': 'resources.read',
  'kpis.maintenanceWindows.list': 'resources.read',
  'kpis.maintenanceWindows.create': 'analyses.write',
  'kpis.maintenanceWindows.delete': 'analyses.write',

  'models.list': 'resources.read',
  'models.get': 'resources.read',
  'models.performance': 'resources.read',
  'models.predict': 'resources.read',
  'models.forecastCounts': 'resources.read',
  'models.predictionsFor': 'resources.read',
  'models.liveAccuracy': 'resources.read',
  'models.create': 'analyses.write',
  'models.update': 'analyses.write',
  'models.delete': 'analyses.write',
  'models.train': 'analyses.write',
  'models.trainNow': 'analyses.write',
  'models.trainDue': 'analyses.write',
  'models.scoreIncidents': 'analyses.write',
  'models.scorePending': 'analyses.write',

  'insights.list': 'resources.read',
  'insights.get': 'resources.read',
  'insights.summary': 'resources.read',
  'insights.acknowledge': 'analyses.write',
  'insights.generate': 'analyses.write',
  'insights.validateDue': 'analyses.write',
  'insights.cleanup': 'analyses.write',

  'heatmaps.list': 'resources.read',
  'heatmaps.get': 'resources.read',
  'heatmaps.compute': 'resources.read',
  'heatmaps.refresh': 'analyses.write',

  'costs.listModels': 'resources.read',
  'costs.getModel': 'resources.read',
  'costs.createModel': 'analyses.write',
  'costs.listServiceTiers': 'resources.read',
  'costs.setServiceTier': 'analyses.write',
  'costs.listContracts': 'resources.read',
  'costs.createContract': 'analyses.write',
  'costs.getSettings': 'resources.read',
  'costs.updateSettings': 'analyses.write',
  'costs.calculate': 'analyses.write',
  'costs.list': 'resources.read',
  'costs.get': 'resources.read',
  'costs.summary': 'resources.read',
  'costs.validate': 'analyses.write',

  // Visibility (is_public, allowed_roles) and who may change a dashboard are checked by the service.
  'dashboards.list': 'resources.read',
  'dashboards.get': 'resources.read',
  'dashboards.data': 'resources.read',
  'dashboards.trendMeasurements': 'resources.read',
  'dashboards.create': 'analyses.write',
  'dashboards.update': 'analyses.write',
  'dashboards.delete': 'analyses.write',

  'webhooks.list': 'webhooks.manage',
  'webhooks.get': 'webhooks.manage',
  'webhooks.deliveries': 'webhooks.manage',
  'webhooks.hasWork': 'webhooks.manage',
  'webhooks.create': 'webhooks.manage',
  'webhooks.update': 'webhooks.manage',
  'webhooks.replace': 'webhooks.manage',
  'webhooks.remove': 'webhooks.manage',
  'webhooks.rotateSecret': 'webhooks.manage',
  'webhooks.retryDelivery': 'webhooks.manage',
  'webhooks.sendTest': 'webhooks.manage',
  'webhooks.deliver': 'webhooks.manage',

  // Submitting also needs the kind's own action, checked by the service; run and startRunner are system only.
  'jobs.kinds': 'resources.read',
  'jobs.get': 'resources.read',
  'jobs.list': 'resources.read',
  'jobs.wait': 'resources.read',
  'jobs.schedules': 'resources.read',
  'jobs.statistics': 'resources.read',
  'jobs.submit': 'resources.read',
  'jobs.cancel': 'analyses.write',
};

/**
 * A view of `service` (found at `path`, e.g. `kpis`) whose every method call is first checked
 * against {@link methodActions} for `actor`; nested service objects are wrapped the same way.
 * The wrapped service itself is unchanged and still serves the system actor.
 */
function scopeService<S extends object>(service: S, path: string, actor: Actor): S {
  const nested = new Map<PropertyKey, unknown>();
  return new Proxy(service, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string') return value;
      const name = `${path}.${property}`;
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          try {
            checkMethod(actor, name);
          } catch (error) {
            return Promise.reject(error); // service methods answer with promises: refuse the same way
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) !== Object.prototype) {
        if (!nested.has(property)) nested.set(property, scopeService(value, name, actor));
        return nested.get(property);
      }
      return value;
    },
    set() {
      return false;
    },
  });
}

function checkMethod(actor: Actor, name: string): void {
  if (actor.system) return;
  const action = methodActions[name];
  if (action === undefined) {
    throw new EngineError('FORBIDDEN', 'You do not have permission to perform this action.', {
      method: name,
    });
  }
  assertAllowed(actor, action);
}

/**
 * A view of `engine` as `actor` sees it: each property named in `serviceNames` is the service
 * wrapped by {@link scopeService}; everything else (clock, worker stats, close) is the engine's
 * own. A scoped view cannot be re-scoped: its `as` refuses.
 *
 * @throws EngineError VALIDATION_ERROR for an actor without a username or a list of role names.
 */
export function scopeEngine<E extends object>(engine: E, serviceNames: readonly string[], actor: Actor): E {
  checkActor(actor);
  const services = new Map<PropertyKey, unknown>();
  return new Proxy(engine, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'as') {
        return () => {
          throw new EngineError('FORBIDDEN', 'A scoped engine cannot act as another actor.');
        };
      }
      if (
        typeof property === 'string' &&
        serviceNames.includes(property) &&
        value !== null &&
        typeof value === 'object'
      ) {
        if (!services.has(property))
          services.set(property, scopeService(actorView(value, actor), property, actor));
        return services.get(property);
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set() {
      return false;
    },
  });
}

/**
 * A service that records or filters by who calls it (the jobs service records who asked for a
 * job) implements `withActor`: the scoped engine then serves the actor's own view, and the
 * method checks of {@link methodActions} still apply to it.
 */
export interface ActorAware<S> {
  withActor(actor: Actor): S;
}

function actorView(service: object, actor: Actor): object {
  const aware = service as Partial<ActorAware<object>>;
  return typeof aware.withActor === 'function' ? aware.withActor(actor) : service;
}

function checkActor(actor: Actor): void {
  const valid =
    actor !== null &&
    typeof actor === 'object' &&
    typeof actor.username === 'string' &&
    (actor.userId === null || typeof actor.userId === 'string') &&
    Array.isArray(actor.roles) &&
    actor.roles.every((name) => typeof name === 'string');
  if (!valid) {
    throw new EngineError('VALIDATION_ERROR', 'an actor is { userId, username, roles: string[] }', {
      field: 'actor',
    });
  }
}
