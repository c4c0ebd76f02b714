import type { Priority, TicketSummary } from '../api/helpdeskTypes';

/**
 * How ticket values read in the app. Statuses come from the brand's pack; the API returns their
 * names only, so the titles of Casebook's default statuses are known here and any other name is
 * shown tidied up ("waiting_on_bank" → "Waiting on bank").
 */

const DEFAULT_STATUS_TITLES: Record<string, string> = {
  open: 'Open',
  pending: 'Pending on customer',
  on_hold_vendor: 'On hold – vendor',
  on_hold_supplier: 'On hold – supplier',
  solved: 'Solved',
  closed: 'Closed',
};

/** The statuses every brand has unless its pack names its own, in workflow order. */
export const DEFAULT_STATUSES = Object.keys(DEFAULT_STATUS_TITLES);

/** A machine name as words: `on_hold_vendor` → "On hold vendor". */
export function humanize(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

export function statusLabel(status: string): string {
  return DEFAULT_STATUS_TITLES[status] ?? humanize(status);
}

/** The tone of a status badge: open work stands out, waiting is muted, done is green. */
export function statusTone(status: string): 'info' | 'warn' | 'ok' | 'neutral' {
  if (status === 'open' || status === 'new') return 'info';
  if (status.startsWith('on_hold') || status === 'pending') return 'warn';
  if (status === 'solved' || status === 'closed') return 'ok';
  return 'neutral';
}

export const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

export function priorityLabel(priority: string): string {
  return humanize(priority);
}

const CHANNELS: Record<string, string> = {
  email: 'Email',
  web_form: 'Web form',
  api: 'API',
  chat: 'Chat',
  phone: 'Phone',
  social: 'Social',
  marketplace: 'Marketplace',
};

export function channelLabel(channel: string): string {
  return CHANNELS[channel] ?? humanize(channel);
}

/** The customer as one short line: their name, else their address, else a dash. */
export function customerLabel(customer: TicketSummary['customer']): string {
  return customer?.name || customer?.email || '—';
}

/** "#1042", the way people quote a ticket. */
export function ticketNumber(ticket: { number: number }): string {
  return `#${ticket.number}`;
}
