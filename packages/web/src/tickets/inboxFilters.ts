import type { SavedView, TicketSort } from '../api/helpdeskTypes';

/**
 * The inbox's filters live in the URL (`?assignee=me&sort=sla`), so a view can be bookmarked,
 * shared and reopened with the back button. Empty means "any"; the default status filter is every
 * status that still needs work.
 */
export type InboxFilters = { status: string; queue: string; assignee: string; tag: string; sort: TicketSort };

export const NO_FILTERS: InboxFilters = { status: '', queue: '', assignee: '', tag: '', sort: 'sla' };

const SORTS: TicketSort[] = ['sla', 'updated', 'created'];

export const SORT_LABELS: Record<TicketSort, string> = {
  sla: 'SLA due first',
  updated: 'Recently updated',
  created: 'Newest first',
};

export function filtersFromSearch(params: URLSearchParams): InboxFilters {
  const sort = params.get('sort') as TicketSort | null;
  return {
    status: params.get('status') ?? '',
    queue: params.get('queue') ?? '',
    assignee: params.get('assignee') ?? '',
    tag: params.get('tag') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'sla',
  };
}

/**
 * The query string for filters, leaving out what is empty or the default; `q` is the full-text
 * search, which is not a filter (views do not save it).
 */
export function searchFromFilters(filters: InboxFilters, q = ''): string {
  const params = new URLSearchParams();
  for (const key of ['status', 'queue', 'assignee', 'tag'] as const) {
    if (filters[key]) params.set(key, filters[key]);
  }
  if (filters.sort !== 'sla') params.set('sort', filters.sort);
  if (q) params.set('q', q);
  const search = params.toString();
  return search ? `?${search}` : '';
}

export function sameFilters(a: InboxFilters, b: InboxFilters): boolean {
  return searchFromFilters(a) === searchFromFilters(b);
}

/** A saved view's filters as inbox filters. */
export function viewFilters(view: SavedView): InboxFilters {
  const sort = view.sort as TicketSort;
  return {
    status: view.filters.status ?? '',
    queue: view.filters.queue ?? '',
    assignee: view.filters.assignee ?? '',
    tag: view.filters.tag ?? '',
    sort: SORTS.includes(sort) ? sort : 'sla',
  };
}

/** The views every agent has: everything that needs work, their own tickets, and nobody's. */
export const BUILT_IN_VIEWS: { id: 'all' | 'mine' | 'unassigned'; label: string; filters: InboxFilters }[] = [
  { id: 'all', label: 'All open', filters: NO_FILTERS },
  { id: 'mine', label: 'Mine', filters: { ...NO_FILTERS, assignee: 'me' } },
  { id: 'unassigned', label: 'Unassigned', filters: { ...NO_FILTERS, assignee: 'none' } },
];
