import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random token, URL-safe, with an optional readable prefix (`cbk_` for API tokens). */
export function newToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/**
 * The keyed hash under which a session or API token is stored. Keyed by the deployment secret, so
 * a copy of the database alone does not let anyone forge or test tokens.
 */
export function tokenHash(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
