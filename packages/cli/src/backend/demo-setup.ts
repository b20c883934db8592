import type { Engine } from '@incident-insights/engine';
import type { Backend } from './backend.ts';

/**
 * What `insights demo` configures beside its incidents, so that a first start shows every analysis
 * with something in it: a cost model for every service (USD, a downtime, revenue, responder,
 * reputation and compliance price), an SLA contract on the payments service, three predictive
 * models (tomorrow's incidents, a new incident's severity, its escalation), the spec's own
 * executive dashboard and an operations overview holding every widget type (the web page's first
 * view). The schedules of `insights serve` then calculate costs, train the models,
 * produce insights and fill the dashboard. An item already there (same name) is left alone, so a
 * second `insights demo` adds nothing.
 */
interface DemoItem {
  /** What the summary calls it. */
  readonly what: string;
  /** Whether it is there already. */
  readonly exists: (calls: Calls) => Promise<boolean>;
  /** Creates it through the engine or, beside a server, through the API. */
  readonly create: (calls: Calls) => Promise<unknown>;
}

/** The two ways to configure: the engine itself, or the API of the server holding the database. */
interface Calls {
  readonly engine: Engine | null;
  readonly api: <T>(method: string, path: string, body?: unknown) => Promise<T>;
}

const since = '2000-01-01T00:00:00Z';

/** The demo's cost model: every service's standard tier, in USD. */
export const demoCostModel = {
  name: 'Demo standard tier',
  service_tier: 'standard',
  business_unit: 'digital',
  currency: 'USD',
  effective_from: since,
  downtime_cost_per_hour: '1200.00',
  revenue_per_hour: '8000.00',
  lost_revenue_share: { LOW: '0.01', MEDIUM: '0.05', HIGH: '0.20', CRITICAL: '0.60' },
  responder_hourly_rate: '85.00',
  responders: 2,
  reputation_cost_per_user: '0.40',
  compliance_cost_per_incident: '1500.00',
  compliance_tags: ['pci'],
  compliance_categories: ['security'],
};

/** The demo's SLA contract: the payments service's monthly availability, with two penalty tiers. */
export const demoContract = {
  name: 'Demo payments availability',
  service: 'payments',
  period: 'MONTH' as const,
  availability_target: 99.9,
  penalty_tiers: [
    { below: 99.9, amount: '2500.00' },
    { below: 99.5, amount: '10000.00' },
  ],
  currency: 'USD',
  effective_from: since,
};

const models = [
  {
    name: 'Demo incident forecast',
    description: 'Incidents per day over the next week, with a 95% interval',
    model_type: 'INCIDENT_PREDICTION',
    algorithm_type: 'PROPHET',
    model_config: { granularity: 'day' },
    auto_retrain_enabled: true,
    retrain_frequency_days: 7,
  },
  {
    name: 'Demo severity predictor',
    description: "A new incident's severity from what is known when it is opened",
    model_type: 'SEVERITY_PREDICTION',
    algorithm_type: 'RANDOM_FOREST',
    model_config: { n_estimators: 50, max_depth: 8 },
    auto_retrain_enabled: true,
    retrain_frequency_days: 7,
  },
  {
    name: 'Demo escalation predictor',
    description: 'The probability that a new incident escalates',
    model_type: 'ESCALATION_PREDICTION',
    algorithm_type: 'XGBOOST',
    model_config: { n_estimators: 50, max_depth: 4 },
    auto_retrain_enabled: true,
    retrain_frequency_days: 7,
  },
] as const;

/** The spec's own example dashboard body, unchanged. */
export const executiveDashboard = {
  name: 'Executive Dashboard',
  description: 'High-level metrics for executives',
  dashboard_type: 'EXECUTIVE',
  layout_config: { rows: 2, columns: 3 },
  widget_configs: [
    { type: 'kpi_summary', position: { row: 0, column: 0 }, size: { width: 2, height: 1 } },
    { type: 'anomaly_summary', position: { row: 0, column: 2 }, size: { width: 1, height: 1 } },
  ],
  is_public: false,
  allowed_roles: ['executive', 'manager'],
  auto_refresh_enabled: true,
  refresh_interval_seconds: 300,
};

/** Every widget type on one page, open to every signed-in user: what the web page opens first. */
const overview = {
  name: 'Operations Overview',
  description: 'Every analysis at a glance: KPIs, anomalies, forecasts, costs and when incidents happen',
  dashboard_type: 'OPERATIONAL',
  layout_config: { rows: 5, columns: 4 },
  widget_configs: [
    { type: 'kpi_summary', title: 'KPIs', position: { row: 0, column: 0 }, size: { width: 4, height: 1 } },
    { type: 'kpi_trend', title: 'KPI trend', position: { row: 1, column: 0 }, size: { width: 2, height: 1 } },
    {
      type: 'forecast',
      title: 'Incident forecast',
      position: { row: 1, column: 2 },
      size: { width: 2, height: 1 },
    },
    {
      type: 'recent_anomalies',
      title: 'Recent anomalies',
      position: { row: 2, column: 0 },
      size: { width: 2, height: 1 },
    },
    {
      type: 'heatmap',
      title: 'Incidents by weekday and hour',
      position: { row: 2, column: 2 },
      size: { width: 2, height: 1 },
      options: { heatmap_type: 'INCIDENT_FREQUENCY', time_granularity: 'HOURLY' },
    },
    {
      type: 'anomaly_summary',
      title: 'Anomalies',
      position: { row: 3, column: 0 },
      size: { width: 1, height: 1 },
    },
    {
      type: 'insight_summary',
      title: 'Insights',
      position: { row: 3, column: 1 },
      size: { width: 1, height: 1 },
    },
    { type: 'cost_summary', title: 'Cost', position: { row: 3, column: 2 }, size: { width: 2, height: 1 } },
    {
      type: 'cost_breakdown',
      title: 'Cost by type',
      position: { row: 4, column: 0 },
      size: { width: 2, height: 1 },
    },
    {
      type: 'recent_insights',
      title: 'Recent insights',
      position: { row: 4, column: 2 },
      size: { width: 2, height: 1 },
    },
  ],
  is_public: true,
  allowed_roles: [],
  auto_refresh_enabled: true,
  refresh_interval_seconds: 60,
};

/** Every service in the demo's standard tier, which {@link demoCostModel} prices. */
export const demoServiceTier = { service: '*', service_tier: 'standard', business_unit: 'digital' };

const named = (items: readonly { name?: unknown }[], name: string) => items.some((i) => i.name === name);
const results = <T>(page: { results: T[] }) => page.results;

const items: readonly DemoItem[] = [
  {
    what: 'cost model',
    exists: async ({ engine, api }) =>
      named(
        engine ? await engine.costs.listModels() : results(await api('GET', '/api/analytics/cost-models/')),
        demoCostModel.name,
      ),
    create: async ({ engine, api }) => {
      if (engine) {
        await engine.costs.setServiceTier(demoServiceTier);
        return engine.costs.createModel(demoCostModel);
      }
      await api('PUT', '/api/analytics/cost-models/service-tiers/', demoServiceTier);
      return api('POST', '/api/analytics/cost-models/', demoCostModel);
    },
  },
  {
    what: 'SLA contract',
    exists: async ({ engine, api }) =>
      named(
        engine
          ? await engine.costs.listContracts()
          : results(await api('GET', '/api/analytics/cost-models/sla-contracts/')),
        demoContract.name,
      ),
    create: ({ engine, api }) =>
      engine
        ? engine.costs.createContract(demoContract)
        : api('POST', '/api/analytics/cost-models/sla-contracts/', demoContract),
  },
  ...models.map(
    (model): DemoItem => ({
      what: 'predictive model',
      exists: async ({ engine, api }) =>
        named(
          engine
            ? results(await engine.models.list({ pageSize: 100 }))
            : results(await api('GET', '/api/analytics/predictive-models/?page_size=100')),
          model.name,
        ),
      create: ({ engine, api }) =>
        engine ? engine.models.create({ ...model }) : api('POST', '/api/analytics/predictive-models/', model),
    }),
  ),
  ...(
    [
      [executiveDashboard, 'executive dashboard'],
      [overview, 'operations overview dashboard'],
    ] as const
  ).map(
    ([board, what]): DemoItem => ({
      what,
      exists: async ({ engine, api }) =>
        named(
          engine
            ? results(await engine.dashboards.list({ pageSize: 100 }))
            : results(await api('GET', '/api/analytics/dashboard-configurations/?page_size=100')),
          board.name,
        ),
      create: ({ engine, api }) =>
        engine
          ? engine.dashboards.create(board)
          : api('POST', '/api/analytics/dashboard-configurations/', board),
    }),
  ),
];

/** Configures what is missing of the demo's cost model, contract, models and dashboard; returns what it created. */
export async function configureDemo(backend: Backend): Promise<string[]> {
  const calls: Calls =
    backend.kind === 'engine'
      ? {
          engine: backend.engine,
          api: () => Promise.reject(new Error('no server')),
        }
      : {
          engine: null,
          api: (method, path, body) =>
            backend.server.request(method, path, body === undefined ? {} : { json: body }),
        };
  const created: string[] = [];
  for (const item of items) {
    if (await item.exists(calls)) continue;
    await item.create(calls);
    created.push(item.what);
  }
  return created;
}
