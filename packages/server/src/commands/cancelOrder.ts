import { checkOrderCancel, type Pack } from '@casebook/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { approvalRequests, orders, poItems, purchaseOrders } from '../db/schema';
import { errors } from '../errors';
import { enforceGuardrails } from '../guards';
import type { BrandAccess } from '../policies';

type OrderRow = typeof orders.$inferSelect;

/**
 * Refuses a cancellation the pack does not allow now: the caller must hold `order.cancel`, and
 * under a pack with a cancellation window (`cancellation:` in the pack) an order placed longer
 * ago than the window needs its exception request (an HPER naming the order) in an approved
 * state. Time is the request's clock (`ctx.now`).
 */
export async function enforceCancelWindow(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  order: Pick<OrderRow, 'number' | 'placedAt'>,
): Promise<void> {
  const rule = pack.manifest.cancellation;
  let exceptionApproved = false;
  if (rule) {
    const { approval, field, states } = rule.exception;
    const [found] = await tx
      .select({ id: approvalRequests.id })
      .from(approvalRequests)
      .where(
        and(
          eq(approvalRequests.brandId, access.brand.id),
          eq(approvalRequests.type, approval),
          inArray(approvalRequests.state, states),
          sql`btrim(${approvalRequests.fields} ->> ${field}) = ${order.number}`,
        ),
      )
      .limit(1);
    exceptionApproved = found !== undefined;
  }
  enforceGuardrails(
    checkOrderCancel(pack, {
      minutesSincePlaced: (ctx.now.getTime() - order.placedAt.getTime()) / 60_000,
      exceptionApproved,
      actor: { role: access.role.title, capabilities: access.role.capabilities },
    }),
  );
}

/**
 * Cancels an order's items that have not shipped (on every PO of the order, or on the POs named),
 * through the pack's cancellation rules, with its audit entry. Nothing left to cancel is a conflict.
 */
export async function cancelOrder(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  orderId: string,
  input: { purchaseOrders?: string[] | undefined; reason?: string | undefined },
): Promise<{ canceled: { poId: string; sku: string; qty: number }[] }> {
  const [order] = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.brandId, access.brand.id)))
    .for('update');
  if (!order) throw errors.notFound('order');
  const pos = await tx
    .select({ id: purchaseOrders.id, number: purchaseOrders.number })
    .from(purchaseOrders)
    .where(eq(purchaseOrders.orderId, order.id));
  const ids = new Set(pos.map((p) => p.id));
  input.purchaseOrders?.forEach((id, i) => {
    if (!ids.has(id)) throw errors.field(`purchaseOrders.${i}`, 'is not a purchase order of this order');
  });
  await enforceCancelWindow(tx, ctx, access, pack, order);
  const targets = input.purchaseOrders ?? [...ids];
  const canceled = targets.length
    ? await tx
        .update(poItems)
        .set({ canceled: true })
        .where(and(inArray(poItems.poId, targets), eq(poItems.canceled, false), eq(poItems.shippedQty, 0)))
        .returning({ poId: poItems.poId, sku: poItems.sku, qty: poItems.qty })
    : [];
  if (!canceled.length)
    throw errors.conflict('Nothing left to cancel: every item has shipped or is already canceled.');
  await audit(tx, ctx, {
    brandId: access.brand.id,
    entityType: 'order',
    entityId: order.id,
    action: 'cancel',
    after: { canceled, reason: input.reason ?? null },
  });
  return { canceled };
}
