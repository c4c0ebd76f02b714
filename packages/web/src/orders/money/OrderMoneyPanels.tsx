import { useState } from 'react';
import { Link } from 'react-router';
import { fetchOrderMoney, type OrderMoney } from '../../api/money';
import type { Order } from '../../api/types';
import { useCurrentBrand } from '../../shell/currentBrand';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/useResource';
import { money, REFUND_KIND_LABELS } from './amounts';
import { IssueRefundDialog } from './IssueRefundDialog';
import { ReshipDialog } from './ReshipDialog';
import { WarrantyPanel } from './WarrantyPanel';
import './money.css';

const STATE_LABELS = {
  paid: 'Paid',
  partially_refunded: 'Partially refunded',
  refunded: 'Refunded',
} as const;

/**
 * The money side of an order on its page: refunds and the customer's store credit, reshipments,
 * and warranty plans with their claims. `onOrderChanged` reloads the order, since a refund may
 * mark a PO refunded and a reshipment adds a PO.
 */
export function OrderMoneyPanels({ order, onOrderChanged }: { order: Order; onOrderChanged: () => void }) {
  const resource = useResource((signal) => fetchOrderMoney(order.id, signal), [order.id]);
  const data = resource.data;
  const [dialog, setDialog] = useState<'refund' | 'reship' | null>(null);
  const [notice, setNotice] = useState('');
  const update = (next: OrderMoney, message: string) => {
    resource.setData(() => next);
    setDialog(null);
    setNotice(message);
    onOrderChanged();
  };

  return (
    <>
      <section className="money-section" aria-labelledby="order-refunds-title">
        <h2 id="order-refunds-title" className="section-title">
          Refunds and credits
        </h2>
        {!data && <ErrorMessage error={resource.error} />}
        {data && (
          <>
            <RefundSummary data={data} />
            {notice && (
              <p className="success" role="status">
                {notice}
              </p>
            )}
            {data.allowed.includes('refund') && (
              <div className="money-actions">
                <button
                  type="button"
                  className="button"
                  disabled={data.totals.refundable.full === 0}
                  onClick={() => setDialog('refund')}
                >
                  Issue refund
                </button>
              </div>
            )}
            <RefundList data={data} />
            <IssueRefundDialog
              open={dialog === 'refund'}
              orderId={order.id}
              data={data}
              onClose={() => setDialog(null)}
              onIssued={(next) =>
                update(next, `Refunded ${money(next.refunds.at(-1)?.amount ?? 0, next.currency)}.`)
              }
            />
          </>
        )}
      </section>
      <section className="money-section" aria-labelledby="order-reshipments-title">
        <h2 id="order-reshipments-title" className="section-title">
          Reshipments <span className="count">{data?.reshipments.length ?? 0}</span>
        </h2>
        {data && (
          <>
            {data.reshipments.length === 0 && <p className="muted">Nothing has been reshipped.</p>}
            <ul className="money-list">
              {data.reshipments.map((r) => (
                <li key={r.id}>
                  <strong>{r.po.number}</strong> ({r.po.vendor}, {r.po.status}):{' '}
                  {r.po.items.map((i) => `${i.qty} × ${i.sku}`).join(', ')}
                  {r.originalPoNumber && <> · replaces {r.originalPoNumber}</>}
                  <div className="muted small">
                    {r.reason} · {r.createdBy} · <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
                  </div>
                </li>
              ))}
            </ul>
            {data.allowed.includes('reship') && (
              <button type="button" className="button" onClick={() => setDialog('reship')}>
                Reship items
              </button>
            )}
            <ReshipDialog
              open={dialog === 'reship'}
              order={order}
              onClose={() => setDialog(null)}
              onReshipped={(next) =>
                update(next, `Reshipped as ${next.reshipments.at(-1)?.po.number ?? 'a new PO'}.`)
              }
            />
          </>
        )}
      </section>
      <WarrantyPanel order={order} />
    </>
  );
}

function RefundSummary({ data }: { data: OrderMoney }) {
  const brand = useCurrentBrand();
  const m = (cents: number) => money(cents, data.currency);
  return (
    <dl className="money-facts">
      <div>
        <dt>Payment</dt>
        <dd>
          <span className={`tag ${data.state === 'paid' ? '' : 'warn'}`}>{STATE_LABELS[data.state]}</span>
        </dd>
      </div>
      <div>
        <dt>Refunded</dt>
        <dd>{m(data.totals.refundedItems + data.totals.refundedShipping)}</dd>
      </div>
      <div>
        <dt>Still refundable</dt>
        <dd>
          {m(data.totals.refundable.full)} ({m(data.totals.refundable.item_cost)} items,{' '}
          {m(data.totals.refundable.shipping_only)} shipping)
        </dd>
      </div>
      {data.customer && (
        <div>
          <dt>Store credit</dt>
          <dd>
            <Link to={`/b/${encodeURIComponent(brand.id)}/customers/${encodeURIComponent(data.customer.id)}`}>
              {m(data.customer.storeCredit)}
            </Link>
            {data.customer.frozen && <span className="tag warn">Frozen: removal open</span>}
          </dd>
        </div>
      )}
    </dl>
  );
}

function RefundList({ data }: { data: OrderMoney }) {
  if (data.refunds.length === 0) return <p className="muted">No refunds on this order.</p>;
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Refunds">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Amount
            </th>
            <th scope="col">Items</th>
            <th scope="col">Reason</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {data.refunds.map((r) => (
            <tr key={r.id}>
              <td>
                <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
              </td>
              <td>{REFUND_KIND_LABELS[r.kind]}</td>
              <td className="num">{money(r.amount, r.currency)}</td>
              <td>
                {r.items.map((i) => `${i.sku} ${money(i.amount, r.currency)}`).join(', ')}
                {r.shippingAmount > 0 &&
                  `${r.items.length ? ', ' : ''}shipping ${money(r.shippingAmount, r.currency)}`}
              </td>
              <td>{r.reason}</td>
              <td>{r.createdBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
