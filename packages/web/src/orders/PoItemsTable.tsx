import type { Order, PurchaseOrder } from '../api/types';

/** The PO's lines: how many of each have shipped, and which are out of stock or canceled. */
export function PoItemsTable({ order, po }: { order: Order; po: PurchaseOrder }) {
  const nameOf = (sku: string) => order.items.find((item) => item.sku === sku)?.name;
  if (po.items.length === 0) return <p className="muted small">This PO has no items.</p>;
  return (
    <div className="table-scroll">
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Shipped
            </th>
            <th scope="col">
              <span className="visually-hidden">Flags</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {po.items.map((line) => {
            const done = line.shippedQty >= line.qty;
            return (
              <tr key={line.sku} className={line.canceled ? 'row-muted' : undefined}>
                <td>
                  <span className="mono">{line.sku}</span>
                  {nameOf(line.sku) && <span className="item-name">{nameOf(line.sku)}</span>}
                </td>
                <td className="num nowrap">
                  <span className={done ? 'status-ok' : undefined}>
                    {line.shippedQty}/{line.qty}
                  </span>
                </td>
                <td className="row-flags">
                  {line.outOfStock && <span className="tag warn">Out of stock</span>}
                  {line.canceled && <span className="tag bad">Canceled</span>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
