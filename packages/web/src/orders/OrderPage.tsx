import { useState } from 'react';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { fetchOrder } from '../api/orders';
import type { Order } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusWhenLoaded } from '../ui/useFocusWhenLoaded';
import { useResource } from '../ui/useResource';
import { CancelOrderDialog } from './CancelOrderDialog';
import { OrderMoneyPanels } from './money/OrderMoneyPanels';
import { OrderActivity } from './OrderActivity';
import { OrderItemsTable } from './OrderItemsTable';
import { PurchaseOrderCard } from './PurchaseOrderCard';
import { ShippingAddressCard } from './ShippingAddressCard';

/**
 * One order and everything that happened to it: its items, where it ships, and a card per purchase
 * order where agents change the PO's status and record shipments, within the brand's SOP guardrails.
 */
export function OrderPage() {
  const brand = useCurrentBrand();
  const { orderId = '' } = useParams();
  const order = useResource((signal) => fetchOrder(orderId, signal), [orderId]);
  const data = order.data;
  const [canceling, setCanceling] = useState(false);
  const backLink = (
    <Link className="back-link" to={brandPath(brand.id, 'orders')} state={{ fromOrder: orderId }}>
      ← Orders
    </Link>
  );
  useDocumentTitle(data ? `Order ${data.number}` : 'Order', brand.name);
  useFocusWhenLoaded(data !== undefined);

  if (data && data.brandId !== brand.id) {
    // Switching brands keeps the path; another brand's order is not this brand's page.
    return (
      <Navigate
        to={brandPath(brand.id, 'orders')}
        replace
        state={{ notice: `That order belongs to another brand, so Casebook opened ${brand.name}’s orders.` }}
      />
    );
  }
  if (!data) {
    const missing = order.error instanceof ApiError && order.error.status === 404;
    return (
      <>
        {backLink}
        {order.loading && (
          <p className="muted" role="status">
            Loading the order…
          </p>
        )}
        {missing ? (
          <p className="error-message" role="alert">
            There is no such order in {brand.name}. It may have been removed, or the link is wrong.
          </p>
        ) : (
          <ErrorMessage error={order.error} />
        )}
      </>
    );
  }

  const replace = (next: Order) => order.setData(() => next);
  return (
    <>
      {backLink}
      <OrderHeader
        order={data}
        onCancel={brand.allowed.includes('order.cancel') ? () => setCanceling(true) : undefined}
      />
      <CancelOrderDialog
        order={data}
        open={canceling}
        onClose={() => setCanceling(false)}
        onCanceled={(next) => {
          setCanceling(false);
          replace(next);
        }}
      />
      <div className="order-overview">
        <section className="panel" aria-labelledby="order-items-title">
          <h2 id="order-items-title" className="panel-title">
            Items
          </h2>
          <OrderItemsTable order={data} />
        </section>
        <ShippingAddressCard order={data} />
      </div>
      <section aria-labelledby="order-pos-title">
        <h2 id="order-pos-title" className="section-title">
          Purchase orders <span className="count">{data.purchaseOrders.length}</span>
        </h2>
        {data.purchaseOrders.length === 0 && (
          <p className="muted">This order has no purchase orders; nothing was sent to a vendor.</p>
        )}
        {data.purchaseOrders.map((po) => (
          <PurchaseOrderCard
            key={po.id}
            order={data}
            po={po}
            canShip={brand.allowed.includes('shipments.manage')}
            onOrder={replace}
            onReload={order.reload}
          />
        ))}
      </section>
      <OrderMoneyPanels order={data} onOrderChanged={order.reload} />
      <OrderActivity brandId={brand.id} orderId={data.id} version={data} />
    </>
  );
}

/** The order's number, the facts an agent checks first, and cancelling it (with order.cancel). */
function OrderHeader({ order, onCancel }: { order: Order; onCancel: (() => void) | undefined }) {
  const { name, email } = order.customer;
  return (
    <header className="page-header order-header">
      <div>
        <h1 id="page-title">Order {order.number}</h1>
        <dl className="order-facts">
          <div>
            <dt>Channel</dt>
            <dd>{order.channel}</dd>
          </div>
          <div>
            <dt>Placed</dt>
            <dd>
              <time dateTime={order.placedAt}>{formatTime(order.placedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Customer</dt>
            <dd>
              {name ?? (email ? null : <span className="muted">Not given</span>)}
              {name && email && ' · '}
              {email && <a href={`mailto:${email}`}>{email}</a>}
            </dd>
          </div>
          {order.externalId && (
            <div>
              <dt>External id</dt>
              <dd className="mono">{order.externalId}</dd>
            </div>
          )}
        </dl>
      </div>
      {onCancel && (
        <button type="button" className="button" onClick={onCancel}>
          Cancel order
        </button>
      )}
    </header>
  );
}
