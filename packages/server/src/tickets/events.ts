import { sql } from 'drizzle-orm';
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
  const change: TicketChange = {
    brandId: ticket.brandId,
    ticketId: ticket.id,
    kind,
    version: ticket.version,
  };
  // One round trip: the history row and the notification together.
  await tx.execute(sql`
    with event as (
      insert into ${ticketEvents} (brand_id, ticket_id, kind, actor_label, data, at)
      values (${ticket.brandId}, ${ticket.id}, ${kind}, ${actorLabel(ctx.actor)}, ${JSON.stringify(data)}::jsonb, ${ctx.now})
      returning 1
    )
    select pg_notify(${TICKETS_CHANNEL}, ${JSON.stringify(change)}) from event`);
}

export async function announce(tx: Queryable, change: TicketChange): Promise<void> {
  await notify(tx, TICKETS_CHANNEL, JSON.stringify(change));
}
