import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

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

/**
 * Secrets Casebook must be able to read back (a webhook's signing key) are stored sealed with
 * AES-256-GCM under a key derived from the deployment secret, so a copy of the database alone does
 * not reveal them. A stored value without the `v1:` prefix is one saved before sealing and is read
 * as it is.
 */
const SEALED_PREFIX = 'v1:';

function sealingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'casebook', 'casebook stored secrets v1', 32));
}

export function sealSecret(secret: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${sealed.toString('base64url')}`;
}

export function openSecret(secret: string, stored: string): string {
  if (!stored.startsWith(SEALED_PREFIX)) return stored;
  const [iv, tag, sealed] = stored.slice(SEALED_PREFIX.length).split('.');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(iv!, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag!, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed!, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}
