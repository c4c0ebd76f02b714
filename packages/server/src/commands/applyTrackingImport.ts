import type { Pack } from '@casebook/core';
import { and, eq, inArray } from 'drizzle-orm';
import { type AuditEntry, auditMany } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { poItems, purchaseOrders, shipments } from '../db/schema';
import { checkTrackingRows, parseTrackingCsv, type TrackingPreview } from '../imports/trackingCsv';
import { shipCompletedPurchaseOrders } from '../orders/autoShip';

const CHUNK = 1000;

/**
 * Applies the valid rows of a tracking file in one transaction: one shipment per PO and tracking
 * number, shipping what is left of each SKU, then Shipped for every PO that is now complete. The
 * file is checked again first, so rows that became invalid since the preview are skipped and
 * reported, and rows imported before add nothing. Set-based: a few queries per thousand rows.
 */
export async function applyTrackingImport(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  text: string,
): Promise<TrackingPreview & { shipments: number; autoShipped: number }> {
  const parsed = parseTrackingCsv(text);
  const poIds = await lockPurchaseOrders(tx, brandId, [...new Set(parsed.rows.map((r) => r.po))]);
  const preview = await checkTrackingRows(tx, brandId, parsed);
  const groups = new Map<string, TrackingPreview['valid']>();
  for (const row of preview.valid) {
    const key = `${row.poId}\u0000${row.trackingNumber}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  if (groups.size === 0) return { ...preview, shipments: 0, autoShipped: 0 };

  const lines = await inChunks([...new Set(preview.valid.map((r) => r.poId))], (ids) =>
    tx.select().from(poItems).where(inArray(poItems.poId, ids)),
  );
  const lineOf = new Map(lines.map((l) => [`${l.poId}\u0000${l.sku}`, l]));
  const created = await inChunks([...groups.values()], (chunk) =>
    tx
      .insert(shipments)
      .values(
        chunk.map((rows) => ({
          brandId,
          poId: rows[0]!.poId,
          carrier: rows[0]!.carrier || null,
          trackingNumber: rows[0]!.trackingNumber,
          createdAt: ctx.now,
        })),
      )
      .returning({ id: shipments.id, poId: shipments.poId, trackingNumber: shipments.trackingNumber }),
  );
  // A file without quantities ships all that is left of each line it names.
  const shippedLines = preview.valid.map((r) => lineOf.get(`${r.poId}\u0000${r.sku}`)!);
  await inChunks(
    shippedLines.map((l) => l.id),
    async (ids) => {
      await tx.update(poItems).set({ shippedQty: poItems.qty }).where(inArray(poItems.id, ids));
      return [];
    },
  );
  const entries: AuditEntry[] = created.map((s) => {
    const rows = groups.get(`${s.poId}\u0000${s.trackingNumber}`)!;
    return {
      brandId,
      entityType: 'shipment',
      entityId: s.id,
      action: 'create',
      after: {
        po: rows[0]!.po,
        carrier: rows[0]!.carrier || null,
        trackingNumber: s.trackingNumber,
        items: rows.map((r) => {
          const line = lineOf.get(`${r.poId}\u0000${r.sku}`)!;
          return { sku: r.sku, qty: line.qty - line.shippedQty };
        }),
        source: 'tracking import',
      },
    };
  });
  await auditMany(tx, ctx, entries);
  const moved = await shipCompletedPurchaseOrders(tx, ctx, brandId, pack, poIds);
  return { ...preview, shipments: created.length, autoShipped: moved.length };
}

/** Locks the brand's POs the file names, so two imports of overlapping files run one after the other. */
async function lockPurchaseOrders(tx: Queryable, brandId: string, numbers: string[]): Promise<string[]> {
  const rows = await inChunks(numbers, (chunk) =>
    tx
      .select({ id: purchaseOrders.id })
      .from(purchaseOrders)
      .where(and(eq(purchaseOrders.brandId, brandId), inArray(purchaseOrders.number, chunk)))
      .for('update'),
  );
  return rows.map((r) => r.id);
}

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}
