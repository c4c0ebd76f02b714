import type { Pack } from '@casebook/core';
import { eq } from 'drizzle-orm';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { poItems } from '../db/schema';
import { previewTrackingImport, type TrackingPreview } from '../imports/trackingCsv';
import { addShipment } from './addShipment';

/**
 * Applies the valid rows of a tracking file in one transaction: one shipment per PO and tracking
 * number, shipping what is left of each SKU. The file is checked again first, so rows that became
 * invalid since the preview are skipped and reported; rows imported before add nothing.
 */
export async function applyTrackingImport(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  text: string,
): Promise<TrackingPreview & { shipments: number; autoShipped: number }> {
  const preview = await previewTrackingImport(tx, brandId, text);
  const groups = new Map<string, TrackingPreview['valid']>();
  for (const row of preview.valid) {
    const key = `${row.poId}\u0000${row.trackingNumber}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  let autoShipped = 0;
  for (const rows of groups.values()) {
    const lines = await tx.select().from(poItems).where(eq(poItems.poId, rows[0]!.poId));
    const items = [...new Set(rows.map((r) => r.sku))].map((sku) => {
      const line = lines.find((l) => l.sku === sku)!;
      return { sku, qty: line.qty - line.shippedQty };
    });
    const result = await addShipment(tx, ctx, brandId, pack, rows[0]!.poId, {
      carrier: rows[0]!.carrier || undefined,
      trackingNumber: rows[0]!.trackingNumber,
      items: items.filter((i) => i.qty > 0),
    });
    if (result.autoShipped) autoShipped++;
  }
  return { ...preview, shipments: groups.size, autoShipped };
}
