import { approvalCapabilities, type Pack } from '@casebook/core';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { couponCodes } from '../db/schema';
import { errors } from '../errors';
import { postNotification } from '../notifications/post';
import type { BrandAccess } from '../policies';
import { roleOf } from './service';

/** The approval type that holds the coupon pool rules (`pool:` in approvals.yaml). */
export function poolType(pack: Pack) {
  const entry = Object.entries(pack.manifest.approvals).find(([, def]) => def.pool);
  if (!entry) throw errors.notFound('coupon pool');
  return { name: entry[0], def: entry[1], pool: entry[1].pool! };
}

/** Who may add codes: the deciders of the pool's approval type, or a role with its decide capability. */
export function mayAddCodes(pack: Pack, access: BrandAccess): boolean {
  const { name, def } = poolType(pack);
  const capability = approvalCapabilities(name, def).decide;
  return (
    def.decide.includes(roleOf(access)) || (capability !== null && access.role.capabilities.has(capability))
  );
}

export async function poolCounts(db: Queryable, brandId: string) {
  return db
    .select({
      pool: couponCodes.pool,
      free: sql<number>`count(*) filter (where ${couponCodes.usedAt} is null)::int`,
      used: sql<number>`count(*) filter (where ${couponCodes.usedAt} is not null)::int`,
    })
    .from(couponCodes)
    .where(eq(couponCodes.brandId, brandId))
    .groupBy(couponCodes.pool)
    .orderBy(couponCodes.pool);
}

/** Adds codes to a pool (leads); codes already in the pool are skipped and counted. */
export async function addCodes(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  pool: string,
  codes: string[],
): Promise<{ added: number; skipped: number }> {
  const { def } = poolType(pack);
  if (!mayAddCodes(pack, access)) {
    throw errors.forbidden(
      `Your role (${access.role.title}) may not add coupon codes; ${def.decide.join(', ')} may.`,
    );
  }
  const unique = [...new Set(codes.map((c) => c.trim()).filter(Boolean))];
  if (!unique.length) throw errors.field('codes', 'must hold at least one code');
  const rows = await tx
    .insert(couponCodes)
    .values(
      unique.map((code) => ({
        brandId: access.brand.id,
        pool,
        code,
        addedBy: actorLabel(ctx.actor),
        createdAt: ctx.now,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: couponCodes.id });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'coupon_pool',
    entityId: pool,
    action: 'add_codes',
    after: { added: rows.length },
  });
  return { added: rows.length, skipped: unique.length - rows.length };
}

/**
 * Hands out the oldest free code of a pool to an agent. When the pool falls to the pack's
 * `lowAt`, the leads are told once (a post to the pool's channel) so they add codes in time.
 */
export async function takeCode(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  pool: string,
  ticketId: string | null,
): Promise<{ code: string; remaining: number; alerted: boolean }> {
  const { pool: rules } = poolType(pack);
  const brandId = access.brand.id;
  const [free] = await tx
    .select()
    .from(couponCodes)
    .where(and(eq(couponCodes.brandId, brandId), eq(couponCodes.pool, pool), isNull(couponCodes.usedAt)))
    .orderBy(asc(couponCodes.createdAt), asc(couponCodes.code))
    .limit(1)
    .for('update', { skipLocked: true });
  if (!free) {
    throw errors.conflict(`The coupon pool "${pool}" is empty: ask a lead to add codes.`, { pool });
  }
  await tx
    .update(couponCodes)
    .set({ usedAt: ctx.now, usedBy: actorLabel(ctx.actor), ticketId })
    .where(eq(couponCodes.id, free.id));
  const [count] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(couponCodes)
    .where(and(eq(couponCodes.brandId, brandId), eq(couponCodes.pool, pool), isNull(couponCodes.usedAt)));
  const remaining = count?.n ?? 0;
  await audit(tx, ctx, {
    brandId,
    entityType: 'coupon_pool',
    entityId: pool,
    action: 'take_code',
    after: { codeId: free.id, remaining },
  });
  let alerted = false;
  if (remaining === rules.lowAt && rules.post) {
    await postNotification(
      tx,
      { brandId, channel: rules.post.channel, template: rules.post.template, vars: { pool, remaining } },
      { now: ctx.now, pack },
    );
    alerted = true;
  }
  return { code: free.code, remaining, alerted };
}
