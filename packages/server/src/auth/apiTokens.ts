import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { TokenActor } from '../context';
import type { Queryable } from '../db/client';
import { apiTokens } from '../db/schema';
import { tokenHash } from './secrets';

export const API_TOKEN_PREFIX = 'cbk_';

/** The integration behind a bearer token, or null when it is unknown, revoked or expired. */
export async function resolveApiToken(
  db: Queryable,
  secret: string,
  token: string,
  now: Date,
): Promise<TokenActor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({
      id: apiTokens.id,
      brandId: apiTokens.brandId,
      roleId: apiTokens.roleId,
      name: apiTokens.name,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.tokenHash, tokenHash(secret, token)),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
      ),
    )
    .limit(1);
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { kind: 'api_token', tokenId: row.id, brandId: row.brandId, roleId: row.roleId, name: row.name };
}
