import { approvalSteps, type Pack } from '@casebook/core';
import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { approvalEvents } from '../db/schema';
import type { BrandAccess } from '../policies';
import { type ApprovalRow, allowedSteps } from './service';

export function presentApproval(pack: Pack, access: BrandAccess, row: ApprovalRow) {
  const def = pack.manifest.approvals[row.type];
  const userId = access.actor.kind === 'user' ? access.actor.userId : null;
  return {
    id: row.id,
    brandId: row.brandId,
    type: row.type,
    typeTitle: def?.title ?? row.type,
    state: row.state,
    // In the pack's field order (the database keeps JSON keys in its own order).
    fields: def
      ? Object.fromEntries(
          Object.keys(def.fields)
            .filter((k) => Object.hasOwn(row.fields, k))
            .map((k) => [k, row.fields[k]]),
        )
      : row.fields,
    ticketId: row.ticketId,
    parentId: row.parentId,
    requestedBy: { id: row.requestedBy, name: row.requestedByName },
    decidedBy: row.decidedByName ? { id: row.decidedBy, name: row.decidedByName } : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    steps: def
      ? Object.entries(approvalSteps(def)).map(([name, s]) => ({
          name,
          title: s.title,
          note: s.note,
        }))
      : [],
    allowed: allowedSteps(pack, access, row, userId),
  };
}

export async function approvalHistory(db: Queryable, id: string) {
  const rows = await db
    .select()
    .from(approvalEvents)
    .where(eq(approvalEvents.requestId, id))
    .orderBy(asc(approvalEvents.id));
  return rows.map((e) => ({
    action: e.action,
    from: e.fromState,
    to: e.toState,
    by: e.actorName,
    note: e.note,
    data: e.data,
    at: e.at.toISOString(),
  }));
}
