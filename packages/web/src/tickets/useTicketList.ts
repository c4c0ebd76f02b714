import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketSummary } from '../api/helpdeskTypes';
import { listTickets } from '../api/tickets';
import type { InboxFilters } from './inboxFilters';

export const PAGE_SIZE = 50;
/** The most a refresh loads in one request (the API's limit). */
const MAX_REFRESH = 200;

export type TicketList = {
  rows: TicketSummary[] | undefined;
  error: unknown;
  loading: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: unknown;
  loadMore(): void;
  /** Loads the rows shown again (as many as are loaded now), e.g. after a live change. */
  refresh(): void;
};

/**
 * The inbox's rows for a set of filters: the first page, "Load more" with the API's keyset
 * cursor, and refreshes that keep the number of loaded rows so the list does not jump back to one
 * page when a ticket changes. A response for filters that are no longer shown is dropped.
 */
export function useTicketList(brandId: string, filters: InboxFilters): TicketList {
  const [rows, setRows] = useState<TicketSummary[] | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [refreshes, setRefreshes] = useState(0);
  const generation = useRef(0);
  const loaded = useRef(0);
  loaded.current = rows?.length ?? 0;

  const { status, queue, assignee, tag, sort } = filters;
  const key = JSON.stringify([brandId, status, queue, assignee, tag, sort]);
  const lastKey = useRef(key);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the filters; `refreshes` reloads.
  useEffect(() => {
    const controller = new AbortController();
    const mine = ++generation.current;
    const refresh = lastKey.current === key;
    lastKey.current = key;
    const limit = refresh ? Math.min(Math.max(loaded.current, PAGE_SIZE), MAX_REFRESH) : PAGE_SIZE;
    if (!refresh) setRows(undefined);
    setLoading(true);
    listTickets(brandId, { status, queue, assignee, tag, sort, limit }, controller.signal).then(
      (page) => {
        if (mine !== generation.current) return;
        setRows(page.data);
        setCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted || mine !== generation.current) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, refreshes]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    listTickets(brandId, { status, queue, assignee, tag, sort, limit: PAGE_SIZE, cursor }).then(
      (page) => {
        setLoadingMore(false);
        if (mine !== generation.current) return;
        setRows((current) => {
          const known = new Set((current ?? []).map((t) => t.id));
          return [...(current ?? []), ...page.data.filter((t) => !known.has(t.id))];
        });
        setCursor(page.nextCursor);
      },
      (e: unknown) => {
        setLoadingMore(false);
        setMoreError(e);
      },
    );
  }, [brandId, cursor, status, queue, assignee, tag, sort]);

  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);

  return { rows, error, loading, hasMore: cursor !== null, loadingMore, moreError, loadMore, refresh };
}
