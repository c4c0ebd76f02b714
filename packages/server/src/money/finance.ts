import type { Pack } from '@casebook/core';
import { eq } from 'drizzle-orm';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { orders } from '../db/schema';
import type { BrandAccess } from '../policies';
import { trackerAccess } from '../trackers/access';
import { createRecord } from '../trackers/commands';

/** The finance tracker types a pack may have, one per kind of money change. */
export type FinanceKind = 'refund' | 'reshipment' | 'store_credit';

export type FinanceEntry = {
  orderId: string;
  /** Minor units (refunds, store credit). */
  amountCents?: number;
  reason: string;
  /** What was sent again (reshipments). */
  items?: { sku: string; qty: number }[];
  ticketId?: string | undefined;
};

/**
 * Logs a money change in the brand's finance tracker: the pack's tracker type named after the
 * kind (`refund`, `reshipment`, `store_credit`), when it has one, such as the store's "BIG5
 * Refund" sheet that agents used to fill in by hand after processing one. The record is written
 * in the change's transaction by Casebook itself, so whoever may make the change may feed it. The
 * fields it knows (order, amount, reason, items, approved by, processed on) are filled where the
 * type has them; a type that requires anything else is left for people to log.
 */
export async function feedFinanceTracker(
  tx: Queryable,
  ctx: RequestContext,
  access: BrandAccess,
  pack: Pack,
  kind: FinanceKind,
  entry: FinanceEntry,
): Promise<void> {
  const type = pack.manifest.trackers[kind];
  if (!type) return;
  const [order] = await tx.select({ number: orders.number }).from(orders).where(eq(orders.id, entry.orderId));
  if (!order) return;
  const known: Record<string, unknown> = {
    order: order.number,
    reason: entry.reason,
    approved_by: ctx.actor.kind === 'user' ? ctx.actor.name : actorLabel(ctx.actor),
    processed_on: ctx.now.toISOString().slice(0, 10),
    ...(entry.amountCents !== undefined ? { amount: entry.amountCents / 100 } : {}),
    ...(entry.items ? { items: entry.items.map((i) => `${i.qty} × ${i.sku}`).join(', ') } : {}),
  };
  const fields = Object.fromEntries(
    Object.keys(type.fields).flatMap((name) => (name in known ? [[name, known[name]]] : [])),
  );
  const missing = Object.entries(type.fields).some(([name, field]) => field.required && !(name in fields));
  if (missing) return;
  await createRecord(
    tx,
    ctx,
    await trackerAccess(tx, access, pack),
    kind,
    { fields, ticketId: entry.ticketId },
    { automatic: true },
  );
}
