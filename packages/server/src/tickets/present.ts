import { type Pack, ticketWorkflow } from '@casebook/core';
import { asc, eq, getTableColumns } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import {
  attachments,
  customers,
  messages,
  orders,
  queues,
  sideConversations,
  ticketEvents,
  ticketOrders,
  tickets,
  users,
} from '../db/schema';
import { type BrandAccess, can } from '../policies';

type TicketRow = typeof tickets.$inferSelect;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The actions the caller may take on a ticket, so the UI shows only those. */
export function ticketActions(access: BrandAccess, ticket: TicketRow, pack: Pack): string[] {
  if (!can(access, 'tickets.work') || ticket.mergedIntoId) return [];
  const closed = ticketWorkflow(pack).category(ticket.status) === 'closed';
  return closed ? ['note'] : ['update', 'reply', 'note', 'merge', 'split', 'link_order', 'side_conversation'];
}

/** A ticket as lists show it. */
export function presentTicketSummary(
  row: TicketRow,
  extra: {
    customer?: { name: string | null; email: string | null } | null;
    queue?: string | null;
    assignee?: string | null;
  },
) {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    channel: row.channel,
    tags: row.tags,
    category: row.category,
    queue: extra.queue ?? null,
    assignee: row.assigneeId ? { id: row.assigneeId, name: extra.assignee ?? null } : null,
    customer: extra.customer ?? null,
    sla: { dueAt: iso(row.slaDueAt), state: row.slaState },
    mergedIntoId: row.mergedIntoId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Everything the ticket view needs, in a handful of queries run side by side. */
export async function presentTicket(db: Queryable, access: BrandAccess, pack: Pack, ticket: TicketRow) {
  return presentTicketView(access, pack, ticket, await loadTicketView(db, ticket));
}

type MessageRow = Omit<typeof messages.$inferSelect, 'search'>;

/** What the ticket view shows beside the ticket row. */
export type TicketViewParts = {
  people:
    | {
        customerName: string | null;
        customerEmail: string | null;
        queue: string | null;
        assignee: string | null;
      }
    | undefined;
  messageRows: MessageRow[];
  files: { id: string; messageId: string; filename: string; contentType: string; size: number }[];
  sides: (typeof sideConversations.$inferSelect)[];
  events: { kind: string; actorLabel: string; data: unknown; at: Date }[];
  linked: { id: string; number: string; channel: string; placedAt: Date; linkedBy: 'auto' | 'user' }[];
};

/** Message columns but the search vector, which only search reads. */
const { search: _search, ...messageColumns } = getTableColumns(messages);

async function loadTicketView(db: Queryable, ticket: TicketRow): Promise<TicketViewParts> {
  const [people, messageRows, files, sides, events, linked] = await Promise.all([
    db
      .select({
        customerName: customers.name,
        customerEmail: customers.email,
        queue: queues.name,
        assignee: users.name,
      })
      .from(tickets)
      .leftJoin(customers, eq(customers.id, tickets.customerId))
      .leftJoin(queues, eq(queues.id, tickets.queueId))
      .leftJoin(users, eq(users.id, tickets.assigneeId))
      .where(eq(tickets.id, ticket.id)),
    db
      .select(messageColumns)
      .from(messages)
      .where(eq(messages.ticketId, ticket.id))
      .orderBy(asc(messages.createdAt), asc(messages.seq)),
    db
      .select({
        id: attachments.id,
        messageId: attachments.messageId,
        filename: attachments.filename,
        contentType: attachments.contentType,
        size: attachments.size,
      })
      .from(attachments)
      .innerJoin(messages, eq(messages.id, attachments.messageId))
      .where(eq(messages.ticketId, ticket.id)),
    db
      .select()
      .from(sideConversations)
      .where(eq(sideConversations.ticketId, ticket.id))
      .orderBy(asc(sideConversations.createdAt)),
    db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, ticket.id)).orderBy(asc(ticketEvents.id)),
    db
      .select({
        id: orders.id,
        number: orders.number,
        channel: orders.channel,
        placedAt: orders.placedAt,
        linkedBy: ticketOrders.linkedBy,
      })
      .from(ticketOrders)
      .innerJoin(orders, eq(orders.id, ticketOrders.orderId))
      .where(eq(ticketOrders.ticketId, ticket.id))
      .orderBy(asc(orders.placedAt)),
  ]);
  return { people: people[0], messageRows, files, sides, events, linked };
}

/**
 * The ticket view from its parts: loaded by `presentTicket`, or held already by the command that
 * just wrote them (a new ticket), which saves reading back what it wrote.
 */
export function presentTicketView(
  access: BrandAccess,
  pack: Pack,
  ticket: TicketRow,
  { people: p, messageRows, files, sides, events, linked }: TicketViewParts,
) {
  const customerRow = ticket.customerId && p ? { name: p.customerName, email: p.customerEmail } : undefined;
  const queueRow = p?.queue ? { name: p.queue } : undefined;
  const assigneeRow = p?.assignee ? { name: p.assignee } : undefined;
  const workflow = ticketWorkflow(pack);
  const presentMessage = (m: (typeof messageRows)[number]) => ({
    id: m.id,
    kind: m.kind,
    direction: m.direction,
    authorType: m.authorType,
    from: { name: m.fromName, address: m.fromAddress },
    to: m.toAddresses,
    subject: m.subject,
    bodyText: m.bodyText,
    bodyHtml: m.bodyHtml,
    deliveryState: m.deliveryState,
    macro: m.macroName,
    sideConversationId: m.sideConversationId,
    movedFromTicketId: m.movedFromTicketId,
    attachments: files
      .filter((f) => f.messageId === m.id)
      .map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, size: f.size })),
    createdAt: m.createdAt.toISOString(),
  });
  return {
    ...presentTicketSummary(ticket, {
      customer: customerRow ? { name: customerRow.name, email: customerRow.email } : null,
      queue: queueRow?.name ?? null,
      assignee: assigneeRow?.name ?? null,
    }),
    brandId: ticket.brandId,
    customerId: ticket.customerId,
    intentOverride: ticket.intentOverride,
    sla: {
      dueAt: iso(ticket.slaDueAt),
      state: ticket.slaState,
      firstResponseDueAt: iso(ticket.firstResponseDueAt),
      nextResponseDueAt: iso(ticket.nextResponseDueAt),
      resolutionDueAt: iso(ticket.resolutionDueAt),
    },
    statusCategory: workflow.category(ticket.status) ?? 'open',
    nextStatuses: workflow.next(ticket.status),
    messages: messageRows.filter((m) => !m.sideConversationId).map(presentMessage),
    sideConversations: sides.map((s) => ({
      id: s.id,
      with: s.withKind,
      to: s.toAddress,
      subject: s.subject,
      status: s.status,
      createdBy: s.createdBy,
      createdAt: s.createdAt.toISOString(),
      messages: messageRows.filter((m) => m.sideConversationId === s.id).map(presentMessage),
    })),
    orders: linked.map((o) => ({
      id: o.id,
      number: o.number,
      channel: o.channel,
      placedAt: o.placedAt.toISOString(),
      linkedBy: o.linkedBy,
    })),
    history: events.map((e) => ({
      kind: e.kind,
      by: e.actorLabel,
      data: e.data as Record<string, unknown>,
      at: e.at.toISOString(),
    })),
    allowed: ticketActions(access, ticket, pack),
  };
}
