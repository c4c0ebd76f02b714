import type { AddressProblem, Order } from '../api/types';

const PROBLEMS: Record<AddressProblem, string> = {
  incorrect: 'Incorrect address',
  incomplete: 'Incomplete address',
  po_box: 'PO box',
};

/**
 * Where the order ships. Problems the import flagged (incorrect, incomplete, a PO box) are shown
 * as warnings above the address, because several SOPs start from them.
 */
export function ShippingAddressCard({ order }: { order: Order }) {
  const address = order.shippingAddress;
  const problems = address?.problems ?? [];
  const cityLine = [address?.city, address?.region, address?.postalCode].filter(Boolean).join(', ');
  return (
    <section className="panel" aria-labelledby="order-address-title">
      <h2 id="order-address-title" className="panel-title">
        Shipping address
      </h2>
      {problems.length > 0 && (
        <ul className="address-problems" aria-label="Address problems">
          {problems.map((problem) => (
            <li key={problem} className="tag warn">
              ⚠ {PROBLEMS[problem] ?? problem}
            </li>
          ))}
        </ul>
      )}
      {address ? (
        <address className="address">
          {order.customer.name && <span>{order.customer.name}</span>}
          {address.line1 && <span>{address.line1}</span>}
          {address.line2 && <span>{address.line2}</span>}
          {cityLine && <span>{cityLine}</span>}
          {address.country && <span>{address.country}</span>}
        </address>
      ) : (
        <p className="muted">The order came without a shipping address.</p>
      )}
    </section>
  );
}
