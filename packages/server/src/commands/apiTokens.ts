import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../audit';
import { API_TOKEN_PREFIX, forgetApiTokens } from '../auth/apiTokens';
import { newToken, tokenHash } from '../auth/secrets';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { apiTokens } from '../db/schema';
import { errors } from '../errors';
import type { BrandAccess } from '../policies';
import { roleByName } from './members';

/** Creates an API token for the brand. The plain token is returned once and never stored. */
export async function createApiToken(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  secret: string,
  input: { name: string; role: string; expiresAt?: string | null },
) {
  const role = await roleByName(tx, access.brand.id, input.role);
  if (role.external)
    throw errors.field('role', `"${role.name}" is a role for external users and cannot be given to a token`);
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt <= ctx.now) throw errors.field('expiresAt', 'must be in the future');
  const token = newToken(API_TOKEN_PREFIX);
  const [row] = await tx
    .insert(apiTokens)
    .values({
      brandId: access.brand.id,
      name: input.name.trim(),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: tokenHash(secret, token),
      roleId: role.id,
      createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      createdAt: ctx.now,
      expiresAt,
    })
    .returning();
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'api_token',
    entityId: row!.id,
    action: 'create',
    after: { name: row!.name, prefix: row!.prefix, role: role.name, expiresAt },
  });
  return { row: row!, roleName: role.name, token };
}

export async function revokeApiToken(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  tokenId: string,
) {
  const inBrand = and(eq(apiTokens.id, tokenId), eq(apiTokens.brandId, access.brand.id));
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: ctx.now })
    .where(and(inBrand, isNull(apiTokens.revokedAt)))
    .returning();
  forgetApiTokens();
  if (!row) {
    // Revoking twice is harmless: the first revocation stands.
    const [existing] = await tx.select().from(apiTokens).where(inBrand).limit(1);
    if (!existing) throw errors.notFound('API token');
    return existing;
  }
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'api_token',
    entityId: tokenId,
    action: 'revoke',
    after: { revokedAt: ctx.now },
  });
  return row;
}
