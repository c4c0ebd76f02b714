import type { Pack } from '@casebook/core';
import { sql } from 'drizzle-orm';
import type { AuditEntry } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { shipCompletedPurchaseOrders } from '../orders/autoShip';
import { insertAuditEntries, insertShipments } from './bulk';
import {
  checkRows,
  loadTrackingState,
  parseTrackingCsv,
  type TrackingPreview,
  type TrackingRow,
} from './trackingCsv';

export type TrackingApplyResult = TrackingPreview & { shipments: number; autoShipped: number };

/**
 * Applies the valid rows of a tracking file in one transaction: one shipment per PO and tracking
 * number, shipping what is left of each SKU, then Shipped for every PO that is now complete (each
 * through the pack's transitions and guardrails). The file is checked again first with its POs
 * locked, so rows that became invalid since the preview are skipped and reported, and rows
 * imported before add nothing. Set-based: a fixed number of statements, whatever the file's size.
 */
export async function applyTrackingImport(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  text: string,
): Promise<TrackingApplyResult> {
  return applyTrackingRows(tx, ctx, brandId, pack, parseTrackingCsv(text));
}

/** `applyTrackingImport` on rows already parsed (a batch of a larger file, for instance). */
export async function applyTrackingRows(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  parsed: { rows: TrackingRow[]; problems: TrackingPreview['problems'] },
): Promise<TrackingApplyResult> {
  const state = await loadTrackingState(tx, brandId, parsed.rows, { lock: true });
  const preview = checkRows(parsed, state);
  const groups = new Map<string, TrackingPreview['valid']>();
  for (const row of preview.valid) {
    const key = `${row.poId}\u0000${row.trackingNumber}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  if (groups.size === 0) return { ...preview, shipments: 0, autoShipped: 0 };

  const lineOf = new Map(state.lines.map((l) => [`${l.poId}\u0000${l.sku}`, l]));
  const created = await insertShipments(
    tx,
    brandId,
    ctx.now,
    [...groups.values()].map((rows) => ({
      poId: rows[0]!.poId,
      carrier: rows[0]!.carrier || null,
      trackingNumber: rows[0]!.trackingNumber,
    })),
  );
  // A file without quantities ships all that is left of each line it names.
  const shipped = preview.valid.map((r) => lineOf.get(`${r.poId}\u0000${r.sku}`)!);
  await tx.execute(
    sql`update po_items set shipped_qty = qty where id = any(${sql.param(shipped.map((l) => l.id))}::uuid[])`,
  );
  const quantities = new Map(shipped.map((l) => [l.id, l.qty - l.shippedQty]));
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
          return { sku: r.sku, qty: quantities.get(line.id)! };
        }),
        source: 'tracking import',
        row: rows.map((r) => r.row),
      },
    };
  });
  await insertAuditEntries(tx, ctx, entries);
  for (const line of shipped) line.shippedQty = line.qty;
  const moved = await shipCompletedPurchaseOrders(
    tx,
    ctx,
    brandId,
    pack,
    state.pos.map((p) => p.id),
    state,
  );
  return { ...preview, shipments: created.length, autoShipped: moved.length };
}
