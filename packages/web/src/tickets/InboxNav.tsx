import { Link } from 'react-router';
import type { Queue, SavedView, TicketCounts } from '../api/helpdeskTypes';
import {
  BUILT_IN_VIEWS,
  type InboxFilters,
  NO_FILTERS,
  sameFilters,
  searchFromFilters,
  viewFilters,
} from './inboxFilters';
import type { ViewCount } from './useViewCounts';

type InboxNavProps = {
  inboxPath: string;
  filters: InboxFilters;
  counts: TicketCounts | undefined;
  queues: Queue[];
  views: SavedView[] | undefined;
  viewCounts: Record<string, ViewCount>;
  onDeleteView: (view: SavedView) => void;
};

/**
 * The inbox's left column: the built-in views, one entry per queue and the saved views, each with
 * how many tickets wait there. The entry whose filters are the ones shown is marked current.
 */
export function InboxNav({
  inboxPath,
  filters,
  counts,
  queues,
  views,
  viewCounts,
  onDeleteView,
}: InboxNavProps) {
  const total = counts?.byQueue.reduce((sum, q) => sum + q.count, 0);
  const builtInCount = { all: total, mine: counts?.mine, unassigned: counts?.unassigned };
  const queueCount = (name: string | null) => counts?.byQueue.find((q) => q.queue === name);
  const unqueued = queueCount(null);

  const item = (key: string, label: string, to: InboxFilters, count?: number, breached?: number) => {
    const current = sameFilters(filters, to);
    return (
      <li key={key}>
        <Link
          to={`${inboxPath}${searchFromFilters(to)}`}
          className="inbox-nav-link"
          aria-current={current ? 'page' : undefined}
        >
          <span className="inbox-nav-label">{label}</span>
          {breached ? (
            <span className="inbox-nav-breached" title={`${breached} breached`}>
              <span className="visually-hidden">, {breached} breached</span>
              <span aria-hidden="true">{breached}</span>
            </span>
          ) : null}
          {count !== undefined && (
            <span className="inbox-nav-count">
              <span className="visually-hidden">, </span>
              {count}
            </span>
          )}
        </Link>
      </li>
    );
  };

  return (
    <nav className="inbox-nav" aria-label="Ticket views">
      <h2 className="inbox-nav-heading">Views</h2>
      <ul>{BUILT_IN_VIEWS.map((v) => item(v.id, v.label, v.filters, builtInCount[v.id]))}</ul>
      {queues.length > 0 && (
        <>
          <h2 className="inbox-nav-heading">Queues</h2>
          <ul>
            {queues.map((q) => {
              const c = queueCount(q.name);
              return item(q.id, q.title, { ...NO_FILTERS, queue: q.name }, c?.count ?? 0, c?.breached);
            })}
            {unqueued &&
              unqueued.count > 0 &&
              item('none', 'No queue', { ...NO_FILTERS, queue: 'none' }, unqueued.count, unqueued.breached)}
          </ul>
        </>
      )}
      <h2 className="inbox-nav-heading">Saved views</h2>
      {views && views.length === 0 && (
        <p className="muted small inbox-nav-empty">Save the filters you use often.</p>
      )}
      {views && views.length > 0 && (
        <ul>
          {views.map((view) => (
            <li key={view.id} className="inbox-nav-saved">
              <Link
                to={`${inboxPath}${searchFromFilters(viewFilters(view))}`}
                className="inbox-nav-link"
                aria-current={sameFilters(filters, viewFilters(view)) ? 'page' : undefined}
              >
                <span className="inbox-nav-label">{view.name}</span>
                {view.shared && <span className="tag">shared</span>}
                {viewCounts[view.id] && (
                  <span className="inbox-nav-count">
                    <span className="visually-hidden">, </span>
                    {viewCounts[view.id]?.count}
                    {viewCounts[view.id]?.more ? '+' : ''}
                  </span>
                )}
              </Link>
              {view.allowed.includes('delete') && (
                <button
                  type="button"
                  className="icon-button inbox-nav-delete"
                  aria-label={`Delete view ${view.name}`}
                  title="Delete view"
                  onClick={() => onDeleteView(view)}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
