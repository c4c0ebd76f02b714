import { type Pack, PO_STATUSES } from '@casebook/core';
import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import { actorLabel } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { orderItems, orders, poItems, poStatusChanges, purchaseOrders, vendors } from '../db/schema';
import { errors } from '../errors';

export type OrderInput = {
  number: string;
  externalId?: string | undefined;
  channel: string;
  customer?: { name?: string | undefined; email?: string | undefined } | undefined;
  placedAt: string;
  shippingAddress?: Record<string, unknown> | undefined;
  shippingCost?: number | undefined;
  currency?: string | undefined;
  items: {
    sku: string;
    name: string;
    qty: number;
    unitPrice: number;
    category?: string | undefined;
    hasSerialNumber?: boolean | undefined;
    hasModelNumber?: boolean | undefined;
    hasPartNumber?: boolean | undefined;
  }[];
  purchaseOrders: {
    number: string;
    vendor: string;
    status?: string | undefined;
    sentToVendorAt?: string | undefined;
    freight?: boolean | undefined;
    vendorCancelOptionAvailable?: boolean | undefined;
    items: { sku: string; qty: number }[];
  }[];
};

const cents = (amount: number) => Math.round(amount * 100);

/** The PO statuses of a brand: its pack's, or the contract's when the pack defines none. */
export function poStatuses(pack: Pack): readonly string[] {
  return pack.manifest.purchaseOrders?.statuses ?? PO_STATUSES;
}

/**
 * Stores an order with its items and purchase orders, in one transaction. Idempotent on the
 * external id: importing the same order again returns the stored one and writes nothing.
 */
export async function importOrder(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  input: OrderInput,
): Promise<{ orderId: string; created: boolean }> {
  if (input.externalId) {
    const [existing] = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.brandId, brandId), eq(orders.externalId, input.externalId)));
    if (existing) return { orderId: existing.id, created: false };
  }
  const skus = new Set(input.items.map((i) => i.sku));
  const statuses = poStatuses(pack);
  input.purchaseOrders.forEach((po, p) => {
    if (po.status !== undefined && !statuses.includes(po.status)) {
      throw errors.field(
        `purchaseOrders.${p}.status`,
        `"${po.status}" is not a PO status of this brand (${statuses.join(', ')})`,
      );
    }
    po.items.forEach((item, i) => {
      if (!skus.has(item.sku)) {
        throw errors.field(`purchaseOrders.${p}.items.${i}.sku`, `"${item.sku}" is not an item of the order`);
      }
    });
  });

  let order: typeof orders.$inferSelect;
  try {
    [order] = (await tx
      .insert(orders)
      .values({
        brandId,
        number: input.number,
        externalId: input.externalId ?? null,
        channel: input.channel,
        customerName: input.customer?.name ?? null,
        customerEmail: input.customer?.email?.toLowerCase() ?? null,
        placedAt: new Date(input.placedAt),
        shippingAddress: input.shippingAddress ?? null,
        shippingCostCents: cents(input.shippingCost ?? 0),
        currency: input.currency ?? 'USD',
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning()) as [typeof orders.$inferSelect];
  } catch (error) {
    if (isUniqueViolation(error))
      throw errors.conflict(`number: order ${input.number} already exists.`, { field: 'number' });
    throw error;
  }
  await tx.insert(orderItems).values(
    input.items.map((i) => ({
      brandId,
      orderId: order.id,
      sku: i.sku,
      name: i.name,
      qty: i.qty,
      unitPriceCents: cents(i.unitPrice),
      category: i.category ?? null,
      hasSerialNumber: i.hasSerialNumber ?? null,
      hasModelNumber: i.hasModelNumber ?? null,
      hasPartNumber: i.hasPartNumber ?? null,
    })),
  );
  for (const po of input.purchaseOrders) {
    const vendorId = await vendorIdFor(tx, brandId, po.vendor, ctx.now);
    const status = po.status ?? statuses[0]!;
    let row: typeof purchaseOrders.$inferSelect;
    try {
      [row] = (await tx
        .insert(purchaseOrders)
        .values({
          brandId,
          orderId: order.id,
          number: po.number,
          vendorId,
          status,
          sentToVendorAt: po.sentToVendorAt ? new Date(po.sentToVendorAt) : null,
          freight: po.freight ?? false,
          vendorCancelOptionAvailable: po.vendorCancelOptionAvailable ?? null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning()) as [typeof purchaseOrders.$inferSelect];
    } catch (error) {
      if (isUniqueViolation(error))
        throw errors.conflict(`purchaseOrders: PO ${po.number} already exists.`, { field: 'purchaseOrders' });
      throw error;
    }
    if (po.items.length) {
      await tx
        .insert(poItems)
        .values(po.items.map((i) => ({ brandId, poId: row.id, sku: i.sku, qty: i.qty })));
    }
    await tx.insert(poStatusChanges).values({
      brandId,
      poId: row.id,
      fromStatus: null,
      toStatus: status,
      actorLabel: actorLabel(ctx.actor),
      reason: 'imported with the order',
      at: ctx.now,
    });
  }
  await audit(tx, ctx, {
    brandId,
    entityType: 'order',
    entityId: order.id,
    action: 'import',
    after: {
      number: order.number,
      externalId: order.externalId,
      items: input.items.length,
      purchaseOrders: input.purchaseOrders.map((p) => p.number),
    },
  });
  return { orderId: order.id, created: true };
}

/** The brand's vendor of that name, created on first use. */
async function vendorIdFor(tx: Queryable, brandId: string, name: string, now: Date): Promise<string> {
  const [row] = await tx
    .insert(vendors)
    .values({ brandId, name, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [vendors.brandId, vendors.name],
      set: { updatedAt: sql`${vendors.updatedAt}` },
    })
    .returning({ id: vendors.id });
  return row!.id;
}
