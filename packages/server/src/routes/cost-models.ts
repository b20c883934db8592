import { createRoute, z } from '@hono/zod-openapi';
import type {
  CostModelInput,
  CostSettingsInput,
  ServiceTierInput,
  SlaContractInput,
} from '@incident-insights/engine';
import { requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { errorResponses, IdParams, jsonContent } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import { CostConfigSchema } from './cost-analyses-schemas.ts';

const tags = ['cost-models'];
const ListSchema = z.object({ count: z.number().int(), results: z.array(CostConfigSchema) });
const list = <T>(items: T[]) => ({
  count: items.length,
  results: toJson(items) as unknown as Record<string, unknown>[],
});
const json = <T>(value: T) => toJson(value) as unknown as Record<string, unknown>;

/** The four configuration collections: path, what it holds, and its engine calls. */
type Collection = {
  readonly path: string;
  readonly what: string;
  readonly method: 'post' | 'put';
  readonly list: (c: { var: { engine: import('@incident-insights/engine').Engine } }) => Promise<unknown>;
  readonly write: (
    c: { var: { engine: import('@incident-insights/engine').Engine } },
    body: Record<string, unknown>,
  ) => Promise<unknown>;
};

const collections: readonly Collection[] = [
  {
    path: '/cost-models/service-tiers/',
    what: "services' tiers and business units (PUT sets one service's)",
    method: 'put',
    list: async (c) => list(await c.var.engine.costs.listServiceTiers()),
    write: async (c, body) =>
      json(await c.var.engine.costs.setServiceTier(body as unknown as ServiceTierInput)),
  },
  {
    path: '/cost-models/sla-contracts/',
    what: 'SLA contracts: availability target per period and penalty tiers',
    method: 'post',
    list: async (c) => list(await c.var.engine.costs.listContracts()),
    write: async (c, body) =>
      json(await c.var.engine.costs.createContract(body as unknown as SlaContractInput)),
  },
  {
    path: '/cost-models/',
    what: 'cost models per service tier and business unit; a new one ends the one in force at its start',
    method: 'post',
    list: async (c) => list(await c.var.engine.costs.listModels()),
    write: async (c, body) => json(await c.var.engine.costs.createModel(body as unknown as CostModelInput)),
  },
];

/**
 * `/cost-models/`: the configuration cost impact is computed from (a resource beyond the spec):
 * cost models per service tier and business unit with effective dates (a price change is a new
 * model, never an edit), services' tiers, SLA contracts, and the settings (reporting currency,
 * exchange rates, cost threshold). Anyone may read; analysts and admins may write.
 */
export function costModelRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cost-models/settings/',
      tags,
      summary: 'Reporting currency, exchange rates and the per-incident cost threshold',
      responses: { 200: { description: 'The settings', content: jsonContent(CostConfigSchema) } },
    }),
    async (c) => c.json(json(await c.var.engine.costs.getSettings()), 200),
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/cost-models/settings/',
      tags,
      summary: 'Replace the cost settings',
      middleware: [requireAllowed('analyses.write')],
      request: { body: { required: true, content: jsonContent(CostConfigSchema) } },
      responses: {
        200: { description: 'The settings', content: jsonContent(CostConfigSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) =>
      c.json(
        json(await c.var.engine.costs.updateSettings(c.req.valid('json') as unknown as CostSettingsInput)),
        200,
      ),
  );

  for (const collection of collections) {
    app.openapi(
      createRoute({
        method: 'get',
        path: collection.path,
        tags,
        summary: `List ${collection.what}`,
        responses: { 200: { description: 'All of them', content: jsonContent(ListSchema) } },
      }),
      async (c) => c.json((await collection.list(c)) as z.infer<typeof ListSchema>, 200),
    );
    app.openapi(
      createRoute({
        method: collection.method,
        path: collection.path,
        tags,
        summary: `Add to ${collection.what}`,
        middleware: [requireAllowed('analyses.write')],
        request: { body: { required: true, content: jsonContent(CostConfigSchema) } },
        responses: {
          [collection.method === 'post' ? 201 : 200]: {
            description: 'Stored',
            content: jsonContent(CostConfigSchema),
          },
          ...errorResponses(400, 403, 409),
        },
      }),
      async (c) => {
        const stored = (await collection.write(c, c.req.valid('json'))) as Record<string, unknown>;
        return c.json(stored, collection.method === 'post' ? 201 : 200) as never;
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'get',
      path: '/cost-models/{id}/',
      tags,
      summary: 'A cost model',
      request: { params: IdParams },
      responses: {
        200: { description: 'The model', content: jsonContent(CostConfigSchema) },
        ...errorResponses(404),
      },
    }),
    async (c) => c.json(json(await c.var.engine.costs.getModel(c.req.valid('param').id)), 200),
  );
  return app;
}
