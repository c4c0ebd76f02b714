import { useEffect, useState } from 'react';
import type { SavedView } from '../api/helpdeskTypes';
import { listTickets } from '../api/tickets';

/** Views counted at most, and tickets counted per view; beyond that the count reads "100+". */
const MAX_VIEWS = 12;
const LIMIT = 100;

export type ViewCount = { count: number; more: boolean };

/**
 * How many tickets each saved view holds. The counts route covers mine, unassigned and queues
 * only, so each view's first page is loaded (up to 100 rows) and counted; `generation` loads them
 * again, e.g. after a live change.
 */
export function useViewCounts(
  brandId: string,
  views: SavedView[] | undefined,
  generation: number,
): Record<string, ViewCount> {
  const [counts, setCounts] = useState<Record<string, ViewCount>>({});
  const key = JSON.stringify((views ?? []).slice(0, MAX_VIEWS).map((v) => [v.id, v.filters, v.sort]));

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the views; `generation` reloads.
  useEffect(() => {
    if (!views || views.length === 0) return;
    const controller = new AbortController();
    for (const view of views.slice(0, MAX_VIEWS)) {
      const { status, queue, assignee, tag } = view.filters;
      listTickets(brandId, { status, queue, assignee, tag, limit: LIMIT }, controller.signal).then(
        (page) =>
          setCounts((current) => ({
            ...current,
            [view.id]: { count: page.data.length, more: page.nextCursor !== null },
          })),
        () => {
          // A view whose filter no longer works (a deleted queue) simply shows no count.
        },
      );
    }
    return () => controller.abort();
  }, [brandId, key, generation]);

  return counts;
}
