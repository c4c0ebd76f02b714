import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { TokenActor } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { apiTokens, brands, roles } from '../db/schema';
import { tokenHash } from './secrets';

export const API_TOKEN_PREFIX = 'cbk_';

/** The channel a database trigger notifies when API tokens, roles or brands change (migration 0009). */
export const AUTH_CHANGES_CHANNEL = 'casebook_auth';

/**
 * Tokens resolved in the last few seconds, so an integration's stream of requests reads its token
 * once rather than on every request. Any change to API tokens, roles or brands empties it: in this
 * process at once (the commands that make such changes call `forgetApiTokens`), in every other app
 * instance through the `casebook_auth` notification the database sends on commit; and an entry
 * lives at most TOKEN_CACHE_MS whatever happens.
 */
const TOKEN_CACHE_MS = 10_000;
const TOKEN_CACHE_MAX = 1000;
type CachedToken = { actor: TokenActor; expiresAt: Date | null; lastUsedAt: Date | null; until: number };
const resolved = new Map<string, CachedToken>();

/** Empties the token cache; the next request of each integration reads its token again. */
export function forgetApiTokens(): void {
  resolved.clear();
}

/** The integration behind a bearer token, or null when it is unknown, revoked or expired. */
export async function resolveApiToken(
  db: Queryable,
  secret: string,
  token: string,
  now: Date,
): Promise<TokenActor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const hash = tokenHash(secret, token);
  const cached = resolved.get(hash);
  if (cached && cached.until > now.getTime() && (!cached.expiresAt || cached.expiresAt > now)) {
    await noteUse(db, cached, now);
    return cached.actor;
  }
  resolved.delete(hash);
  const [row] = await prepared(db, 'api_token_by_hash', () =>
    db
      .select({
        id: apiTokens.id,
        brandId: apiTokens.brandId,
        roleId: apiTokens.roleId,
        name: apiTokens.name,
        lastUsedAt: apiTokens.lastUsedAt,
        expiresAt: apiTokens.expiresAt,
        brand: brands,
        role: roles,
      })
      .from(apiTokens)
      .innerJoin(brands, eq(brands.id, apiTokens.brandId))
      .innerJoin(roles, eq(roles.id, apiTokens.roleId))
      .where(
        and(
          eq(apiTokens.tokenHash, sql.placeholder('hash')),
          isNull(apiTokens.revokedAt),
          or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql.placeholder('now'))),
        ),
      )
      .limit(1),
  ).execute({ hash, now });
  if (!row) return null;
  const entry: CachedToken = {
    actor: {
      kind: 'api_token',
      tokenId: row.id,
      brandId: row.brandId,
      roleId: row.roleId,
      name: row.name,
      grant: { brand: row.brand, role: row.role },
    },
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    until: now.getTime() + TOKEN_CACHE_MS,
  };
  if (resolved.size >= TOKEN_CACHE_MAX) resolved.delete(resolved.keys().next().value!);
  resolved.set(hash, entry);
  await noteUse(db, entry, now);
  return entry.actor;
}

/** Records when the token was last used, to the minute. */
async function noteUse(db: Queryable, entry: CachedToken, now: Date): Promise<void> {
  if (entry.lastUsedAt && now.getTime() - entry.lastUsedAt.getTime() <= 60_000) return;
  entry.lastUsedAt = now;
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, entry.actor.tokenId));
}
