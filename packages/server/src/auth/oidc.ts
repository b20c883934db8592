import { createHash } from 'node:crypto';
import { roles as knownRoles, type Role } from '@incident-insights/engine';
import { createRemoteJWKSet, decodeJwt, type JWTPayload, jwtVerify } from 'jose';
import type { Principal } from '../env.ts';
import { ApiError } from '../errors.ts';

/** One trusted OpenID Connect issuer. */
export interface OidcIssuer {
  /** Expected `iss` claim, exactly. */
  readonly issuer: string;
  /** Expected `aud` (one of). */
  readonly audience: string | readonly string[];
  /** The issuer's JWKS URL (keys are fetched and cached by `jose`). */
  readonly jwksUri: string;
  /** Claim holding the caller's roles; dots walk into objects (`realm_access.roles`). Default `roles`. */
  readonly rolesClaim?: string;
  /** Role of a caller whose claim names none of admin/analyst/viewer. Default `viewer`. */
  readonly defaultRole?: Role;
  /** Accepted signature algorithms. Default: RS256, ES256, PS256, EdDSA. */
  readonly algorithms?: readonly string[];
}

const rank: Readonly<Record<Role, number>> = { viewer: 1, analyst: 2, admin: 3 };

/** True when a bearer credential has the shape of a JWS compact serialisation. */
export function looksLikeJwt(credential: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential);
}

/** Verifies OIDC bearer tokens (signature against the issuer's JWKS, issuer, audience, expiry). */
export class OidcVerifier {
  private readonly issuers: Map<string, { config: OidcIssuer; jwks: ReturnType<typeof createRemoteJWKSet> }>;

  constructor(issuers: readonly OidcIssuer[]) {
    this.issuers = new Map(
      issuers.map((config) => [config.issuer, { config, jwks: createRemoteJWKSet(new URL(config.jwksUri)) }]),
    );
  }

  /**
   * Verifies a JWT and maps it to a principal: id is a UUID derived from issuer and subject,
   * username the `preferred_username` (else `email`, else `sub`), role the highest known role in
   * the roles claim.
   *
   * @throws ApiError 401 naming the reason (unknown issuer, bad signature, expired, wrong audience).
   */
  async verify(token: string, now: Date): Promise<Principal> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw unauthorized('Invalid token.', 'malformed');
    }
    const entry = issuer === undefined ? undefined : this.issuers.get(issuer);
    if (!entry) throw unauthorized('Token issuer is not trusted.', 'unknown_issuer');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, entry.jwks, {
        issuer: entry.config.issuer,
        audience: entry.config.audience as string | string[],
        algorithms: [...(entry.config.algorithms ?? ['RS256', 'ES256', 'PS256', 'EdDSA'])],
        currentDate: now,
      }));
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'invalid';
      const message =
        code === 'ERR_JWT_EXPIRED'
          ? 'Token has expired.'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
            ? `Token claim check failed: ${(error as Error).message}`
            : code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
              ? 'Token signature is invalid.'
              : 'Invalid token.';
      throw unauthorized(message, code);
    }
    if (!payload.sub) throw unauthorized('Token has no subject.', 'no_subject');
    const names = claimRoles(payload, entry.config.rolesClaim ?? 'roles');
    const role =
      names
        .filter((n): n is Role => (knownRoles as readonly string[]).includes(n))
        .sort((a, b) => rank[b] - rank[a])[0] ??
      entry.config.defaultRole ??
      'viewer';
    const username =
      stringClaim(payload, 'preferred_username') ?? stringClaim(payload, 'email') ?? payload.sub;
    return {
      id: subjectUuid(entry.config.issuer, payload.sub),
      username,
      role,
      roles: [...new Set([role, ...names])],
      method: 'oidc',
    };
  }
}

function unauthorized(message: string, reason: string): ApiError {
  return new ApiError(401, message, { details: { reason } });
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value ? value : undefined;
}

function claimRoles(payload: JWTPayload, path: string): string[] {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A name-based UUID (version 8 layout) from SHA-256 of issuer and subject: stable across logins. */
function subjectUuid(issuer: string, subject: string): string {
  const hex = createHash('sha256').update(`${issuer}\n${subject}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
