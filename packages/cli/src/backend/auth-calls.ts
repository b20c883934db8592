import { type ApiToken, EngineError, type User } from '@incident-insights/engine';
import type { AsJson } from '../format.ts';
import type { Backend } from './backend.ts';

/**
 * The `users` and `tokens` commands' work on either backend: the engine's auth service alone, or
 * the server's `/api/auth/users/` and `/api/auth/tokens/` routes (as the system actor) beside a
 * server. Records come back as JSON either way would print them (dates print as ISO strings).
 */

/** A user as printed: the engine's record or the API's JSON of it. */
type UserRecord = User | AsJson<User>;
/** A token as printed: the engine's record or the API's JSON of it. */
type TokenRecord = ApiToken | AsJson<ApiToken>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every user, oldest first as the engine lists them. */
export async function listAllUsers(backend: Backend): Promise<UserRecord[]> {
  if (backend.kind === 'server') return backend.server.listAll<AsJson<User>>('/api/auth/users/');
  const all: User[] = [];
  for (let page = 1; ; page++) {
    const result = await backend.engine.auth.listUsers({ page, pageSize: 100 });
    all.push(...result.results);
    if (page * 100 >= result.count) return all;
  }
}

/** The user with this id or username. @throws EngineError NOT_FOUND, with the engine's message */
export async function findUser(backend: Backend, who: string): Promise<UserRecord> {
  if (backend.kind === 'engine') return backend.engine.auth.findUser(who);
  if (uuid.test(who)) return backend.server.request<AsJson<User>>('GET', `/api/auth/users/${who}/`);
  const matches = await backend.server.listAll<AsJson<User>>('/api/auth/users/', { search: who });
  const user = matches.find((u) => u.username === who);
  if (!user) throw notFound('user', who);
  return user;
}

/** Deactivates the user with this id or username and returns it as it was found. */
export async function deactivateUser(backend: Backend, who: string): Promise<UserRecord> {
  const user = await findUser(backend, who);
  if (backend.kind === 'engine') await backend.engine.auth.deactivateUser(user.id);
  else await backend.server.request('DELETE', `/api/auth/users/${user.id}/`);
  return user;
}

/** Every token, of one user when `userId` is given. */
export async function listAllTokens(backend: Backend, userId: string | undefined): Promise<TokenRecord[]> {
  if (backend.kind === 'server') {
    return backend.server.listAll<AsJson<ApiToken>>('/api/auth/tokens/', { user_id: userId });
  }
  const all: ApiToken[] = [];
  for (let page = 1; ; page++) {
    const result = await backend.engine.auth.listTokens({
      page,
      pageSize: 100,
      filters: { user_id: userId },
    });
    all.push(...result.results);
    if (page * 100 >= result.count) return all;
  }
}

/** A new token of `user` (id or username): the record and its key, shown once. */
export async function createToken(
  backend: Backend,
  input: { user: string; name: string | null; expiresInDays: number | undefined },
): Promise<{ token: TokenRecord; key: string }> {
  if (backend.kind === 'engine') return backend.engine.auth.createToken(input);
  const { key, ...token } = await backend.server.request<AsJson<ApiToken> & { key: string }>(
    'POST',
    '/api/auth/tokens/',
    { json: { user: input.user, name: input.name, expires_in_days: input.expiresInDays } },
  );
  return { token, key };
}

/**
 * Revokes the token with this id or prefix (6 characters at least, as listed); the same refusals as
 * the engine's: an unknown one is NOT_FOUND, a prefix of several tokens CONFLICT.
 */
export async function revokeToken(backend: Backend, which: string): Promise<TokenRecord> {
  if (backend.kind === 'engine') return backend.engine.auth.revokeToken(which);
  const all = await backend.server.listAll<AsJson<ApiToken>>('/api/auth/tokens/');
  const matches = uuid.test(which)
    ? all.filter((t) => t.id.toLowerCase() === which.toLowerCase())
    : all.filter((t) => which.length >= 6 && t.prefix.startsWith(which));
  if (matches.length > 1) {
    throw new EngineError('CONFLICT', `prefix ${which} matches ${matches.length} tokens; use the id`);
  }
  const token = matches[0];
  if (!token) throw notFound('token', which);
  await backend.server.request('DELETE', `/api/auth/tokens/${token.id}/`);
  return token;
}

/** The engine's NOT_FOUND error, worded as the engine words it. */
function notFound(what: string, id: string): EngineError {
  return new EngineError('NOT_FOUND', `${what} ${id} was not found`, { id });
}
