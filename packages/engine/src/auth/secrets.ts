import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every API token, so leaked keys are recognisable by secret scanners. */
export const tokenKeyPrefix = 'ii_';

/** Length of the non-secret token prefix stored in clear to find a token's row (prefix + 8 chars). */
export const tokenLookupLength = tokenKeyPrefix.length + 8;

/** A new random secret: 32 bytes from the system CSPRNG, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, hex. Secrets are high-entropy, so an unsalted fast hash is enough. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
