import { checkPoStatusChange, type Pack } from '@casebook/core';
import { and, ne, sql } from 'drizzle-orm';
import type { RequestContext } from '../context';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { poItems, purchaseOrders } from '../db/schema';
import { insertAuditEntries, insertPoStatusChanges } from '../imports/bulk';
import { loadOrders, poFacts } from './aggregate';

/** Casebook itself, setting Shipped: it holds the capability, and the pack's transitions and guardrails still apply. */
const CASEBOOK = { role: 'Casebook', capabilities: ['po.set_status'] };

/**
 * Sets to Shipped every PO among `poIds` whose every item has shipped (or is canceled), where the
 * pack allows Shipped from its current status; records the history and audit entries. Returns the
 * ids it moved. A fixed number of queries, however many POs.
 */
export async function shipCompletedPurchaseOrders(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  poIds: string[],
  /** The POs and their lines as the caller already holds them (locked, current), to skip reading them again. */
  known?: { pos: (typeof purchaseOrders.$inferSelect)[]; lines: (typeof poItems.$inferSelect)[] },
): Promise<string[]> {
  if (poIds.length === 0) return [];
  const lines = known?.lines ?? (await tx.select().from(poItems).where(anyOf(poItems.poId, poIds)));
  const open = new Set(lines.filter((l) => !l.canceled && l.shippedQty < l.qty).map((l) => l.poId));
  const complete = [...new Set(lines.map((l) => l.poId))].filter((id) => !open.has(id));
  if (complete.length === 0) return [];
  const transitions = (pack.manifest.purchaseOrders?.transitions ?? {}) as Partial<Record<string, string[]>>;
  const completeSet = new Set(complete);
  // Only POs the pack lets move to Shipped from where they are need their facts read.
  const pos = (
    known
      ? known.pos.filter((p) => completeSet.has(p.id) && p.status !== 'Shipped')
      : await tx
          .select()
          .from(purchaseOrders)
          .where(and(anyOf(purchaseOrders.id, complete), ne(purchaseOrders.status, 'Shipped')))
  ).filter((p) => transitions[p.status]?.includes('Shipped'));
  if (pos.length === 0) return [];
  const orders = await loadOrders(tx, brandId, [...new Set(pos.map((p) => p.orderId))]);
  const moving = pos.filter(
    (po) =>
      checkPoStatusChange(pack, poFacts(pack, orders.get(po.orderId)!, po.id, ctx.now), {
        from: po.status,
        to: 'Shipped',
        actor: CASEBOOK,
      }).length === 0,
  );
  if (moving.length === 0) return [];
  const ids = moving.map((p) => p.id);
  await tx
    .update(purchaseOrders)
    .set({ status: 'Shipped', version: sql`${purchaseOrders.version} + 1`, updatedAt: ctx.now })
    .where(anyOf(purchaseOrders.id, ids));
  await insertPoStatusChanges(
    tx,
    brandId,
    ctx.now,
    moving.map((po) => ({
      poId: po.id,
      fromStatus: po.status,
      toStatus: 'Shipped',
      actorLabel: 'system:casebook',
      reason: 'every item of the PO has shipped',
    })),
  );
  await insertAuditEntries(
    tx,
    ctx,
    moving.map((po) => ({
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
    })),
  );
  return ids;
}
