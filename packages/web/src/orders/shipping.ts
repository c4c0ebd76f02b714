import type { PurchaseOrder } from '../api/types';

/** A PO line still to ship: neither canceled nor fully shipped, with how many are left. */
export type RemainingLine = { sku: string; remaining: number };

/** The lines of a PO that can still go in a shipment, in the PO's order. */
export function remainingToShip(po: PurchaseOrder): RemainingLine[] {
  return po.items
    .filter((line) => !line.canceled && line.shippedQty < line.qty)
    .map((line) => ({ sku: line.sku, remaining: line.qty - line.shippedQty }));
}
