import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { Ticket } from '../api/helpdeskTypes';
import { linkOrder, unlinkOrder } from '../api/tickets';
import { brandPath } from '../shell/paths';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { formatDay } from '../ui/format';
import type { TicketState } from './useTicketState';

/**
 * The orders the ticket is about: linked automatically (an order number in the message, or the
 * customer's recent orders) or by hand. Each opens the order page; agents link more by number and
 * unlink the wrong ones.
 */
export function LinkedOrders({
  brandId,
  ticket,
  change,
}: {
  brandId: string;
  ticket: Ticket;
  change: TicketState['change'];
}) {
  const [number, setNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const canLink = ticket.allowed.includes('link_order');

  const run = async (work: () => Promise<Ticket | null>) => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const orderNumber = number.trim();
    if (!orderNumber) return;
    const done = await run(() => change((t) => linkOrder(t.id, orderNumber)));
    if (done) setNumber('');
  };

  return (
    <section className="aside-card" aria-labelledby="ticket-orders-title">
      <h2 id="ticket-orders-title" className="aside-title">
        Orders <span className="count">{ticket.orders.length}</span>
      </h2>
      {ticket.orders.length === 0 && <p className="muted small">No order is linked to this ticket.</p>}
      {ticket.orders.length > 0 && (
        <ul className="linked-orders">
          {ticket.orders.map((order) => (
            <li key={order.id}>
              <Link to={brandPath(brandId, 'orders', order.id)} className="order-number">
                {order.number}
              </Link>
              <span className="muted small">
                {order.channel} · {formatDay(order.placedAt)}
                {order.linkedBy === 'auto' && ' · linked automatically'}
              </span>
              {canLink && (
                <button
                  type="button"
                  className="button link small danger-text"
                  aria-label={`Unlink order ${order.number}`}
                  disabled={busy}
                  onClick={() => void run(() => change((t) => unlinkOrder(t.id, order.id)))}
                >
                  Unlink
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canLink && (
        <form className="tag-form" onSubmit={submit}>
          <input
            value={number}
            maxLength={64}
            placeholder="Order number"
            aria-label="Order number to link"
            aria-invalid={isFieldInvalid(error, 'orderNumber')}
            onChange={(e) => setNumber(e.target.value)}
          />
          <button type="submit" className="button small" disabled={busy || !number.trim()}>
            Link order
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
