import {
  deriveFacts,
  type Facts,
  type Pack,
  packCalendar,
  type Scenario,
  type Order as ScenarioOrder,
  vendorPolicy,
} from '@casebook/core';
import { and, asc, eq } from 'drizzle-orm';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import {
  orderItems,
  orders,
  poItems,
  purchaseOrders,
  shipments,
  trackingEvents,
  vendorSettings,
  vendors,
} from '../db/schema';
import { effectiveVendorPolicy } from '../vendors/settings';

/** An order with everything the SOPs read: items, POs with their vendor, items, shipments and tracking. */
export type OrderAggregate = {
  order: typeof orders.$inferSelect;
  items: (typeof orderItems.$inferSelect)[];
  purchaseOrders: {
    po: typeof purchaseOrders.$inferSelect;
    vendor: typeof vendors.$inferSelect;
    /** The brand's own settings for the vendor (vendor admin), over the pack's `vendors.yaml`. */
    vendorSettings: typeof vendorSettings.$inferSelect | null;
    items: (typeof poItems.$inferSelect)[];
    shipments: { shipment: typeof shipments.$inferSelect; events: (typeof trackingEvents.$inferSelect)[] }[];
  }[];
};

/** Loads one order of a brand with its POs, shipments and tracking, or null. */
export async function loadOrder(
  db: Queryable,
  brandId: string,
  orderId: string,
): Promise<OrderAggregate | null> {
  return (await loadOrders(db, brandId, [orderId])).get(orderId) ?? null;
}

/** Loads many orders of a brand at once (a fixed number of queries, whatever their count). */
export async function loadOrders(
  db: Queryable,
  brandId: string,
  orderIds: string[],
): Promise<Map<string, OrderAggregate>> {
  const result = new Map<string, OrderAggregate>();
  if (orderIds.length === 0) return result;
  const [orderRows, items, pos] = await Promise.all([
    db
      .select()
      .from(orders)
      .where(and(anyOf(orders.id, orderIds), eq(orders.brandId, brandId))),
    db.select().from(orderItems).where(anyOf(orderItems.orderId, orderIds)).orderBy(asc(orderItems.sku)),
    db
      .select({ po: purchaseOrders, vendor: vendors, settings: vendorSettings })
      .from(purchaseOrders)
      .innerJoin(vendors, eq(vendors.id, purchaseOrders.vendorId))
      .leftJoin(vendorSettings, eq(vendorSettings.vendorId, vendors.id))
      .where(and(anyOf(purchaseOrders.orderId, orderIds), eq(purchaseOrders.brandId, brandId)))
      .orderBy(asc(purchaseOrders.number)),
  ]);
  const poIds = pos.map((p) => p.po.id);
  const [lines, ships] = poIds.length
    ? await Promise.all([
        db.select().from(poItems).where(anyOf(poItems.poId, poIds)).orderBy(asc(poItems.sku)),
        db.select().from(shipments).where(anyOf(shipments.poId, poIds)).orderBy(asc(shipments.createdAt)),
      ])
    : [[], []];
  const events = ships.length
    ? await db
        .select()
        .from(trackingEvents)
        .where(
          anyOf(
            trackingEvents.shipmentId,
            ships.map((s) => s.id),
          ),
        )
        .orderBy(asc(trackingEvents.at))
    : [];
  const group = <T, K>(rows: T[], key: (row: T) => K) => {
    const map = new Map<K, T[]>();
    for (const row of rows) {
      const list = map.get(key(row));
      if (list) list.push(row);
      else map.set(key(row), [row]);
    }
    return map;
  };
  const itemsOf = group(items, (i) => i.orderId);
  const posOf = group(pos, (p) => p.po.orderId);
  const linesOf = group(lines, (l) => l.poId);
  const shipsOf = group(ships, (s) => s.poId);
  const eventsOf = group(events, (e) => e.shipmentId);
  for (const order of orderRows) {
    result.set(order.id, {
      order,
      items: itemsOf.get(order.id) ?? [],
      purchaseOrders: (posOf.get(order.id) ?? []).map(({ po, vendor, settings }) => ({
        po,
        vendor,
        vendorSettings: settings,
        items: linesOf.get(po.id) ?? [],
        shipments: (shipsOf.get(po.id) ?? []).map((shipment) => ({
          shipment,
          events: eventsOf.get(shipment.id) ?? [],
        })),
      })),
    });
  }
  return result;
}

/**
 * The order in the advice contract's shape, so the SOP engine derives its facts (ages, whether
 * every item shipped, the newest tracking event...) in one place for tickets, guardrails and advice.
 */
export function toScenarioOrder(agg: OrderAggregate): ScenarioOrder {
  const { order } = agg;
  return {
    id: order.number,
    placedAt: order.placedAt.toISOString(),
    channel: order.channel,
    ...(order.shippingAddress
      ? { shippingAddress: order.shippingAddress as ScenarioOrder['shippingAddress'] }
      : {}),
    shippingCost: order.shippingCostCents / 100,
    items: agg.items.map((i) => ({
      sku: i.sku,
      name: i.name,
      qty: i.qty,
      unitPrice: i.unitPriceCents / 100,
      ...(i.category ? { category: i.category } : {}),
      ...(i.hasSerialNumber !== null ? { hasSerialNumber: i.hasSerialNumber } : {}),
      ...(i.hasModelNumber !== null ? { hasModelNumber: i.hasModelNumber } : {}),
      ...(i.hasPartNumber !== null ? { hasPartNumber: i.hasPartNumber } : {}),
    })),
    purchaseOrders: agg.purchaseOrders.map(({ po, vendor, items, shipments: ships }) => ({
      id: po.number,
      vendor: vendor.name,
      status: po.status as ScenarioOrder['purchaseOrders'][number]['status'],
      refunded: po.refunded,
      ...(po.sentToVendorAt ? { sentToVendorAt: po.sentToVendorAt.toISOString() } : {}),
      ...(po.vendorCancelOptionAvailable !== null
        ? { vendorCancelOptionAvailable: po.vendorCancelOptionAvailable }
        : {}),
      freight: po.freight,
      items: items.map((l) => ({
        sku: l.sku,
        qty: l.qty,
        shippedQty: l.shippedQty,
        outOfStock: l.outOfStock,
        canceled: l.canceled,
      })),
      shipments: ships.map(({ shipment, events }) => ({
        ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
        trackingNumber: shipment.trackingNumber,
        ...(shipment.returnedToSenderReason
          ? {
              returnedToSender: {
                reason: shipment.returnedToSenderReason as
                  | 'customer_error'
                  | 'carrier_error'
                  | 'vendor_error'
                  | 'unknown',
              },
            }
          : {}),
        events: events.map((e) => ({
          at: e.at.toISOString(),
          status:
            e.status as ScenarioOrder['purchaseOrders'][number]['shipments'][number]['events'][number]['status'],
          ...(e.description ? { description: e.description } : {}),
        })),
      })),
    })),
  };
}

/** The SOP facts of one PO of an order at `now` (the PO the case is about is that one). */
export function poFacts(pack: Pack, agg: OrderAggregate, poId: string, now: Date): Facts {
  const order = toScenarioOrder(agg);
  const po = agg.purchaseOrders.find((p) => p.po.id === poId)!;
  const scenario: Scenario = {
    id: po.po.number,
    pack: pack.manifest.id,
    now: now.toISOString(),
    order: { ...order, purchaseOrders: order.purchaseOrders.filter((p) => p.id === po.po.number) },
  };
  // The vendor's policy: the brand's settings where it set them, else the pack's vendors.yaml.
  return deriveFacts(scenario, now, 'none', packCalendar(pack), (v) => ({
    known: vendorPolicy(pack, v).known || Boolean(po.vendorSettings),
    policy: effectiveVendorPolicy(pack, v, v === po.vendor.name ? po.vendorSettings : null),
  }));
}
