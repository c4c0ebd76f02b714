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

/**
 * Announces changes that have committed already (a ticket opened through the API), to every app
 * instance. Announcements gather for ANNOUNCE_AFTER_MS (and while one is on its way) and go
 * together in one statement, so a burst of openings costs a handful of round trips rather than one
 * each, for a few milliseconds of delay on the live views. Delivery is best effort: an error is
 * reported and the change stays as it is.
 */
export function announceCommitted(
  db: Queryable,
  change: TicketChange,
  onError: (error: unknown) => void,
): void {
  let queue = pending.get(db);
  if (!queue) {
    queue = { waiting: [], sending: false };
    pending.set(db, queue);
  }
  queue.waiting.push(JSON.stringify(change));
  if (queue.sending || queue.timer) return;
  queue.timer = setTimeout(() => {
    queue.timer = undefined;
    void flush(db, queue, onError);
  }, ANNOUNCE_AFTER_MS);
  queue.timer.unref();
}

const ANNOUNCE_AFTER_MS = 25;

type Pending = { waiting: string[]; sending: boolean; timer?: NodeJS.Timeout | undefined };
const pending = new WeakMap<object, Pending>();

async function flush(db: Queryable, queue: Pending, onError: (error: unknown) => void): Promise<void> {
  queue.sending = true;
  while (queue.waiting.length > 0) {
    const payloads = queue.waiting.splice(0, 500);
    try {
      await db.execute(
        sql`select pg_notify(${TICKETS_CHANNEL}, payload) from unnest(${sql.param(payloads)}::text[]) as payload`,
      );
    } catch (error) {
      onError(error);
    }
  }
  queue.sending = false;
}
