import type { Pack } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { poItems, purchaseOrders, shipments } from '../db/schema';
import { errors } from '../errors';
import { shipCompletedPurchaseOrders } from '../orders/autoShip';

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

  const moved = await shipCompletedPurchaseOrders(tx, ctx, brandId, pack, [po.id]);
  return { shipmentId, autoShipped: moved.length > 0 };
}
