import { createRoute, type z } from '@hono/zod-openapi';
import {
  type DeliveryRecord,
  deliveryStatuses,
  eventTypes,
  type WebhookInput,
  type WebhookRecord,
} from '@incident-insights/engine';
import { actorOf, currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import { createRouter } from '../router.ts';
import {
  DeliveryParams,
  DeliverySchema,
  WebhookBody,
  WebhookPatchBody,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks-schemas.ts';

const tags = ['webhooks'];
const base = '/webhooks/';
const adminOnly = requireAllowed('webhooks.manage');
type WebhookJson = z.infer<typeof WebhookSchema>;
type DeliveryJson = z.infer<typeof DeliverySchema>;
const serialize = (webhook: WebhookRecord) => toJson(webhook) as unknown as WebhookJson;
const serializeWithSecret = <T>(webhook: T) =>
  toJson(webhook) as unknown as z.infer<typeof WebhookWithSecretSchema>;
const serializeDelivery = (delivery: DeliveryRecord) => toJson(delivery) as unknown as DeliveryJson;
const webhookFilters = { is_active: q.boolean(), event_type: q.oneOf(eventTypes) };
const deliveryFilters = { status: q.oneOf(deliveryStatuses) };

/**
 * `/webhooks/`: subscriptions to the engine's events (admins only). List, create (201 with the
 * signing secret, shown this once), detail, replace, change (`is_active: true` re-enables one
 * disabled after failures), delete; rotate the secret (the new one shown once, the old one still
 * signing during its grace period); send a test event; the deliveries with their attempts (filter
 * `status`) and the manual retry of one, dead-lettered or not.
 */
export function webhookRoutes() {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      summary: 'List webhook subscriptions',
      middleware: [adminOnly],
      request: { query: listQuery(webhookFilters) },
      responses: {
        200: {
          description: 'A page of subscriptions',
          content: jsonContent(paginatedSchema(WebhookSchema, 'Webhook')),
        },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.webhooks.list(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serialize), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: base,
      tags,
      summary: 'Subscribe a URL to events; the answer holds the signing secret, shown only now',
      middleware: [adminOnly],
      request: { body: { required: true, content: jsonContent(WebhookBody) } },
      responses: {
        201: { description: 'Created, with its secret', content: jsonContent(WebhookWithSecretSchema) },
        ...errorResponses(400, 403),
      },
    }),
    async (c) => {
      // The server's local credential is the system actor, no stored user: nobody to record.
      const by = actorOf(currentPrincipal(c)).userId ?? null;
      // zod leaves an optional field out, never present as undefined.
      const input = c.req.valid('json') as WebhookInput;
      const created = await c.var.engine.webhooks.create(input, { by });
      return c.json(serializeWithSecret(created), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}{id}/`,
      tags,
      summary: 'A webhook subscription (never its secret)',
      middleware: [adminOnly],
      request: { params: IdParams },
      responses: {
        200: { description: 'The subscription', content: jsonContent(WebhookSchema) },
        ...errorResponses(403, 404),
      },
    }),
    async (c) => c.json(serialize(await c.var.engine.webhooks.get(c.req.valid('param').id)), 200),
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: `${base}{id}/`,
        tags,
        summary:
          method === 'put'
            ? 'Replace a webhook subscription'
            : 'Change fields of a webhook subscription (is_active true re-enables it)',
        middleware: [adminOnly],
        request: {
          params: IdParams,
          body: {
            required: true,
            content: jsonContent(method === 'put' ? WebhookBody : WebhookPatchBody),
          },
        },
        responses: {
          200: { description: 'The changed subscription', content: jsonContent(WebhookSchema) },
          ...errorResponses(400, 403, 404),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json') as WebhookInput;
        const webhooks = c.var.engine.webhooks;
        const changed = method === 'put' ? await webhooks.replace(id, body) : await webhooks.update(id, body);
        return c.json(serialize(changed), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${base}{id}/`,
      tags,
      summary: 'Delete a webhook subscription and its deliveries',
      middleware: [adminOnly],
      request: { params: IdParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.webhooks.remove(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}{id}/rotate-secret/`,
      tags,
      summary:
        'Rotate the signing secret: the new one is shown only now, the old one signs too for a grace period',
      middleware: [adminOnly],
      request: { params: IdParams },
      responses: {
        200: {
          description: 'The subscription with its new secret',
          content: jsonContent(WebhookWithSecretSchema),
        },
        ...errorResponses(403, 404),
      },
    }),
    async (c) =>
      c.json(serializeWithSecret(await c.var.engine.webhooks.rotateSecret(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}{id}/test/`,
      tags,
      summary: 'Send a WEBHOOK_TEST event now and answer with its delivery',
      middleware: [adminOnly],
      request: { params: IdParams },
      responses: {
        200: { description: 'The delivery, after its first attempt', content: jsonContent(DeliverySchema) },
        ...errorResponses(403, 404),
      },
    }),
    async (c) =>
      c.json(serializeDelivery(await c.var.engine.webhooks.sendTest(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}{id}/deliveries/`,
      tags,
      summary:
        'The deliveries of a subscription with their attempts (status, response code, duration, first bytes)',
      middleware: [adminOnly],
      request: { params: IdParams, query: listQuery(deliveryFilters) },
      responses: {
        200: {
          description: 'A page of deliveries',
          content: jsonContent(paginatedSchema(DeliverySchema, 'WebhookDelivery')),
        },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const page = await c.var.engine.webhooks.deliveries(id, toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, serializeDelivery), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}{id}/deliveries/{delivery_id}/retry/`,
      tags,
      summary: 'Try a delivery again now (a dead-lettered one included) and answer with it',
      middleware: [adminOnly],
      request: { params: DeliveryParams },
      responses: {
        200: { description: 'The delivery after the new attempt', content: jsonContent(DeliverySchema) },
        ...errorResponses(403, 404, 409),
      },
    }),
    async (c) => {
      const { id, delivery_id } = c.req.valid('param');
      return c.json(serializeDelivery(await c.var.engine.webhooks.retryDelivery(id, delivery_id)), 200);
    },
  );
  return app;
}
