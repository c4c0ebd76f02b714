import type { TRACKING_STATUSES } from '@casebook/core';
import { and, eq, inArray } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { shipments, trackingEvents } from '../db/schema';

export type TrackingEventInput = {
  id: string;
  trackingNumber: string;
  status: (typeof TRACKING_STATUSES)[number];
  at: string;
  description?: string | undefined;
  returnReason?: 'customer_error' | 'carrier_error' | 'vendor_error' | 'unknown' | undefined;
};

export type IngestReport = { stored: number; duplicates: string[]; unknownTrackingNumbers: string[] };

/**
 * Stores tracking events for a brand's shipments, once each: an event id already stored is a
 * duplicate (a replayed delivery), and an event for a tracking number the brand does not have is
 * reported, not stored. A `returned` event with a reason marks the shipment returned to sender.
 */
export async function ingestTrackingEvents(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  events: TrackingEventInput[],
): Promise<IngestReport> {
  const numbers = [...new Set(events.map((e) => e.trackingNumber))];
  const known = numbers.length
    ? await tx
        .select({ id: shipments.id, trackingNumber: shipments.trackingNumber })
        .from(shipments)
        .where(and(eq(shipments.brandId, brandId), inArray(shipments.trackingNumber, numbers)))
    : [];
  const shipmentOf = new Map(known.map((s) => [s.trackingNumber, s.id]));
  const unknownTrackingNumbers = numbers.filter((n) => !shipmentOf.has(n));
  const rows = events
    .filter((e) => shipmentOf.has(e.trackingNumber))
    .map((e) => ({
      brandId,
      shipmentId: shipmentOf.get(e.trackingNumber)!,
      at: new Date(e.at),
      status: e.status,
      description: e.description ?? null,
      externalId: e.id,
      receivedAt: ctx.now,
    }));
  const stored = rows.length
    ? await tx
        .insert(trackingEvents)
        .values(rows)
        .onConflictDoNothing()
        .returning({ externalId: trackingEvents.externalId })
    : [];
  const storedIds = new Set(stored.map((s) => s.externalId));
  for (const e of events) {
    if (e.status === 'returned' && e.returnReason && storedIds.has(e.id)) {
      await tx
        .update(shipments)
        .set({ returnedToSenderReason: e.returnReason })
        .where(eq(shipments.id, shipmentOf.get(e.trackingNumber)!));
    }
  }
  if (stored.length) {
    await audit(tx, ctx, {
      brandId,
      entityType: 'tracking_events',
      entityId: numbers.join(',').slice(0, 200),
      action: 'ingest',
      after: { stored: stored.length, events: [...storedIds] },
    });
  }
  return {
    stored: stored.length,
    duplicates: rows.filter((r) => !storedIds.has(r.externalId)).map((r) => r.externalId),
    unknownTrackingNumbers,
  };
}
