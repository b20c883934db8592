import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context.ts';
import { EngineError, notFound } from '../errors.ts';
import { toUser, userColumns } from './auth-rules.ts';
import { verifyPassword } from './passwords.ts';
import { digestsEqual, randomSecret, sha256 } from './secrets.ts';
import type { LoginResult, SessionAuth, User } from './types.ts';

async function getUser(context: EngineContext, id: string): Promise<User> {
  const row = await context.db.one(`SELECT ${userColumns} FROM users WHERE id = $id::UUID`, { id });
  if (!row) throw notFound('user', id);
  return toUser(row);
}

/** See {@link AuthService.login}. */
export async function login(
  context: EngineContext,
  username: string,
  password: string,
  ttlSeconds: number,
): Promise<LoginResult> {
  const row = await context.db.one<{ id: string; password_hash: string | null; is_active: boolean }>(
    'SELECT id::VARCHAR AS id, password_hash, is_active FROM users WHERE username = $username',
    { username },
  );
  const ok = await verifyPassword(password, row?.password_hash);
  if (!row || !ok || !row.is_active) {
    throw new EngineError('UNAUTHENTICATED', 'Unable to log in with provided credentials.', {
      reason: 'invalid_credentials',
    });
  }
  const sessionKey = randomSecret();
  const csrfToken = randomSecret();
  const now = context.now();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await context.db.run('INSERT INTO sessions VALUES ($id, $user, $session, $csrf, $now, $expires)', {
    id: randomUUID(),
    user: row.id,
    session: sha256(sessionKey),
    csrf: sha256(csrfToken),
    now,
    expires: expiresAt,
  });
  return { user: await getUser(context, row.id), sessionKey, csrfToken, expiresAt };
}

/** See {@link AuthService.authenticateSession}. */
export async function authenticateSession(
  context: EngineContext,
  sessionKey: string,
  csrfToken: string | null | undefined,
): Promise<SessionAuth> {
  const row = await context.db.one<{
    id: string;
    user_id: string;
    csrf_hash: string;
    expires_at: Date;
  }>(
    `SELECT id::VARCHAR AS id, user_id::VARCHAR AS user_id, csrf_hash, expires_at
     FROM sessions WHERE session_hash = $hash`,
    { hash: sha256(sessionKey) },
  );
  if (!row || row.expires_at.getTime() <= context.now().getTime()) {
    throw new EngineError('UNAUTHENTICATED', 'Session expired or invalid; log in again.', {
      reason: row ? 'expired' : 'invalid',
    });
  }
  const user = await getUser(context, row.user_id);
  if (!user.is_active) {
    throw new EngineError('UNAUTHENTICATED', 'User inactive or deleted.', { reason: 'inactive' });
  }
  const csrfValid = typeof csrfToken === 'string' && digestsEqual(row.csrf_hash, sha256(csrfToken));
  return { user, sessionId: row.id, expiresAt: row.expires_at, csrfValid };
}

/** See {@link AuthService.logout}. */
export async function logout(context: EngineContext, sessionKey: string): Promise<void> {
  await context.db.run('DELETE FROM sessions WHERE session_hash = $hash', {
    hash: sha256(sessionKey),
  });
}
