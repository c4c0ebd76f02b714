import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { deleteView, listViews } from '../api/helpdesk';
import type { SavedView } from '../api/helpdeskTypes';
import { fetchTicketCounts } from '../api/tickets';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { usePageShortcuts } from '../shell/pageShortcuts';
import { brandPath, ticketPath } from '../shell/paths';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useNow } from '../ui/useNow';
import { useResource } from '../ui/useResource';
import { BulkActions } from './BulkActions';
import { useHelpdeskDirectory } from './directory';
import { InboxFiltersBar } from './InboxFiltersBar';
import { InboxNav } from './InboxNav';
import {
  filtersFromSearch,
  type InboxFilters,
  NO_FILTERS,
  sameFilters,
  searchFromFilters,
} from './inboxFilters';
import { rememberInboxList } from './inboxNavigation';
import { NewTicketDialog } from './NewTicketDialog';
import { SaveViewDialog } from './SaveViewDialog';
import { SearchResults } from './SearchResults';
import { focusedTicketId, focusTicketRow, TicketTable } from './TicketTable';
import { DEFAULT_STATUSES } from './ticketText';
import { useDebounced, useLiveState, useTicketChanges } from './useLive';
import { useTicketList } from './useTicketList';
import { useViewCounts } from './useViewCounts';

/** How long the inbox waits after a live change before loading again, so bursts load once. */
const LIVE_DEBOUNCE_MS = 700;

/**
 * The Inbox: queues and views with their counts on the left, the brand's tickets on the right (the
 * most urgent SLA first), full-text search, filters, "Load more", bulk changes, saved views and
 * logging a call as a new ticket. It listens to live changes and loads the list and counts again
 * when tickets change anywhere (in any app instance). Keyed by brand.
 */
export function InboxPage() {
  const brand = useCurrentBrand();
  return <Inbox key={brand.id} brand={brand} />;
}

function Inbox({ brand }: { brand: Brand }) {
  const area = areaById('inbox');
  const directory = useHelpdeskDirectory();
  const navigate = useNavigate();
  const location = useLocation();
  const returnTo = (location.state as { fromTicket?: string } | null)?.fromTicket;
  const [params] = useSearchParams();
  const filters = filtersFromSearch(params);
  const query = params.get('q') ?? '';
  const inboxPath = brandPath(brand.id, 'inbox');
  const now = useNow();
  useDocumentTitle(area.label, brand.name);

  const list = useTicketList(brand.id, filters);
  const counts = useResource((signal) => fetchTicketCounts(brand.id, signal), [brand.id]);
  const views = useResource((signal) => listViews(brand.id, signal), [brand.id]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState('');
  const [saving, setSaving] = useState(false);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<SavedView | null>(null);
  const [countGeneration, setCountGeneration] = useState(0);
  const viewCounts = useViewCounts(brand.id, views.data, countGeneration);

  const refresh = () => {
    list.refresh();
    counts.reload();
    setCountGeneration((n) => n + 1);
  };
  const refreshSoon = useDebounced(refresh, LIVE_DEBOUNCE_MS);
  useTicketChanges(brand.id, (message) => {
    if (message.type === 'resync' || (message.type === 'change' && message.change.kind !== 'presence')) {
      refreshSoon();
    }
  });
  const live = useLiveState(brand.id);

  const rows = list.rows;
  // Selection follows the rows shown: a ticket that left the list (solved elsewhere) is unselected.
  useEffect(() => {
    if (!rows) return;
    setSelected((current) => {
      const visible = new Set(rows.map((t) => t.id));
      const kept = [...current].filter((id) => visible.has(id));
      return kept.length === current.size ? current : new Set(kept);
    });
  }, [rows]);

  // The ticket page follows this list with j/k and returns to these filters.
  const search = searchFromFilters(filters);
  useEffect(() => {
    if (rows) rememberInboxList({ brandId: brand.id, search, ticketIds: rows.map((t) => t.id) });
  }, [rows, brand.id, search]);

  const statuses = useMemo(() => {
    const known = [...DEFAULT_STATUSES];
    for (const s of counts.data?.byStatus ?? []) if (!known.includes(s.status)) known.push(s.status);
    return known;
  }, [counts.data]);

  const setFilters = (next: InboxFilters) => navigate(`${inboxPath}${searchFromFilters(next, query)}`);
  const setQuery = (q: string) => navigate(`${inboxPath}${searchFromFilters(filters, q)}`);
  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  usePageShortcuts([
    { key: 'j', label: 'Next ticket in the list', run: () => focusTicketRow(1) },
    { key: 'k', label: 'Previous ticket in the list', run: () => focusTicketRow(-1) },
    {
      key: 'x',
      label: 'Select or unselect the focused ticket',
      run: () => {
        const id = focusedTicketId();
        if (id) select([id], !selected.has(id));
      },
    },
  ]);

  const filtered = !sameFilters(filters, NO_FILTERS);
  const openTicket = (id: string) => ticketPath(brand.id, id);

  return (
    <>
      <PageHeader
        title={area.label}
        summary={area.summary}
        actions={
          <>
            <button type="button" className="button" onClick={() => setSaving(true)}>
              Save view
            </button>
            <button type="button" className="button primary" onClick={() => setCreating(true)}>
              New ticket
            </button>
          </>
        }
      />
      <div className="inbox">
        <InboxNav
          inboxPath={inboxPath}
          filters={filters}
          counts={counts.data}
          queues={directory.queues}
          views={views.data}
          viewCounts={viewCounts}
          onDeleteView={setDeleting}
        />
        <section className="inbox-main" aria-labelledby="inbox-list-title">
          <h2 id="inbox-list-title" className="visually-hidden">
            Tickets
          </h2>
          <InboxFiltersBar
            filters={filters}
            query={query}
            onSearch={setQuery}
            statuses={statuses}
            queues={directory.queues}
            agents={directory.agents}
            onChange={setFilters}
          />
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          {selected.size > 0 && (
            <BulkActions
              brandId={brand.id}
              ticketIds={[...selected]}
              statuses={statuses}
              queues={directory.queues}
              agents={directory.agents}
              onDone={(message) => {
                setNotice(message);
                setSelected(new Set());
                refresh();
              }}
              onClear={() => setSelected(new Set())}
            />
          )}
          {query ? (
            <SearchResults brandId={brand.id} query={query} filters={filters} ticketPath={openTicket} />
          ) : (
            <>
              <ErrorMessage error={list.error ?? counts.error} />
              {!rows && list.loading && (
                <p className="muted" role="status">
                  Loading tickets…
                </p>
              )}
              {rows && rows.length === 0 && !filtered && (
                <EmptyState title={`No tickets waiting in ${brand.name}`}>
                  {area.emptyText.replace('{brand}', brand.name)}
                </EmptyState>
              )}
              {rows && rows.length === 0 && filtered && (
                <EmptyState title="No tickets match these filters">
                  Change the filters above, or open “All open” on the left.
                </EmptyState>
              )}
              {rows && rows.length > 0 && (
                <>
                  <div className="inbox-summary">
                    <p className="muted small" role="status">
                      {rows.length} ticket{rows.length === 1 ? '' : 's'}
                      {list.hasMore ? ' loaded' : ''}
                    </p>
                    <LiveIndicator state={live} />
                  </div>
                  <TicketTable
                    tickets={rows}
                    ticketPath={openTicket}
                    selected={selected}
                    onSelect={select}
                    queueTitle={(name) => directory.queueTitle(name)}
                    now={now}
                    focusTicketId={returnTo}
                  />
                </>
              )}
              <ErrorMessage error={list.moreError} />
              {list.hasMore && rows && (
                <div className="load-more">
                  <button
                    type="button"
                    className="button"
                    onClick={list.loadMore}
                    disabled={list.loadingMore}
                  >
                    {list.loadingMore ? 'Loading…' : 'Load more'}
                  </button>
                </div>
              )}
            </>
          )}
        </section>
      </div>
      <NewTicketDialog
        open={creating}
        brandId={brand.id}
        onClose={() => setCreating(false)}
        onCreated={(ticket) => {
          setCreating(false);
          navigate(ticketPath(brand.id, ticket.id), {
            state: { notice: `Ticket #${ticket.number} created.` },
          });
        }}
      />
      <SaveViewDialog
        open={saving}
        brandId={brand.id}
        filters={filters}
        canShare={brand.allowed.includes('helpdesk.manage')}
        onClose={() => setSaving(false)}
        onSaved={(view) => {
          setSaving(false);
          setNotice(`View “${view.name}” saved.`);
          views.reload();
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete view"
        confirmLabel="Delete view"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteView(deleting.id);
          views.reload();
        }}
      >
        Delete the view <strong>{deleting?.name}</strong>?{' '}
        {deleting?.shared ? 'It is shared, so it disappears for everyone in the brand.' : 'Only you had it.'}{' '}
        The tickets stay as they are.
      </ConfirmDialog>
    </>
  );
}

const LIVE_TEXT = { open: 'Live', connecting: 'Connecting…', down: 'Reconnecting…' } as const;

/** Whether the list follows changes as they happen, or is waiting for the connection to return. */
function LiveIndicator({ state }: { state: keyof typeof LIVE_TEXT }) {
  return (
    <p
      className={`live-indicator live-${state}`}
      title={
        state === 'open' ? 'The list updates as tickets change' : 'Changes show once the connection is back'
      }
    >
      <span className="live-dot" aria-hidden="true" />
      {LIVE_TEXT[state]}
    </p>
  );
}
