/**
 * The ticket list the agent last looked at, so the ticket view can move to the next or previous
 * ticket (`j`/`k`) and "← Inbox" returns to the same filters. Kept in sessionStorage: it survives
 * a reload of the ticket page but stays with this tab.
 */

const KEY = 'casebook.inboxList';

export type InboxList = { brandId: string; search: string; ticketIds: string[] };

export function rememberInboxList(list: InboxList): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage may be full or disabled; j/k then simply has no list to follow.
  }
}

export function recalledInboxList(brandId: string): InboxList | null {
  try {
    const list = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as InboxList | null;
    return list && list.brandId === brandId && Array.isArray(list.ticketIds) ? list : null;
  } catch {
    return null;
  }
}

/** The ticket after (`step` 1) or before (`step` -1) this one in the remembered list. */
export function neighbourTicket(list: InboxList | null, ticketId: string, step: 1 | -1): string | null {
  if (!list) return null;
  const index = list.ticketIds.indexOf(ticketId);
  if (index < 0) return null;
  return list.ticketIds[index + step] ?? null;
}
