import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { TokenActor } from '../context';
import type { Queryable } from '../db/client';
import { prepared } from '../db/prepared';
import { apiTokens, brands, roles } from '../db/schema';
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
  const [row] = await prepared(db, 'api_token_by_hash', () =>
    db
      .select({
        id: apiTokens.id,
        brandId: apiTokens.brandId,
        roleId: apiTokens.roleId,
        name: apiTokens.name,
        lastUsedAt: apiTokens.lastUsedAt,
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
  ).execute({ hash: tokenHash(secret, token), now });
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return {
    kind: 'api_token',
    tokenId: row.id,
    brandId: row.brandId,
    roleId: row.roleId,
    name: row.name,
    grant: { brand: row.brand, role: row.role },
  };
}
