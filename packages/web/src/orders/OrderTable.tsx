import { type KeyboardEvent, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import type { OrderSummary } from '../api/types';
import { brandPath } from '../shell/paths';
import { formatTime } from '../ui/format';

/**
 * The order list as a table whose rows open the order: click a row, or focus it (Tab, ↑/↓) and
 * press Enter. The number is also a real link, so opening an order in a new tab works as usual.
 */
export function OrderTable({
  brandId,
  orders,
  focusOrderId,
}: {
  brandId: string;
  orders: OrderSummary[];
  /** The order just left through its "Orders" link: its row gets focus back. */
  focusOrderId?: string | undefined;
}) {
  const navigate = useNavigate();
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focused = useRef(false);

  useEffect(() => {
    if (!focusOrderId || focused.current) return;
    const row = bodyRef.current?.querySelector<HTMLElement>(
      `tr[data-order-id="${CSS.escape(focusOrderId)}"]`,
    );
    if (row) {
      row.focus();
      focused.current = true;
    }
  }, [focusOrderId]);

  const open = (order: OrderSummary) => navigate(brandPath(brandId, 'orders', order.id));

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, order: OrderSummary) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      open(order);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const sibling =
        event.key === 'ArrowDown'
          ? event.currentTarget.nextElementSibling
          : event.currentTarget.previousElementSibling;
      if (sibling instanceof HTMLElement) sibling.focus();
    }
  };

  return (
    <table className="table order-table">
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Placed</th>
          <th scope="col">Channel</th>
          <th scope="col">Customer</th>
        </tr>
      </thead>
      <tbody ref={bodyRef}>
        {orders.map((order) => (
          <tr
            key={order.id}
            data-order-id={order.id}
            className="clickable-row"
            tabIndex={0}
            onClick={(event) => {
              // The number's own link handles its clicks (including opening in a new tab).
              if (!(event.target instanceof HTMLAnchorElement)) open(order);
            }}
            onKeyDown={(event) => onKeyDown(event, order)}
          >
            <td>
              <Link to={brandPath(brandId, 'orders', order.id)} tabIndex={-1} className="order-number">
                {order.number}
              </Link>
            </td>
            <td className="nowrap">
              <time dateTime={order.placedAt}>{formatTime(order.placedAt)}</time>
            </td>
            <td>{order.channel}</td>
            <td>{order.customerEmail ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
