import type { Pack } from '@casebook/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { poStatuses } from '../commands/importOrder';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { poItems, poStatusChanges, purchaseOrders, reshipments, vendors } from '../db/schema';
import { errors } from '../errors';
import type { OrderAggregate } from '../orders/aggregate';
import { checkTicket, lockOrder } from './shared';

export type ReshipmentInput = {
  items: { sku: string; qty: number }[];
  reason: string;
  /** The PO whose shipment this replaces; its vendor ships again unless `vendor` names another. */
  originalPoId?: string | undefined;
  vendor?: string | undefined;
  /** The new PO's number; default: the original PO's (or the order's) number with -R1, -R2... */
  number?: string | undefined;
  ticketId?: string | undefined;
};

/**
 * Sends items of an order again: a new purchase order for them (in the pack's first status, so it
 * goes through the vendor like any PO), its first history entry, the reshipment record with the
 * reason and the audit entry, in one transaction.
 */
export async function createReshipment(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  orderId: string,
  input: ReshipmentInput,
) {
  const agg = await lockOrder(tx, brandId, orderId);
  await checkTicket(tx, brandId, input.ticketId);
  input.items.forEach((line, i) => {
    const item = agg.items.find((it) => it.sku === line.sku);
    if (!item) throw errors.field(`items.${i}.sku`, `"${line.sku}" is not an item of the order`);
    if (line.qty > item.qty)
      throw errors.field(`items.${i}.qty`, `must be at most ${item.qty}, the quantity ordered`);
    if (input.items.findIndex((l) => l.sku === line.sku) !== i)
      throw errors.field(`items.${i}.sku`, `"${line.sku}" is listed twice`);
  });
  const original = input.originalPoId
    ? agg.purchaseOrders.find((p) => p.po.id === input.originalPoId)
    : agg.purchaseOrders.find((p) => p.items.some((l) => l.sku === input.items[0]!.sku));
  if (input.originalPoId && !original)
    throw errors.field('originalPoId', 'is not a purchase order of this order');
  const vendorId = await vendorFor(tx, brandId, input.vendor, original);
  const [{ count }] = (await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(reshipments)
    .where(eq(reshipments.orderId, agg.order.id))) as [{ count: number }];
  const number = input.number ?? `${original?.po.number ?? agg.order.number}-R${count + 1}`;
  const status = poStatuses(pack)[0]!;
  let po: typeof purchaseOrders.$inferSelect;
  try {
    [po] = (await tx
      .insert(purchaseOrders)
      .values({
        brandId,
        orderId: agg.order.id,
        number,
        vendorId,
        status,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()) as [typeof purchaseOrders.$inferSelect];
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`number: PO ${number} already exists.`, { field: 'number' });
    throw error;
  }
  await tx.insert(poItems).values(input.items.map((l) => ({ brandId, poId: po.id, sku: l.sku, qty: l.qty })));
  await tx.insert(poStatusChanges).values({
    brandId,
    poId: po.id,
    fromStatus: null,
    toStatus: status,
    actorLabel: actorLabel(ctx.actor),
    reason: `reshipment: ${input.reason}`,
    at: ctx.now,
  });
  const [row] = await tx
    .insert(reshipments)
    .values({
      brandId,
      orderId: agg.order.id,
      poId: po.id,
      originalPoId: original?.po.id ?? null,
      ticketId: input.ticketId ?? null,
      reason: input.reason,
      createdBy: actorLabel(ctx.actor),
      createdAt: ctx.now,
    })
    .returning();
  await audit(tx, ctx, {
    brandId,
    entityType: 'reshipment',
    entityId: row!.id,
    action: 'create',
    after: {
      orderId: agg.order.id,
      poId: po.id,
      poNumber: number,
      originalPoId: row!.originalPoId,
      ticketId: row!.ticketId,
      items: input.items,
      reason: input.reason,
    },
  });
  return row!;
}

async function vendorFor(
  tx: Queryable,
  brandId: string,
  name: string | undefined,
  original: OrderAggregate['purchaseOrders'][number] | undefined,
): Promise<string> {
  if (name === undefined) {
    if (original) return original.vendor.id;
    throw errors.field('vendor', 'is required when no purchase order of the order carries the items');
  }
  const [row] = await tx
    .select({ id: vendors.id })
    .from(vendors)
    .where(and(eq(vendors.brandId, brandId), eq(vendors.name, name)));
  if (!row) throw errors.field('vendor', `"${name}" is not a vendor of this brand`);
  return row.id;
}

/** The order's reshipments, oldest first, with the new PO's number, status and items. */
export async function listReshipments(db: Queryable, agg: OrderAggregate) {
  const rows = await db
    .select()
    .from(reshipments)
    .where(eq(reshipments.orderId, agg.order.id))
    .orderBy(asc(reshipments.seq));
  return rows.map((r) => {
    const po = agg.purchaseOrders.find((p) => p.po.id === r.poId);
    const original = agg.purchaseOrders.find((p) => p.po.id === r.originalPoId);
    return {
      ...r,
      po: {
        id: r.poId,
        number: po?.po.number ?? '',
        status: po?.po.status ?? '',
        vendor: po?.vendor.name ?? '',
        items: (po?.items ?? []).map((l) => ({ sku: l.sku, qty: l.qty })),
      },
      originalPoNumber: original?.po.number ?? null,
    };
  });
}
