import { useState } from 'react';
import { useLocation } from 'react-router';
import { listOrders } from '../api/orders';
import type { Brand, OrderSummary } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { OrderTable } from './OrderTable';

const PAGE_SIZE = 50;

/**
 * The Orders area: the brand's orders, newest first, with "Load older" and a filter over the
 * loaded rows. Keyed by brand, so loaded pages and the filter never carry over to another brand.
 */
export function OrderListPage() {
  const brand = useCurrentBrand();
  return <OrderList key={brand.id} brand={brand} />;
}

function matches(order: OrderSummary, query: string): boolean {
  return (
    order.number.toLowerCase().includes(query) || (order.customerEmail ?? '').toLowerCase().includes(query)
  );
}

function OrderList({ brand }: { brand: Brand }) {
  const area = areaById('orders');
  const returnTo = (useLocation().state as { fromOrder?: string } | null)?.fromOrder;
  const [filter, setFilter] = useState('');
  const [older, setOlder] = useState<OrderSummary[]>([]);
  const [olderDone, setOlderDone] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  useDocumentTitle(area.label, brand.name);

  const first = useResource((signal) => listOrders(brand.id, { limit: PAGE_SIZE }, signal), [brand.id]);
  const loaded = [...(first.data ?? []), ...older];
  const hasOlder = !olderDone && (older.length > 0 || first.data?.length === PAGE_SIZE);
  const query = filter.trim().toLowerCase();
  const shown = query ? loaded.filter((o) => matches(o, query)) : loaded;

  const loadOlder = async () => {
    const last = loaded.at(-1);
    if (!last) return;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await listOrders(brand.id, { limit: PAGE_SIZE, before: last.placedAt });
      const known = new Set(loaded.map((o) => o.id));
      setOlder((current) => [...current, ...page.filter((o) => !known.has(o.id))]);
      if (page.length < PAGE_SIZE) setOlderDone(true);
    } catch (e) {
      setOlderError(e);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      <ErrorMessage error={first.error} />
      {first.loading && !first.data && (
        <p className="muted" role="status">
          Loading orders…
        </p>
      )}
      {first.data && loaded.length === 0 && (
        <EmptyState title={`No orders in ${brand.name} yet`}>
          Orders arrive through the API (POST /api/v1/brands/{'{brandId}'}/orders) or imports.
        </EmptyState>
      )}
      {loaded.length > 0 && (
        <>
          <div className="list-toolbar">
            <label className="field filter-field">
              <span>Filter</span>
              <input
                type="search"
                value={filter}
                placeholder="Order number or customer email"
                onChange={(e) => setFilter(e.target.value)}
              />
            </label>
            <p className="muted small" role="status">
              {query
                ? `${shown.length} of ${loaded.length} loaded orders match`
                : `${loaded.length} order${loaded.length === 1 ? '' : 's'} loaded`}
            </p>
          </div>
          {shown.length > 0 ? (
            <OrderTable brandId={brand.id} orders={shown} focusOrderId={returnTo} />
          ) : (
            <p className="muted">
              No loaded order matches “{filter.trim()}”.
              {hasOlder && ' Load older orders to search further back.'}
            </p>
          )}
        </>
      )}
      <ErrorMessage error={olderError} />
      {hasOlder && (
        <div className="load-more">
          <button type="button" className="button" onClick={loadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading…' : 'Load older'}
          </button>
        </div>
      )}
    </>
  );
}
