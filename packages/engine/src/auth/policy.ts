import { EngineError } from '../errors.ts';
import type { Role } from '../schema/enums.ts';

/**
 * Who asks the engine for something: a person (a stored user, or an SSO caller the server has
 * verified) or the {@link systemActor} of batch work, the CLI and embedding code.
 */
export interface Actor {
  /** User id (UUID); `null` for the system actor. */
  readonly userId: string | null;
  readonly username: string;
  /**
   * Every role name held. The permission roles are `admin`, `analyst` and `viewer` (the highest one
   * listed counts); other names (`executive`, `manager`, ...) only open resources that list them,
   * such as a dashboard's `allowed_roles`.
   */
  readonly roles: readonly string[];
  /** True only for {@link systemActor}: trusted, allowed every action. */
  readonly system?: boolean;
}

/** The actor of batch work, the CLI and code embedding the engine: allowed every action. */
export const systemActor: Actor = Object.freeze({
  userId: null,
  username: 'system',
  roles: Object.freeze(['admin']),
  system: true,
});

/**
 * What an actor may be allowed to do. `resources.read`: read incidents, KPIs, analyses, anomalies;
 * `analyses.write`: create and change analyses (KPI metrics and measurements, recurrence analyses,
 * anomaly runs and their lifecycle, thresholds, maintenance windows); `incidents.write`: create and
 * change incidents; `incidents.delete`; `users.manage`: users and API tokens; `webhooks.manage`:
 * webhook subscriptions and their deliveries (admin only: they carry secrets and
 * reach out of the network).
 */
export const actions = [
  'resources.read',
  'analyses.write',
  'incidents.write',
  'incidents.delete',
  'users.manage',
  'webhooks.manage',
] as const;

/** One of {@link actions}. */
export type Action = (typeof actions)[number];

/** The rule: the lowest permission role allowed each action (viewer < analyst < admin). */
const minimumRole: Readonly<Record<Action, Role>> = {
  'resources.read': 'viewer',
  'analyses.write': 'analyst',
  'incidents.write': 'analyst',
  'incidents.delete': 'admin',
  'users.manage': 'admin',
  'webhooks.manage': 'admin',
};

const rank: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

/** The highest permission role among `actor.roles`, or `null` when it holds none. */
export function permissionRole(actor: Actor): Role | null {
  let best: Role | null = null;
  for (const name of actor.roles) {
    if (Object.hasOwn(rank, name) && (best === null || rank[name as Role] > rank[best])) best = name as Role;
  }
  return best;
}

/** Whether `actor` may perform `action`: the system actor always, others by their highest role. */
export function can(actor: Actor, action: Action): boolean {
  if (actor.system) return true;
  const role = permissionRole(actor);
  return role !== null && rank[role] >= rank[minimumRole[action]];
}

/**
 * Refuses an action `actor` may not perform; nothing has been read or changed when it throws.
 *
 * @throws EngineError FORBIDDEN with `details: { action, required_role, roles }`.
 */
export function assertAllowed(actor: Actor, action: Action): void {
  if (can(actor, action)) return;
  throw new EngineError('FORBIDDEN', 'You do not have permission to perform this action.', {
    action,
    required_role: minimumRole[action],
    roles: [...actor.roles],
  });
}

/**
 * Refuses any change to a system metric, whoever asks (the system actor included): the built-in
 * KPIs are defined by the engine.
 *
 * @throws EngineError FORBIDDEN.
 */
export function assertMetricChangeable(
  metric: { id: string; name: string; is_system_metric: boolean },
  verb: string,
): void {
  if (metric.is_system_metric) {
    throw new EngineError('FORBIDDEN', `system metric ${metric.name} cannot be ${verb}`, { id: metric.id });
  }
}

/** The visibility fields of a dashboard. */
export interface DashboardVisibility {
  readonly is_public: boolean;
  /** Role names that may see a non-public dashboard; empty or absent: its owner and admins only. */
  readonly allowed_roles?: readonly string[] | null | undefined;
  /** The owner's user id. */
  readonly created_by?: string | null | undefined;
}

/**
 * Whether `actor` may see a dashboard: when it is public, or the actor is the system, an admin, its
 * owner, or holds one of its `allowed_roles` (any role name, e.g. `executive`).
 */
export function canViewDashboard(actor: Actor, dashboard: DashboardVisibility): boolean {
  if (dashboard.is_public || actor.system || permissionRole(actor) === 'admin') return true;
  if (actor.userId !== null && dashboard.created_by === actor.userId) return true;
  const allowed = dashboard.allowed_roles ?? [];
  return actor.roles.some((name) => allowed.includes(name));
}
