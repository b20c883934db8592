import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';
import { detailsObject } from '../src/errors.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s.close();
  await s.engine.close();
});

describe('the error body in OpenAPI', () => {
  it('documents details as an object or null, and the refusals of unknown and repeated names', async () => {
    const doc = (await (await s.fetch('/api/openapi.json')).json()) as {
      components: { schemas: { Error: { properties: { details: Record<string, unknown> } } } };
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const details = doc.components.schemas.Error.properties.details;
    expect(details['type']).toEqual(['object', 'null']);
    expect(details['description']).toMatch(/^An object or null/);
    const bad = doc.paths['/api/incidents/']?.['get']?.responses['400']?.description;
    expect(bad).toContain('Unknown body fields and query parameters are refused by name');
    expect(bad).toContain('a query parameter given more than once');
  });

  it('makes every details value an object or null', () => {
    expect(detailsObject(undefined)).toBeNull();
    expect(detailsObject(null)).toBeNull();
    expect(detailsObject({ field: 'x' })).toEqual({ field: 'x' });
    expect(detailsObject([{ row: 1 }])).toEqual({ errors: [{ row: 1 }] });
    expect(detailsObject('too long')).toEqual({ detail: 'too long' });
  });

  it('has null details where there is nothing to add', async () => {
    const res = await s.fetch('/api/incidents/');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { details: unknown }).details).toBeNull();
  });
});

describe('revoking a token twice', () => {
  it('is a 409 saying the token is already revoked, through the API as through the engine', async () => {
    const created = await s.engine.auth.createToken({ user: 'viewer', name: 'twice' });
    const path = `/api/auth/tokens/${created.token.id}/`;
    expect((await s.fetch(path, { method: 'DELETE', as: 'admin' })).status).toBe(204);
    const again = await s.fetch(path, { method: 'DELETE', as: 'admin' });
    expect(again.status).toBe(409);
    const body = (await again.json()) as { error: string; code: string; details: { id: string } };
    expect(body.code).toBe('CONFLICT');
    expect(body.error).toMatch(
      new RegExp(`^token ${created.token.prefix} is already revoked \\(since .+Z\\)$`),
    );
    expect(body.details.id).toBe(created.token.id);
  });
});
