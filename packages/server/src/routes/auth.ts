import { createRoute, z } from '@hono/zod-openapi';
import { type ApiToken, roles, type User } from '@incident-insights/engine';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrfCookie, sessionCookie } from '../auth/authenticate.ts';
import { currentPrincipal, requireAllowed } from '../auth/permissions.ts';
import { toJson } from '../json.ts';
import { paginated } from '../lists/paginate.ts';
import { listQuery, q, toListRequest } from '../lists/query.ts';
import { errorResponses, IdParams, jsonContent, paginatedSchema } from '../openapi/schemas.ts';
import type { AppOptions } from '../options.ts';
import { createRouter } from '../router.ts';

const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    email: z.string().nullable(),
    role: z.enum(roles),
    roles: z.array(z.string()).openapi({ description: 'role first, then extra role names (executive, ...)' }),
    is_active: z.boolean(),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('User');

const TokenSchema = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    username: z.string(),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: 'First characters of the key, to recognise it' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    expires_at: z.string().nullable().openapi({ format: 'date-time' }),
    revoked_at: z.string().nullable().openapi({ format: 'date-time' }),
    last_used_at: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ApiToken');

const Login = z
  .strictObject({ username: z.string().min(1).max(150), password: z.string().min(1).max(1024) })
  .openapi('Login');
const LoginResult = z
  .object({
    user: UserSchema,
    csrf_token: z.string(),
    expires_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('LoginResult');
const Me = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(roles),
    roles: z.array(z.string()),
    method: z.enum(['token', 'session', 'oidc', 'local']),
  })
  .openapi('Me');
const NewUser = z
  .strictObject({
    username: z.string().min(1).max(150),
    password: z.string().min(8).max(1024).optional(),
    email: z.email().nullable().optional(),
    role: z.enum(roles),
    roles: z
      .array(z.string().min(1).max(64))
      .max(32)
      .optional()
      .openapi({ description: 'Extra role names beside role, e.g. ["executive"]' }),
  })
  .openapi('NewUser');
const UserPatch = z
  .strictObject({
    email: z.email().nullable().optional(),
    role: z.enum(roles).optional(),
    roles: z
      .array(z.string().min(1).max(64))
      .max(32)
      .optional()
      .openapi({ description: 'Replaces the extra role names, e.g. ["executive"]' }),
    password: z.string().min(8).max(1024).optional(),
    is_active: z.boolean().optional(),
  })
  .openapi('UserPatch');
const NewToken = z
  .strictObject({
    user: z.string().min(1).openapi({ description: 'Owner: user id or username' }),
    name: z.string().max(200).nullable().optional(),
    expires_in_days: z
      .number({ error: 'must be a number of days, more than 0 and at most 36500' })
      .positive({ error: 'must be more than 0 and at most 36500' })
      .max(36_500, { error: 'must be more than 0 and at most 36500' })
      .optional(),
  })
  .openapi('NewToken');
const CreatedToken = TokenSchema.extend({
  key: z.string().openapi({ description: 'The token itself. Shown once; only its hash is stored.' }),
}).openapi('CreatedToken');

const admin = requireAllowed('users.manage');
const userFilters = { role: q.oneOf(roles), is_active: q.boolean() };
const tokenFilters = { user_id: q.uuid() };

/** Login, logout, the caller's identity, and (admins only) users and API tokens. */
export function authRoutes(options: AppOptions) {
  const app = createRouter();
  const secure = options.secureCookies ?? false;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/login/',
      tags: ['auth'],
      summary: 'Log in with username and password; sets the session cookie',
      description:
        'Sets the HttpOnly, SameSite=Lax session cookie. Unsafe requests made with the session must send ' +
        'the returned `csrf_token` in the `X-CSRF-Token` header (it is also in the `insights_csrf` cookie).',
      security: [],
      request: { body: { required: true, content: jsonContent(Login) } },
      responses: {
        200: { description: 'Logged in', content: jsonContent(LoginResult) },
        ...errorResponses(400),
      },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const result = await c.var.engine.auth.login(username, password, options.sessionTtlSeconds);
      // Max-Age, not Expires: the browser counts the session's length on its own clock, so a
      // server whose clock differs from the client's still hands out a cookie that lives as long.
      const maxAge = Math.max(
        1,
        Math.round((result.expiresAt.getTime() - c.var.engine.now().getTime()) / 1000),
      );
      const cookie = { path: '/', secure, sameSite: 'Lax', maxAge } as const;
      setCookie(c, sessionCookie, result.sessionKey, { ...cookie, httpOnly: true });
      setCookie(c, csrfCookie, result.csrfToken, cookie);
      return c.json(
        toJson({
          user: userBody(result.user),
          csrf_token: result.csrfToken,
          expires_at: result.expiresAt.toISOString(),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/logout/',
      tags: ['auth'],
      summary: 'End the session (with a session: send X-CSRF-Token)',
      responses: { 204: { description: 'Logged out' }, ...errorResponses(403) },
    }),
    async (c) => {
      const key = getCookie(c, sessionCookie);
      if (key) await c.var.engine.auth.logout(key);
      deleteCookie(c, sessionCookie, { path: '/' });
      deleteCookie(c, csrfCookie, { path: '/' });
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/',
      tags: ['auth'],
      summary: 'Who the caller is',
      responses: { 200: { description: 'The caller', content: jsonContent(Me) }, ...errorResponses() },
    }),
    (c) => c.json({ ...currentPrincipal(c), roles: [...currentPrincipal(c).roles] }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/',
      tags: ['auth'],
      summary: 'List users (admin)',
      middleware: admin,
      request: { query: listQuery(userFilters) },
      responses: {
        200: { description: 'A page of users', content: jsonContent(paginatedSchema(UserSchema, 'User')) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.auth.listUsers(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, userBody), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/',
      tags: ['auth'],
      summary: 'Create a user (admin)',
      middleware: admin,
      request: { body: { required: true, content: jsonContent(NewUser) } },
      responses: {
        201: { description: 'Created', content: jsonContent(UserSchema) },
        ...errorResponses(400, 403, 409),
      },
    }),
    async (c) => c.json(userBody(await c.var.engine.auth.createUser(c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/{id}/',
      tags: ['auth'],
      summary: 'One user (admin)',
      middleware: admin,
      request: { params: IdParams },
      responses: {
        200: { description: 'The user', content: jsonContent(UserSchema) },
        ...errorResponses(403, 404),
      },
    }),
    async (c) => c.json(userBody(await c.var.engine.auth.getUser(c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/users/{id}/',
      tags: ['auth'],
      summary: 'Change a user (admin); is_active=false also revokes tokens and sessions',
      middleware: admin,
      request: { params: IdParams, body: { required: true, content: jsonContent(UserPatch) } },
      responses: {
        200: { description: 'The user', content: jsonContent(UserSchema) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const user = await c.var.engine.auth.updateUser(c.req.valid('param').id, c.req.valid('json'));
      return c.json(userBody(user), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/users/{id}/',
      tags: ['auth'],
      summary: 'Deactivate a user (admin): kept for the record, tokens revoked, sessions ended',
      middleware: admin,
      request: { params: IdParams },
      responses: { 204: { description: 'Deactivated' }, ...errorResponses(403, 404) },
    }),
    async (c) => {
      await c.var.engine.auth.deactivateUser(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/tokens/',
      tags: ['auth'],
      summary: 'List API tokens (admin; never their keys)',
      middleware: admin,
      request: { query: listQuery(tokenFilters) },
      responses: {
        200: {
          description: 'A page of tokens',
          content: jsonContent(paginatedSchema(TokenSchema, 'ApiToken')),
        },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const page = await c.var.engine.auth.listTokens(toListRequest(c.req.valid('query')));
      return c.json(paginated(c, page, tokenBody), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/tokens/',
      tags: ['auth'],
      summary: 'Create an API token (admin); the key is in this response only',
      middleware: admin,
      request: { body: { required: true, content: jsonContent(NewToken) } },
      responses: {
        201: { description: 'Created', content: jsonContent(CreatedToken) },
        ...errorResponses(400, 403, 404),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const created = await c.var.engine.auth.createToken({
        user: body.user,
        name: body.name,
        expiresInDays: body.expires_in_days,
      });
      return c.json({ ...tokenBody(created.token), key: created.key }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{id}/',
      tags: ['auth'],
      summary: 'Revoke an API token (admin); one already revoked is a 409 saying so',
      middleware: admin,
      request: { params: IdParams },
      responses: { 204: { description: 'Revoked' }, ...errorResponses(403, 404, 409) },
    }),
    async (c) => {
      await c.var.engine.auth.revokeToken(c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  return app;
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function userBody(user: User) {
  return {
    ...user,
    roles: [...user.roles],
    created_at: user.created_at.toISOString(),
    updated_at: user.updated_at.toISOString(),
  };
}

function tokenBody(token: ApiToken) {
  return {
    ...token,
    created_at: token.created_at.toISOString(),
    expires_at: iso(token.expires_at),
    revoked_at: iso(token.revoked_at),
    last_used_at: iso(token.last_used_at),
  };
}
