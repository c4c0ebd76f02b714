import { NavLink, useParams } from 'react-router';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { ImportFlow } from './ImportFlow';
import './imports.css';

const TABS = [
  {
    id: 'tracking',
    label: 'Tracking CSV',
    capability: 'shipments.manage',
    hint: 'A header naming PO, SKU, Carrier and Tracking Number, then one row per shipped PO line.',
  },
  {
    id: 'orders',
    label: 'Order CSV',
    capability: 'orders.import',
    hint: 'One row per order item, rows of one order sharing its External ID (or Order Number). Columns: External ID, Order Number, Channel, Placed At, Customer Email, Customer Name, Shipping Address 1/2, Shipping City, Region, Postal Code, Country, SKU, Name, Qty, Unit Price, Category, Vendor, PO Number, PO Status.',
  },
] as const;

/**
 * Imports in the Orders area: upload a tracking or order file, see every row the checks flag,
 * then apply it (in the background, with a progress bar) or cancel. Each tab needs its capability.
 */
export function ImportsPage() {
  const brand = useCurrentBrand();
  const { kind } = useParams();
  useDocumentTitle('Imports', brand.name);
  const tabs = TABS.filter((t) => brand.allowed.includes(t.capability));
  const tab = tabs.find((t) => t.id === kind) ?? tabs[0];
  return (
    <>
      <PageHeader
        title="Imports"
        summary="Add tracking numbers or orders from a CSV file, checked row by row first."
      />
      {tabs.length === 0 ? (
        <p className="muted">Your role in {brand.name} cannot import tracking numbers or orders.</p>
      ) : (
        <>
          <nav className="tabs" aria-label="Import kind">
            {tabs.map((t) => (
              <NavLink
                key={t.id}
                to={brandPath(brand.id, 'orders', 'imports', t.id)}
                className={() => (t.id === tab!.id ? 'tab active' : 'tab')}
              >
                {t.label}
              </NavLink>
            ))}
          </nav>
          <ImportFlow key={`${brand.id}:${tab!.id}`} brandId={brand.id} kind={tab!.id} hint={tab!.hint} />
        </>
      )}
    </>
  );
}
