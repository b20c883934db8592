import type { Priority, Severity } from '../schema/enums.ts';

/** A problem kind the generator can write an incident about: where it belongs and how it reads. */
export interface SymptomTemplate {
  readonly category: string;
  readonly subcategory: string;
  /** Title with placeholders: `{service}`, `{host}`, `{n}` (a number), `{pct}`, `{dep}`, `{region}`. */
  readonly title: string;
  /** The symptom sentence of the description (same placeholders). */
  readonly symptom: string;
}

/** One synthetic service: its owners, its share of the incident volume and what goes wrong with it. */
export interface ServiceProfile {
  readonly name: string;
  /** Team that handles most of its incidents. */
  readonly team: string;
  /** Team that takes the rest (reassigned or shared ownership). */
  readonly otherTeam: string;
  /** Relative share of background arrivals (the shares of all services sum to 1). */
  readonly share: number;
  /**
   * Severity weights LOW, MEDIUM, HIGH, CRITICAL of its ordinary incidents. CRITICAL means the
   * service is down: a few a quarter, well under 1% of tickets; HIGH a few percent.
   */
  readonly severity: readonly [number, number, number, number];
  /** Indexes into {@link symptoms}. */
  readonly symptoms: readonly number[];
  /** Services it calls (used in titles). */
  readonly dependencies: readonly string[];
  /** Tags every incident of the service may carry. */
  readonly tags: readonly string[];
}

/** Problem templates shared by the services. */
export const symptoms: readonly SymptomTemplate[] = [
  {
    category: 'Application',
    subcategory: 'Error',
    title: '{service} returning HTTP 5xx errors',
    symptom: 'Error rate of {service} rose to {pct}% of requests.',
  },
  {
    category: 'Application',
    subcategory: 'Performance',
    title: 'High latency on {service} endpoints',
    symptom: 'p95 latency of {service} is {n} ms, above the SLO.',
  },
  {
    category: 'Application',
    subcategory: 'Bug',
    title: 'Unhandled exception in {service} after deploy',
    symptom: 'A new release of {service} throws on {n} requests a minute.',
  },
  {
    category: 'Infrastructure',
    subcategory: 'Server',
    title: 'High CPU usage on {host}',
    symptom: 'CPU on {host} stayed above {pct}% for 15 minutes.',
  },
  {
    category: 'Infrastructure',
    subcategory: 'Storage',
    title: 'Disk space low on {host}',
    symptom: 'Volume /data on {host} is {pct}% full.',
  },
  {
    category: 'Infrastructure',
    subcategory: 'Server',
    title: 'Pod crash loop in {service} deployment',
    symptom: '{n} pods of {service} restarted in the last hour.',
  },
  {
    category: 'Database',
    subcategory: 'Performance',
    title: 'Slow queries on {service} database',
    symptom: 'Queries on the {service} database take {n} ms on average.',
  },
  {
    category: 'Database',
    subcategory: 'Replication',
    title: 'Replication lag on {host}',
    symptom: 'Replica {host} is {n} seconds behind the primary.',
  },
  {
    category: 'Database',
    subcategory: 'Connectivity',
    title: 'Connection pool exhausted in {service}',
    symptom: '{service} cannot get a database connection; {n} requests waiting.',
  },
  {
    category: 'Network',
    subcategory: 'Latency',
    title: 'Packet loss between {region} and core',
    symptom: 'Packet loss of {pct}% on links from {region}.',
  },
  {
    category: 'Network',
    subcategory: 'DNS',
    title: 'DNS resolution failing for {service}',
    symptom: 'Lookups of {service} fail from {n} hosts.',
  },
  {
    category: 'Network',
    subcategory: 'Outage',
    title: 'Load balancer health checks failing for {service}',
    symptom: '{n} backends of {service} marked unhealthy.',
  },
  {
    category: 'Security',
    subcategory: 'Access',
    title: 'Login failures for {service} users',
    symptom: '{n} users cannot sign in to {service}.',
  },
  {
    category: 'Security',
    subcategory: 'Vulnerability',
    title: 'Expired TLS certificate on {host}',
    symptom: 'Clients reject the certificate of {host}.',
  },
  {
    category: 'Application',
    subcategory: 'Integration',
    title: 'Timeouts calling {dep} from {service}',
    symptom: 'Calls from {service} to {dep} time out after {n} ms.',
  },
  {
    category: 'Service Request',
    subcategory: 'Access',
    title: 'User cannot access {service}',
    symptom: 'A user reports no access to {service}.',
  },
];

/**
 * The twelve services. Shares sum to 1. Most tickets are LOW or MEDIUM; an outage (CRITICAL) is
 * rare: 0.15% to 0.6% of a service's tickets, so that with restores of about 45 minutes a service
 * is available 99.5% or more of the time, as real services are. Payments, checkout, auth and the
 * shared infrastructure are customer facing or critical path and carry the most HIGH/CRITICAL
 * incidents; the internal tools (email, reporting) mostly LOW ones.
 */
export const services: readonly ServiceProfile[] = [
  {
    name: 'api-gateway',
    team: 'platform',
    otherTeam: 'network-ops',
    share: 0.12,
    severity: [0.55, 0.39, 0.055, 0.005],
    symptoms: [0, 1, 3, 11, 14],
    dependencies: ['auth', 'search'],
    tags: ['customer-facing', 'edge'],
  },
  {
    name: 'payments',
    team: 'payments',
    otherTeam: 'dba',
    share: 0.1,
    severity: [0.5, 0.43, 0.064, 0.006],
    symptoms: [0, 1, 2, 8, 14],
    dependencies: ['payments-db', 'fraud-check'],
    tags: ['customer-facing', 'revenue'],
  },
  {
    name: 'checkout',
    team: 'payments',
    otherTeam: 'platform',
    share: 0.09,
    severity: [0.53, 0.41, 0.055, 0.005],
    symptoms: [0, 1, 2, 5, 14],
    dependencies: ['payments', 'inventory'],
    tags: ['customer-facing', 'revenue'],
  },
  {
    name: 'auth',
    team: 'identity',
    otherTeam: 'platform',
    share: 0.09,
    severity: [0.55, 0.39, 0.055, 0.005],
    symptoms: [0, 12, 13, 8, 1],
    dependencies: ['ldap', 'auth-db'],
    tags: ['customer-facing', 'security'],
  },
  {
    name: 'search',
    team: 'platform',
    otherTeam: 'data',
    share: 0.08,
    severity: [0.62, 0.34, 0.037, 0.003],
    symptoms: [1, 3, 4, 5, 6],
    dependencies: ['search-index'],
    tags: ['customer-facing'],
  },
  {
    name: 'notifications',
    team: 'mobile',
    otherTeam: 'platform',
    share: 0.07,
    severity: [0.66, 0.31, 0.028, 0.002],
    symptoms: [0, 5, 14, 2],
    dependencies: ['email-relay', 'push-service'],
    tags: ['async'],
  },
  {
    name: 'orders-db',
    team: 'dba',
    otherTeam: 'platform',
    share: 0.08,
    severity: [0.55, 0.39, 0.055, 0.005],
    symptoms: [6, 7, 8, 4, 3],
    dependencies: ['storage-array'],
    tags: ['database'],
  },
  {
    name: 'storage',
    team: 'infrastructure',
    otherTeam: 'dba',
    share: 0.07,
    severity: [0.6, 0.355, 0.041, 0.004],
    symptoms: [4, 3, 5],
    dependencies: ['san'],
    tags: ['infrastructure'],
  },
  {
    name: 'network',
    team: 'network-ops',
    otherTeam: 'infrastructure',
    share: 0.08,
    severity: [0.55, 0.39, 0.055, 0.005],
    symptoms: [9, 10, 11],
    dependencies: ['core-router', 'dns'],
    tags: ['infrastructure'],
  },
  {
    name: 'email',
    team: 'service-desk',
    otherTeam: 'infrastructure',
    share: 0.07,
    severity: [0.7, 0.275, 0.0235, 0.0015],
    symptoms: [0, 13, 15, 3],
    dependencies: ['smtp-relay'],
    tags: ['internal'],
  },
  {
    name: 'reporting',
    team: 'data',
    otherTeam: 'dba',
    share: 0.07,
    severity: [0.7, 0.275, 0.0235, 0.0015],
    symptoms: [1, 2, 6, 4],
    dependencies: ['warehouse'],
    tags: ['internal'],
  },
  {
    name: 'mobile-backend',
    team: 'mobile',
    otherTeam: 'platform',
    share: 0.08,
    severity: [0.58, 0.37, 0.046, 0.004],
    symptoms: [0, 1, 2, 5, 14],
    dependencies: ['api-gateway', 'notifications'],
    tags: ['customer-facing', 'mobile'],
  },
];

/** Teams and how fast they are: a multiplier on acknowledge and resolve times (1 = typical). */
export const teamSpeed: Readonly<Record<string, number>> = {
  platform: 0.8,
  payments: 0.7,
  identity: 0.9,
  data: 1.4,
  dba: 1.0,
  infrastructure: 1.1,
  'network-ops': 0.9,
  mobile: 1.2,
  'service-desk': 1.3,
};

/** Median time to acknowledge, seconds, per severity (LOW..CRITICAL), before the team multiplier. */
export const ackMedianSeconds: Readonly<Record<Severity, number>> = {
  LOW: 90 * 60,
  MEDIUM: 30 * 60,
  HIGH: 10 * 60,
  CRITICAL: 3 * 60,
};

/** σ of ln(acknowledge time). */
export const ackSigma = 0.8;

/**
 * Median working time from acknowledgement to resolution, seconds, per severity. An outage
 * (CRITICAL) gets everyone at once and is restored in under an hour as a rule.
 */
export const workMedianSeconds: Readonly<Record<Severity, number>> = {
  LOW: 36 * 3600,
  MEDIUM: 12 * 3600,
  HIGH: 4 * 3600,
  CRITICAL: 45 * 60,
};

/** σ of ln(working time). */
export const workSigma = 1.0;

/** Median time from resolution to closure, seconds. */
export const closeMedianSeconds = 20 * 3600;

/** Priority weights P1..P5 given the severity: CRITICAL is mostly P1/P2, LOW mostly P4/P5. */
export const priorityWeights: Readonly<Record<Severity, readonly number[]>> = {
  CRITICAL: [0.7, 0.25, 0.05, 0, 0],
  HIGH: [0.1, 0.6, 0.25, 0.05, 0],
  MEDIUM: [0, 0.1, 0.6, 0.25, 0.05],
  LOW: [0, 0, 0.15, 0.5, 0.35],
};

/** Probability that an incident is escalated at all, per severity (doubled for long ones). */
export const escalationChance: Readonly<Record<Severity, number>> = {
  LOW: 0.03,
  MEDIUM: 0.08,
  HIGH: 0.2,
  CRITICAL: 0.4,
};

/** Median affected users per severity (lognormal, σ 1.2). */
export const affectedUsersMedian: Readonly<Record<Severity, number>> = {
  LOW: 2,
  MEDIUM: 15,
  HIGH: 120,
  CRITICAL: 1500,
};

/** Priorities in order, for indexing {@link priorityWeights}. */
export const priorityOrder: readonly Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** Severities in order, for indexing severity weights. */
export const severityOrder: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** Where an incident was reported from; one of these is always a tag. */
export const sources = [
  'monitoring',
  'monitoring',
  'monitoring',
  'user-reported',
  'synthetic-check',
] as const;

/** Regions used in titles. */
export const regions = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south'] as const;
