import { checkRefund, type Pack, type RefundKind } from '@casebook/core';
import { asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { purchaseOrders, refundItems, refunds } from '../db/schema';
import { errors } from '../errors';
import { enforceGuardrails } from '../guards';
import type { OrderAggregate } from '../orders/aggregate';
import type { BrandAccess } from '../policies';
import { checkTicket, lockOrder, major, orderFactsByPo, overLimit } from './shared';

export type RefundInput = {
  kind: RefundKind;
  /** Minor units; omitted: everything of this kind still refundable (on the chosen items). */
  amount?: number | undefined;
  /** Limits an item-cost refund to these items, each optionally with its own amount. */
  items?: { sku: string; amount?: number | undefined }[] | undefined;
  reason: string;
  ticketId?: string | undefined;
};

/** What an order cost and what of it has been refunded, per item and for shipping (minor units). */
export type OrderRefundState = {
  currency: string;
  itemsTotal: number;
  shippingTotal: number;
  refundedItems: number;
  refundedShipping: number;
  /** Refunded item cost by order item id. */
  refundedByItem: Map<string, number>;
  /** paid: nothing refunded; partially_refunded: some; refunded: everything the order cost. */
  state: 'paid' | 'partially_refunded' | 'refunded';
};

const itemTotal = (i: OrderAggregate['items'][number]) => i.qty * i.unitPriceCents;

/** The refund state of an order from its refunds so far. */
export async function refundState(db: Queryable, agg: OrderAggregate): Promise<OrderRefundState> {
  const rows = await db
    .select({ id: refunds.id, itemCents: refunds.itemCents, shippingCents: refunds.shippingCents })
    .from(refunds)
    .where(eq(refunds.orderId, agg.order.id));
  const lines = rows.length
    ? await db
        .select({ orderItemId: refundItems.orderItemId, amountCents: refundItems.amountCents })
        .from(refundItems)
        .where(
          inArray(
            refundItems.refundId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const refundedByItem = new Map<string, number>();
  for (const l of lines)
    refundedByItem.set(l.orderItemId, (refundedByItem.get(l.orderItemId) ?? 0) + l.amountCents);
  const itemsTotal = agg.items.reduce((sum, i) => sum + itemTotal(i), 0);
  const shippingTotal = agg.order.shippingCostCents;
  const refundedItems = rows.reduce((s, r) => s + r.itemCents, 0);
  const refundedShipping = rows.reduce((s, r) => s + r.shippingCents, 0);
  const refunded = refundedItems + refundedShipping;
  return {
    currency: agg.order.currency,
    itemsTotal,
    shippingTotal,
    refundedItems,
    refundedShipping,
    refundedByItem,
    state:
      refunded === 0 ? 'paid' : refunded >= itemsTotal + shippingTotal ? 'refunded' : 'partially_refunded',
  };
}

/**
 * Issues a refund on an order in one transaction: checks the pack's refund guardrails on every PO
 * the refund touches (e.g. a package returned to sender through the customer's error gets its item
 * cost back, not the shipping), caps the amount at what is still refundable, splits the item cost
 * over the items, marks each PO whose items are now fully refunded as refunded (so the PO may be
 * Canceled), and writes the audit entries.
 */
export async function issueRefund(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  orderId: string,
  input: RefundInput,
) {
  const brandId = access.brand.id;
  const agg = await lockOrder(tx, brandId, orderId);
  await checkTicket(tx, brandId, input.ticketId);
  const state = await refundState(tx, agg);
  const currency = agg.order.currency;
  const remainingOf = (item: OrderAggregate['items'][number]) =>
    itemTotal(item) - (state.refundedByItem.get(item.id) ?? 0);
  const shippingLeft = state.shippingTotal - state.refundedShipping;

  // Which items the refund covers.
  if (input.items && input.kind !== 'item_cost') {
    throw errors.field(
      'items',
      `a ${input.kind.replace('_', ' ')} refund covers no chosen items; use item_cost`,
    );
  }
  const chosen = (input.items ?? []).map((line, i) => {
    const item = agg.items.find((it) => it.sku === line.sku);
    if (!item) throw errors.field(`items.${i}.sku`, `"${line.sku}" is not an item of the order`);
    if (input.items!.findIndex((l) => l.sku === line.sku) !== i)
      throw errors.field(`items.${i}.sku`, `"${line.sku}" is listed twice`);
    return { item, amount: line.amount };
  });
  const targets = input.kind === 'shipping_only' ? [] : chosen.length ? chosen.map((c) => c.item) : agg.items;

  // The SOP's rules first: a refused kind is refused whatever the amount.
  const touchedPoIds =
    input.kind === 'item_cost' && chosen.length
      ? agg.purchaseOrders
          .filter((p) => p.items.some((l) => chosen.some((c) => c.item.sku === l.sku)))
          .map((p) => p.po.id)
      : undefined;
  for (const { facts } of orderFactsByPo(pack, agg, ctx.now, touchedPoIds)) {
    enforceGuardrails(
      checkRefund(pack, facts, {
        kind: input.kind,
        actor: { role: access.role.title, capabilities: access.role.capabilities },
      }),
    );
  }

  // Split the amount: per-item amounts as given, else item cost in item order, then shipping.
  const perItem = new Map<string, number>();
  let shipping = 0;
  const itemsLeft = targets.reduce((s, i) => s + remainingOf(i), 0);
  const limit =
    (input.kind === 'shipping_only' ? 0 : itemsLeft) + (input.kind === 'item_cost' ? 0 : shippingLeft);
  if (limit <= 0) {
    throw overLimit('amount', `nothing is left to refund of this kind on order ${agg.order.number}`, 0);
  }
  if (chosen.some((c) => c.amount !== undefined)) {
    chosen.forEach((c, i) => {
      const left = remainingOf(c.item);
      const amount = c.amount ?? left;
      if (amount > left)
        throw overLimit(
          `items.${i}.amount`,
          `${major(amount)} is more than the ${major(left)} ${currency} still refundable on ${c.item.sku}`,
          left,
        );
      if (amount > 0) perItem.set(c.item.id, amount);
    });
    const sum = [...perItem.values()].reduce((s, a) => s + a, 0);
    if (input.amount !== undefined && input.amount !== sum)
      throw errors.field('amount', `must equal the items' amounts (${major(sum)}) or be left out`);
  } else {
    const amount = input.amount ?? limit;
    if (amount > limit) {
      throw overLimit(
        'amount',
        `${major(amount)} is more than the ${major(limit)} ${currency} still refundable as ${input.kind.replace('_', ' ')} on order ${agg.order.number}`,
        limit,
      );
    }
    let left = amount;
    for (const item of targets) {
      const part = Math.min(left, remainingOf(item));
      if (part > 0) perItem.set(item.id, part);
      left -= part;
    }
    shipping = left;
  }
  const itemCents = [...perItem.values()].reduce((s, a) => s + a, 0);
  const amountCents = itemCents + shipping;
  if (amountCents <= 0) throw errors.field('amount', 'must be more than 0');

  const [refund] = await tx
    .insert(refunds)
    .values({
      brandId,
      orderId: agg.order.id,
      ticketId: input.ticketId ?? null,
      kind: input.kind,
      amountCents,
      itemCents,
      shippingCents: shipping,
      currency,
      reason: input.reason,
      createdBy: actorLabel(ctx.actor),
      createdAt: ctx.now,
    })
    .returning();
  if (perItem.size > 0) {
    await tx.insert(refundItems).values(
      [...perItem].map(([orderItemId, cents]) => ({
        brandId,
        refundId: refund!.id,
        orderItemId,
        amountCents: cents,
      })),
    );
  }

  // A PO whose every item is now fully refunded shows as refunded.
  const refundedAfter = new Map(state.refundedByItem);
  for (const [id, cents] of perItem) refundedAfter.set(id, (refundedAfter.get(id) ?? 0) + cents);
  const fullyRefunded = (sku: string) => {
    const item = agg.items.find((i) => i.sku === sku);
    return !!item && (refundedAfter.get(item.id) ?? 0) >= itemTotal(item);
  };
  const nowRefunded = agg.purchaseOrders.filter(
    ({ po, items }) => !po.refunded && items.length > 0 && items.every((l) => fullyRefunded(l.sku)),
  );
  if (nowRefunded.length > 0) {
    await tx
      .update(purchaseOrders)
      .set({ refunded: true, updatedAt: ctx.now })
      .where(
        inArray(
          purchaseOrders.id,
          nowRefunded.map((p) => p.po.id),
        ),
      );
  }
  const total = state.itemsTotal + state.shippingTotal;
  const refundedTotal = state.refundedItems + state.refundedShipping + amountCents;
  const orderState = refundedTotal >= total ? 'refunded' : 'partially_refunded';
  await audit(tx, ctx, {
    brandId,
    entityType: 'refund',
    entityId: refund!.id,
    action: 'issue',
    after: {
      orderId: agg.order.id,
      ticketId: refund!.ticketId,
      kind: refund!.kind,
      amountCents,
      itemCents,
      shippingCents: shipping,
      currency,
      reason: input.reason,
      orderState,
      posRefunded: nowRefunded.map((p) => p.po.number),
    },
  });
  for (const { po } of nowRefunded) {
    await audit(tx, ctx, {
      brandId,
      entityType: 'purchase_order',
      entityId: po.id,
      action: 'refunded',
      before: { refunded: false },
      after: { refunded: true, refundId: refund!.id },
    });
  }
  return refund!;
}

/** The order's refunds, oldest first, with the items each covered. */
export async function listRefunds(db: Queryable, agg: OrderAggregate) {
  const rows = await db
    .select()
    .from(refunds)
    .where(eq(refunds.orderId, agg.order.id))
    .orderBy(asc(refunds.seq));
  const lines = rows.length
    ? await db
        .select()
        .from(refundItems)
        .where(
          inArray(
            refundItems.refundId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const skuOf = new Map(agg.items.map((i) => [i.id, i.sku]));
  return rows.map((r) => ({
    ...r,
    items: lines
      .filter((l) => l.refundId === r.id)
      .map((l) => ({ sku: skuOf.get(l.orderItemId) ?? '', amountCents: l.amountCents })),
  }));
}
