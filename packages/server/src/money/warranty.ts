import { checkWarrantyClaim, type Pack, type WarrantyClaimReason, warrantyPeriod } from '@casebook/core';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { orderItems, orders, warrantyClaims, warrantyPlans } from '../db/schema';
import { errors } from '../errors';
import { enforceGuardrails } from '../guards';
import { checkTicket } from './shared';

export type WarrantyPlanInput = {
  sku: string;
  /** A plan type of the brand's pack, e.g. ProductSecure. */
  plan: string;
  /** The item's manufacturer's warranty in months; default: the plan's. */
  manufacturerMonths?: number | undefined;
  /** What the plan cost, in minor units. */
  price?: number | undefined;
};

export type WarrantyClaimInput = {
  reason: WarrantyClaimReason;
  description: string;
  ticketId?: string | undefined;
};

/** The claim statuses and where each may go. */
export const CLAIM_TRANSITIONS: Record<string, string[]> = {
  filed: ['approved', 'denied'],
  approved: ['closed'],
  denied: [],
  closed: [],
};

/**
 * Records a plan sold with an order item: the plan must be a type of the brand's pack, and its
 * period runs from the order's date to the end of the manufacturer's warranty plus the plan's
 * extension.
 */
export async function createWarrantyPlan(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  orderId: string,
  input: WarrantyPlanInput,
) {
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.brandId, brandId)));
  if (!order) throw errors.notFound('order');
  const [item] = await tx
    .select()
    .from(orderItems)
    .where(and(eq(orderItems.orderId, order.id), eq(orderItems.sku, input.sku)));
  if (!item) throw errors.field('sku', `"${input.sku}" is not an item of the order`);
  const period = warrantyPeriod(pack, input.plan, order.placedAt, input.manufacturerMonths);
  if (!period) {
    const known = Object.keys(pack.manifest.warrantyPlans);
    throw errors.field(
      'plan',
      `"${input.plan}" is not a warranty plan of this brand (${known.length ? known.join(', ') : 'it sells none'})`,
    );
  }
  const def = pack.manifest.warrantyPlans[input.plan]!;
  let row: typeof warrantyPlans.$inferSelect;
  try {
    [row] = (await tx
      .insert(warrantyPlans)
      .values({
        brandId,
        orderId: order.id,
        orderItemId: item.id,
        plan: input.plan,
        priceCents: input.price ?? null,
        manufacturerMonths: input.manufacturerMonths ?? def.manufacturerMonths,
        startsAt: period.startsAt,
        manufacturerEndsAt: period.manufacturerEndsAt,
        endsAt: period.endsAt,
        createdBy: actorLabel(ctx.actor),
        createdAt: ctx.now,
      })
      .returning()) as [typeof warrantyPlans.$inferSelect];
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`plan: ${input.sku} already has a ${input.plan} plan.`, { field: 'plan' });
    throw error;
  }
  await audit(tx, ctx, {
    brandId,
    entityType: 'warranty_plan',
    entityId: row.id,
    action: 'create',
    after: {
      orderId: order.id,
      sku: item.sku,
      plan: row.plan,
      priceCents: row.priceCents,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt.toISOString(),
    },
  });
  return row;
}

/**
 * Files a claim on a plan. A reason the plan excludes (ProductSecure: loss, theft, accidental
 * damage) or a claim outside the plan's period is refused with 422 naming the rule and why.
 */
export async function fileWarrantyClaim(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  planId: string,
  input: WarrantyClaimInput,
) {
  const [plan] = await tx
    .select()
    .from(warrantyPlans)
    .where(and(eq(warrantyPlans.id, planId), eq(warrantyPlans.brandId, brandId)))
    .for('update');
  if (!plan) throw errors.notFound('warranty plan');
  await checkTicket(tx, brandId, input.ticketId);
  enforceGuardrails(
    checkWarrantyClaim(pack, plan.plan, {
      reason: input.reason,
      at: ctx.now,
      period: { startsAt: plan.startsAt, endsAt: plan.endsAt },
    }),
  );
  const [claim] = await tx
    .insert(warrantyClaims)
    .values({
      brandId,
      planId: plan.id,
      reason: input.reason,
      description: input.description,
      status: 'filed',
      ticketId: input.ticketId ?? null,
      createdBy: actorLabel(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId,
    entityType: 'warranty_claim',
    entityId: claim!.id,
    action: 'file',
    after: {
      planId: plan.id,
      plan: plan.plan,
      reason: input.reason,
      description: input.description,
      ticketId: claim!.ticketId,
    },
  });
  return claim!;
}

/** Moves a claim on (filed → approved or denied, approved → closed), with the audit entry. */
export async function setWarrantyClaimStatus(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  claimId: string,
  input: { status: string; note?: string | undefined },
) {
  const [claim] = await tx
    .select()
    .from(warrantyClaims)
    .where(and(eq(warrantyClaims.id, claimId), eq(warrantyClaims.brandId, brandId)))
    .for('update');
  if (!claim) throw errors.notFound('warranty claim');
  const next = CLAIM_TRANSITIONS[claim.status] ?? [];
  if (!next.includes(input.status))
    throw errors.field(
      'status',
      `the claim is ${claim.status}; it may go to ${next.length ? next.join(' or ') : 'no other status'}`,
    );
  const [after] = await tx
    .update(warrantyClaims)
    .set({ status: input.status as typeof claim.status, updatedAt: ctx.now })
    .where(eq(warrantyClaims.id, claim.id))
    .returning();
  await audit(tx, ctx, {
    brandId,
    entityType: 'warranty_claim',
    entityId: claim.id,
    action: 'set_status',
    before: { status: claim.status },
    after: { status: after!.status, note: input.note ?? null },
  });
  return after!;
}

/** The order's plans with their item and claims. */
export async function listWarrantyPlans(db: Queryable, orderId: string) {
  const plans = await db
    .select({ plan: warrantyPlans, sku: orderItems.sku, itemName: orderItems.name })
    .from(warrantyPlans)
    .innerJoin(orderItems, eq(orderItems.id, warrantyPlans.orderItemId))
    .where(eq(warrantyPlans.orderId, orderId))
    .orderBy(asc(orderItems.sku), asc(warrantyPlans.createdAt));
  const claims = plans.length
    ? await db
        .select()
        .from(warrantyClaims)
        .where(
          inArray(
            warrantyClaims.planId,
            plans.map((p) => p.plan.id),
          ),
        )
        .orderBy(asc(warrantyClaims.seq))
    : [];
  return plans.map((p) => ({ ...p, claims: claims.filter((c) => c.planId === p.plan.id) }));
}
