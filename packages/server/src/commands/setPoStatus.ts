import { checkPoStatusChange, type Pack } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { poStatusChanges, purchaseOrders } from '../db/schema';
import { errors } from '../errors';
import { enforceGuardrails } from '../guards';
import { loadOrder, poFacts } from '../orders/aggregate';
import type { BrandAccess } from '../policies';

/**
 * Moves a purchase order to another status through the brand pack's guardrails (allowed
 * transitions, `po.set_status`, and rules such as "never Canceled before it shows refunded"),
 * recording who, when, from what, to what and why. A stale `version` is a conflict.
 */
export async function setPoStatus(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  poId: string,
  input: { status: string; reason?: string | undefined; version?: number | undefined },
) {
  const [po] = await tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, poId), eq(purchaseOrders.brandId, access.brand.id)))
    .for('update');
  if (!po) throw errors.notFound('purchase order');
  if (input.version !== undefined && input.version !== po.version) {
    throw errors.conflict(
      `The PO changed since you loaded it (version ${po.version}, yours ${input.version}); reload it.`,
      {
        current: { status: po.status, version: po.version },
      },
    );
  }
  const agg = (await loadOrder(tx, access.brand.id, po.orderId))!;
  const facts = poFacts(pack, agg, po.id, ctx.now);
  enforceGuardrails(
    checkPoStatusChange(pack, facts, {
      from: po.status,
      to: input.status,
      actor: { role: access.role.title, capabilities: access.role.capabilities },
    }),
  );
  const [after] = await tx
    .update(purchaseOrders)
    .set({
      status: input.status,
      version: po.version + 1,
      updatedAt: ctx.now,
      ...(input.status === 'Sent to Vendor' && !po.sentToVendorAt ? { sentToVendorAt: ctx.now } : {}),
    })
    .where(eq(purchaseOrders.id, po.id))
    .returning();
  await tx.insert(poStatusChanges).values({
    brandId: access.brand.id,
    poId: po.id,
    fromStatus: po.status,
    toStatus: input.status,
    actorLabel: actorLabel(ctx.actor),
    reason: input.reason ?? null,
    at: ctx.now,
  });
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'purchase_order',
    entityId: po.id,
    action: 'set_status',
    before: { status: po.status, version: po.version },
    after: { status: after!.status, version: after!.version, reason: input.reason ?? null },
  });
  return after!;
}
