import type { Order } from '../api/types';
import { formatMoney } from '../ui/format';

/** What the customer bought, with prices in the order's currency and the order's totals below. */
export function OrderItemsTable({ order }: { order: Order }) {
  const money = (amount: number) => formatMoney(amount, order.currency);
  const subtotal = order.items.reduce((sum, item) => sum + item.qty * item.unitPrice, 0);
  return (
    <div className="table-scroll">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">SKU</th>
            <th scope="col">Name</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Unit price
            </th>
            <th scope="col">Category</th>
          </tr>
        </thead>
        <tbody>
          {order.items.map((item) => (
            <tr key={item.sku}>
              <td className="mono">{item.sku}</td>
              <td>{item.name}</td>
              <td className="num">{item.qty}</td>
              <td className="num">{money(item.unitPrice)}</td>
              <td>{item.category ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Items
            </th>
            <td className="num">{money(subtotal)}</td>
            <td />
          </tr>
          <tr>
            <th scope="row" colSpan={3}>
              Shipping
            </th>
            <td className="num">{money(order.shippingCost)}</td>
            <td />
          </tr>
          <tr className="total-row">
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="num">{money(subtotal + order.shippingCost)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
