import type { Pack } from '@casebook/core';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { tickets, workLogEntries } from '../db/schema';
import { insertEntry, updateEntry, type WorkLogEntryRow } from './ledger';

/**
 * Work Casebook logs by itself: time with a ticket open and active (heartbeats from the ticket
 * view) and counted actions (replies, notes, tracker records, approvals), each written in the
 * transaction of what it counts. Only people's work is logged; an integration's or Casebook's own
 * changes are not.
 */

/**
 * Ticket time: a heartbeat extends the person's latest entry on the ticket when the previous beat
 * was at most this long ago; after a longer gap the next beat starts a new entry, so a pause (the
 * tab hidden, the agent away) is never counted. The browser beats every 30 s while the tab is
 * visible and the agent has used keyboard or mouse within the last minute.
 */
export const TICKET_BEAT_GAP_SECONDS = 120;

type TicketFacts = Pick<typeof tickets.$inferSelect, 'id' | 'category' | 'channel' | 'queueId'>;

const timeZoneOf = (pack: Pack) => pack.manifest.calendar.timezone;

function userOf(ctx: RequestContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.userId : null;
}

async function ticketFacts(tx: Queryable, brandId: string, ticketId: string): Promise<TicketFacts | null> {
  const [row] = await tx
    .select({
      id: tickets.id,
      category: tickets.category,
      channel: tickets.channel,
      queueId: tickets.queueId,
    })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.brandId, brandId)));
  return row ?? null;
}

/**
 * Counts one action of the person making the request (a reply, a note, a tracker record, an
 * approval filed or decided) as a work log entry of no duration, with the ticket's category,
 * channel and queue when the action concerns a ticket.
 */
export async function logAction(
  tx: Queryable,
  ctx: RequestContext,
  input: {
    brandId: string;
    pack: Pack;
    source: 'reply' | 'note' | 'tracker' | 'approval';
    ticket?: TicketFacts | null | undefined;
    ticketId?: string | null | undefined;
  },
): Promise<WorkLogEntryRow | null> {
  const userId = userOf(ctx);
  if (!userId) return null;
  const ticket =
    input.ticket ?? (input.ticketId ? await ticketFacts(tx, input.brandId, input.ticketId) : null);
  return insertEntry(tx, timeZoneOf(input.pack), {
    brandId: input.brandId,
    userId,
    source: input.source,
    category: ticket?.category ?? null,
    ticketId: ticket?.id ?? null,
    channel: ticket?.channel ?? null,
    queueId: ticket?.queueId ?? null,
    startedAt: ctx.now,
    endedAt: ctx.now,
    seconds: 0,
  });
}

/**
 * A heartbeat from the ticket view: the person is on the ticket now (`ctx.now`, the server's
 * clock). Extends their latest unlocked entry on the ticket to now when its last beat is at most
 * `TICKET_BEAT_GAP_SECONDS` old, else starts a new entry at now. An entry's `ended_at` is always its
 * last beat and `seconds` the time from its first to its last beat, so an entry nobody extends any
 * more is already final: nothing needs to close it.
 */
export async function recordTicketActivity(
  tx: Queryable,
  ctx: RequestContext,
  input: { brandId: string; pack: Pack; userId: string; ticket: TicketFacts },
): Promise<WorkLogEntryRow> {
  const { userId, ticket } = input;
  // Two tabs beating at once must not open two entries.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`worklog:${userId}:${ticket.id}`}))`);
  const [latest] = await tx
    .select()
    .from(workLogEntries)
    .where(
      and(
        eq(workLogEntries.userId, userId),
        eq(workLogEntries.ticketId, ticket.id),
        eq(workLogEntries.source, 'ticket'),
        isNull(workLogEntries.lockedAt),
      ),
    )
    .orderBy(desc(workLogEntries.endedAt))
    .limit(1)
    .for('update');
  const now = ctx.now;
  const tz = timeZoneOf(input.pack);
  if (latest?.endedAt) {
    const sinceLastBeat = now.getTime() - latest.endedAt.getTime();
    if (sinceLastBeat >= 0 && sinceLastBeat <= TICKET_BEAT_GAP_SECONDS * 1000) {
      return updateEntry(
        tx,
        tz,
        latest,
        {
          endedAt: now,
          seconds: Math.max(latest.seconds, Math.round((now.getTime() - latest.startedAt.getTime()) / 1000)),
        },
        now,
      );
    }
  }
  const entry = await insertEntry(tx, tz, {
    brandId: input.brandId,
    userId,
    source: 'ticket',
    category: ticket.category,
    ticketId: ticket.id,
    channel: ticket.channel,
    queueId: ticket.queueId,
    startedAt: now,
    endedAt: now,
    seconds: 0,
  });
  // The start of a stretch of ticket time is audited; the beats that extend it are not.
  await audit(tx, ctx, {
    brandId: input.brandId,
    entityType: 'work_log_entry',
    entityId: entry.id,
    action: 'start_ticket_time',
    after: { ticketId: ticket.id, category: ticket.category, startedAt: now.toISOString() },
  });
  return entry;
}

/**
 * A ticket got a category (from the agent or the advice's `categorize` action): its work log
 * entries without one, that are not locked, take it.
 */
export async function categorizeTicketWork(
  tx: Queryable,
  ctx: RequestContext,
  input: { brandId: string; pack: Pack; ticketId: string; category: string | null },
): Promise<number> {
  if (!input.category) return 0;
  const rows = await tx
    .select()
    .from(workLogEntries)
    .where(
      and(
        eq(workLogEntries.brandId, input.brandId),
        eq(workLogEntries.ticketId, input.ticketId),
        isNull(workLogEntries.category),
        isNull(workLogEntries.lockedAt),
      ),
    )
    .for('update');
  for (const row of rows) {
    await updateEntry(tx, timeZoneOf(input.pack), row, { category: input.category }, ctx.now);
  }
  return rows.length;
}
