import { api } from './client';
import type {
  NewMessage,
  NewTicket,
  Presence,
  Ticket,
  TicketChanges,
  TicketCounts,
  TicketFilters,
  TicketPage,
} from './helpdeskTypes';

/** Tickets: the inbox list and counts, one ticket, its changes, messages, merges, splits and order links. */

type One<T> = { data: T };

const brandBase = (brandId: string) => `/brands/${encodeURIComponent(brandId)}`;
const ticketBase = (ticketId: string) => `/tickets/${encodeURIComponent(ticketId)}`;

/** One page of the brand's tickets; pass the previous page's `nextCursor` for the next one. */
export function listTickets(
  brandId: string,
  query: TicketFilters & { limit?: number; cursor?: string; customerId?: string },
  signal?: AbortSignal,
): Promise<TicketPage> {
  return api.get<TicketPage>(`${brandBase(brandId)}/tickets`, { query, signal });
}

/** How many tickets need work: per queue (with breaches), per status, mine and unassigned. */
export async function fetchTicketCounts(brandId: string, signal?: AbortSignal): Promise<TicketCounts> {
  return (await api.get<One<TicketCounts>>(`${brandBase(brandId)}/ticket-counts`, { signal })).data;
}

/** One ticket with its conversation, side conversations, orders, history and allowed actions. */
export async function fetchTicket(ticketId: string, signal?: AbortSignal): Promise<Ticket> {
  return (await api.get<One<Ticket>>(ticketBase(ticketId), { signal })).data;
}

/**
 * Changes a ticket's fields. Sends the version the page shows, so a change someone made meanwhile
 * is refused (409 `conflict` with `details.current`) rather than overwritten.
 */
export async function updateTicket(
  ticketId: string,
  changes: TicketChanges & { version: number },
): Promise<Ticket> {
  return (await api.patch<One<Ticket>>(ticketBase(ticketId), changes)).data;
}

/** Applies one change to many tickets, all or none. */
export async function bulkUpdateTickets(
  brandId: string,
  input: Omit<TicketChanges, 'tags' | 'category' | 'subject' | 'intentOverride'> & { ticketIds: string[] },
): Promise<{ updated: number }> {
  return (await api.post<One<{ updated: number }>>(`${brandBase(brandId)}/tickets/bulk`, input)).data;
}

/** Opens a ticket (used by integrations, and by agents logging a call). */
export async function createTicket(input: NewTicket): Promise<Ticket> {
  return (await api.post<One<Ticket>>('/tickets', input)).data;
}

/** A public reply (mailed to the customer) or an internal note, optionally setting the status too. */
export async function addMessage(ticketId: string, input: NewMessage): Promise<Ticket> {
  return (await api.post<One<Ticket>>(`${ticketBase(ticketId)}/messages`, input)).data;
}

/** Merges this ticket into another of the same customer; returns the surviving ticket. */
export async function mergeTicket(
  ticketId: string,
  input: { intoTicketId: string; version?: number },
): Promise<Ticket> {
  return (await api.post<One<Ticket>>(`${ticketBase(ticketId)}/merge`, input)).data;
}

/** Moves one message out into a new ticket; returns the new ticket. */
export async function splitTicket(ticketId: string, messageId: string): Promise<Ticket> {
  return (await api.post<One<Ticket>>(`${ticketBase(ticketId)}/split`, { messageId })).data;
}

/** Links one of the brand's orders by its number. */
export async function linkOrder(ticketId: string, orderNumber: string): Promise<Ticket> {
  return (await api.post<One<Ticket>>(`${ticketBase(ticketId)}/orders`, { orderNumber })).data;
}

/** Removes an order link. */
export async function unlinkOrder(ticketId: string, orderId: string): Promise<Ticket> {
  return (await api.delete<One<Ticket>>(`${ticketBase(ticketId)}/orders/${encodeURIComponent(orderId)}`))
    .data;
}

/**
 * Says the caller is viewing or replying to the ticket, or has left, and returns who else is
 * there. `keepalive` lets the "left" call finish while the page unloads.
 */
export async function postPresence(
  ticketId: string,
  mode: 'viewing' | 'replying' | 'left',
  options: { keepalive?: boolean } = {},
): Promise<Presence[]> {
  const body = await api.post<One<Presence[]>>(`${ticketBase(ticketId)}/presence`, { mode }, options);
  return body.data;
}

/** Who else is viewing or replying to the ticket right now. */
export async function fetchPresence(ticketId: string, signal?: AbortSignal): Promise<Presence[]> {
  return (await api.get<One<Presence[]>>(`${ticketBase(ticketId)}/presence`, { signal })).data;
}

/** Where an attachment downloads from (always as a download, never shown in the app's origin). */
export function attachmentUrl(attachmentId: string): string {
  return `/api/v1/attachments/${encodeURIComponent(attachmentId)}`;
}
