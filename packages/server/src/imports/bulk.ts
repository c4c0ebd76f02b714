import { sql } from 'drizzle-orm';
import type { AuditEntry } from '../audit';
import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';

/**
 * Set-based inserts for bulk imports: every row of a batch travels as one JSON parameter and
 * PostgreSQL expands it with `jsonb_to_recordset`, so 5,000 rows are one statement with one
 * parameter instead of 5,000 × columns parameters (the same SQL on the embedded database).
 */
const BATCH = 10_000;

async function inBatches<T, R>(rows: T[], run: (batch: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(...(await run(rows.slice(i, i + BATCH))));
  return out;
}

const rowsOf = <R>(result: unknown) => (result as { rows: R[] }).rows;

/** Inserts shipments; returns each new shipment's id with its PO and tracking number. */
export function insertShipments(
  tx: Queryable,
  brandId: string,
  now: Date,
  rows: { poId: string; carrier: string | null; trackingNumber: string }[],
): Promise<{ id: string; poId: string; trackingNumber: string }[]> {
  return inBatches(rows, async (batch) => {
    const json = JSON.stringify(
      batch.map((r) => ({ po_id: r.poId, carrier: r.carrier, tracking_number: r.trackingNumber })),
    );
    const result = await tx.execute(sql`
      insert into shipments (brand_id, po_id, carrier, tracking_number, created_at)
      select ${brandId}::uuid, x.po_id, x.carrier, x.tracking_number, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x(po_id uuid, carrier text, tracking_number text)
      returning id, po_id, tracking_number`);
    return rowsOf<{ id: string; po_id: string; tracking_number: string }>(result).map((r) => ({
      id: r.id,
      poId: r.po_id,
      trackingNumber: r.tracking_number,
    }));
  });
}

/** Records PO status changes (the PO history), one row each. */
export async function insertPoStatusChanges(
  tx: Queryable,
  brandId: string,
  now: Date,
  rows: {
    poId: string;
    fromStatus: string | null;
    toStatus: string;
    actorLabel: string;
    reason: string | null;
  }[],
): Promise<void> {
  await inBatches(rows, async (batch) => {
    const json = JSON.stringify(
      batch.map((r) => ({
        po_id: r.poId,
        from_status: r.fromStatus,
        to_status: r.toStatus,
        actor_label: r.actorLabel,
        reason: r.reason,
      })),
    );
    await tx.execute(sql`
      insert into po_status_changes (brand_id, po_id, from_status, to_status, actor_label, reason, at)
      select ${brandId}::uuid, x.po_id, x.from_status, x.to_status, x.actor_label, x.reason, ${now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb)
        as x(po_id uuid, from_status text, to_status text, actor_label text, reason text)`);
    return [];
  });
}

/**
 * Writes audit entries of one request in one statement per 10,000: the same rows `auditMany`
 * writes (actor, entity, before/after, request id, time), for imports whose entries carry no
 * secrets (order, shipment and PO snapshots).
 */
export async function insertAuditEntries(
  tx: Queryable,
  ctx: RequestContext,
  entries: AuditEntry[],
): Promise<void> {
  const actor = ctx.actor;
  const actorId = actor.kind === 'user' ? actor.userId : actor.kind === 'api_token' ? actor.tokenId : null;
  await inBatches(entries, async (batch) => {
    const json = JSON.stringify(
      batch.map((e) => ({
        brand_id: e.brandId,
        entity_type: e.entityType,
        entity_id: e.entityId,
        action: e.action,
        before: e.before ?? null,
        after: e.after ?? null,
      })),
    );
    await tx.execute(sql`
      insert into audit_log
        (brand_id, actor_type, actor_id, actor_label, entity_type, entity_id, action, before, after, request_id, at)
      select x.brand_id, ${actor.kind}, ${actorId}::uuid, ${actorLabel(actor)}, x.entity_type, x.entity_id,
        x.action, x.before, x.after, ${ctx.requestId ?? null}, ${ctx.now.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb)
        as x(brand_id uuid, entity_type text, entity_id text, action text, before jsonb, after jsonb)`);
    return [];
  });
}
