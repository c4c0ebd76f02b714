import { actorLabel, type RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { notify } from '../db/notify';
import { ticketEvents } from '../db/schema';

/** The channel live updates travel on; listeners in every app instance receive them on commit. */
export const TICKETS_CHANNEL = 'casebook_tickets';

export type TicketChange = { brandId: string; ticketId: string; kind: string; version?: number };

/**
 * Adds an entry to the ticket's history and tells every app instance the ticket changed (delivered
 * when the transaction commits, so nobody hears of a change that was rolled back).
 */
export async function recordEvent(
  tx: Queryable,
  ctx: RequestContext,
  ticket: { id: string; brandId: string; version?: number },
  kind: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await tx.insert(ticketEvents).values({
    brandId: ticket.brandId,
    ticketId: ticket.id,
    kind,
    actorLabel: actorLabel(ctx.actor),
    data,
    at: ctx.now,
  });
  await announce(tx, { brandId: ticket.brandId, ticketId: ticket.id, kind, version: ticket.version });
}

export async function announce(tx: Queryable, change: TicketChange): Promise<void> {
  await notify(tx, TICKETS_CHANNEL, JSON.stringify(change));
}
