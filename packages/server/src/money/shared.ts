import { deriveFacts, type Facts, type Pack, packCalendar, vendorPolicy } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { orders, tickets } from '../db/schema';
import { AppError, errors } from '../errors';
import { loadOrder, type OrderAggregate, poFacts, toScenarioOrder } from '../orders/aggregate';

/** The order of a brand, locked for the change so concurrent refunds see each other's amounts. */
export async function lockOrder(tx: Queryable, brandId: string, orderId: string): Promise<OrderAggregate> {
  const [row] = await tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.brandId, brandId)))
    .for('update');
  if (!row) throw errors.notFound('order');
  return (await loadOrder(tx, brandId, orderId))!;
}

/** A ticket named by a money record must be a ticket of the same brand. */
export async function checkTicket(tx: Queryable, brandId: string, ticketId: string | undefined) {
  if (!ticketId) return;
  const [row] = await tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.brandId, brandId)));
  if (!row) throw errors.field('ticketId', 'is not a ticket of this brand');
}

/** The SOP facts of an order at `now`, one set per PO (or one for the order when it has none). */
export function orderFactsByPo(
  pack: Pack,
  agg: OrderAggregate,
  now: Date,
  poIds?: string[],
): { poId: string | null; facts: Facts }[] {
  const pos = agg.purchaseOrders.filter((p) => !poIds || poIds.includes(p.po.id));
  if (pos.length > 0) return pos.map(({ po }) => ({ poId: po.id, facts: poFacts(pack, agg, po.id, now) }));
  const facts = deriveFacts(
    { id: agg.order.number, pack: pack.manifest.id, now: now.toISOString(), order: toScenarioOrder(agg) },
    now,
    'none',
    packCalendar(pack),
    (v) => vendorPolicy(pack, v),
  );
  return [{ poId: null, facts }];
}

/** Formats minor units for messages: 1234 → "12.34". */
export const major = (cents: number) => (cents / 100).toFixed(2);

/**
 * An amount larger than what may be given back: 422 naming the field, with the limit. It is a
 * business rule on the order's money (not a malformed request), so it shares the guardrail code.
 */
export function overLimit(
  field: string,
  problem: string,
  limitCents: number,
  rule = 'refund.refundable',
): AppError {
  return new AppError('guardrail_violation', `${field}: ${problem}`, {
    rule,
    field,
    limit: limitCents,
    problems: [{ field, in: 'body', problem }],
  });
}
