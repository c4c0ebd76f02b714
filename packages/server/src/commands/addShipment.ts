import { checkPoStatusChange, type Pack } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { poItems, poStatusChanges, purchaseOrders, shipments } from '../db/schema';
import { errors } from '../errors';
import { loadOrder, poFacts } from '../orders/aggregate';

export type ShipmentInput = {
  carrier?: string | undefined;
  trackingNumber: string;
  items: { sku: string; qty: number }[];
};

/**
 * Adds a shipment to a PO and counts its items as shipped. When every item of the PO has shipped,
 * Casebook sets the PO to Shipped itself, if the pack's transitions and guardrails allow it from
 * the current status; the history says it was automatic.
 */
export async function addShipment(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  poId: string,
  input: ShipmentInput,
): Promise<{ shipmentId: string; autoShipped: boolean }> {
  const [po] = await tx
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.id, poId), eq(purchaseOrders.brandId, brandId)))
    .for('update');
  if (!po) throw errors.notFound('purchase order');
  const lines = await tx.select().from(poItems).where(eq(poItems.poId, po.id));
  for (const [i, item] of input.items.entries()) {
    const line = lines.find((l) => l.sku === item.sku);
    if (!line) throw errors.field(`items.${i}.sku`, `"${item.sku}" is not on PO ${po.number}`);
    if (line.canceled) throw errors.field(`items.${i}.sku`, `"${item.sku}" is canceled on PO ${po.number}`);
    if (line.shippedQty + item.qty > line.qty) {
      throw errors.field(
        `items.${i}.qty`,
        `only ${line.qty - line.shippedQty} of "${item.sku}" are left to ship`,
      );
    }
  }
  let shipmentId: string;
  try {
    const [row] = await tx
      .insert(shipments)
      .values({
        brandId,
        poId: po.id,
        carrier: input.carrier ?? null,
        trackingNumber: input.trackingNumber,
        createdAt: ctx.now,
      })
      .returning({ id: shipments.id });
    shipmentId = row!.id;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        `trackingNumber: ${input.trackingNumber} is already on a shipment of this brand.`,
        {
          field: 'trackingNumber',
        },
      );
    }
    throw error;
  }
  for (const item of input.items) {
    const line = lines.find((l) => l.sku === item.sku)!;
    line.shippedQty += item.qty;
    await tx.update(poItems).set({ shippedQty: line.shippedQty }).where(eq(poItems.id, line.id));
  }
  await audit(tx, ctx, {
    brandId,
    entityType: 'shipment',
    entityId: shipmentId,
    action: 'create',
    after: {
      po: po.number,
      carrier: input.carrier ?? null,
      trackingNumber: input.trackingNumber,
      items: input.items,
    },
  });

  const allShipped = lines.every((l) => l.canceled || l.shippedQty >= l.qty);
  if (!allShipped || po.status === 'Shipped') return { shipmentId, autoShipped: false };
  const agg = (await loadOrder(tx, brandId, po.orderId))!;
  const casebook = { role: 'Casebook', capabilities: ['po.set_status'] };
  const violations = checkPoStatusChange(pack, poFacts(pack, agg, po.id, ctx.now), {
    from: po.status,
    to: 'Shipped',
    actor: casebook,
  });
  if (violations.length > 0) return { shipmentId, autoShipped: false };
  await tx
    .update(purchaseOrders)
    .set({ status: 'Shipped', version: po.version + 1, updatedAt: ctx.now })
    .where(eq(purchaseOrders.id, po.id));
  await tx.insert(poStatusChanges).values({
    brandId,
    poId: po.id,
    fromStatus: po.status,
    toStatus: 'Shipped',
    actorLabel: 'system:casebook',
    reason: 'every item of the PO has shipped',
    at: ctx.now,
  });
  await audit(tx, ctx, {
    brandId,
    entityType: 'purchase_order',
    entityId: po.id,
    action: 'set_status',
    before: { status: po.status, version: po.version },
    after: {
      status: 'Shipped',
      version: po.version + 1,
      reason: 'every item of the PO has shipped (automatic)',
    },
  });
  return { shipmentId, autoShipped: true };
}
