import { useEffect, useRef, useState } from 'react';
import type { Order, PurchaseOrder } from '../api/types';
import { ErrorMessage } from '../ui/ErrorMessage';
import { AddShipmentDialog } from './AddShipmentDialog';
import { PoHistory } from './PoHistory';
import { PoItemsTable } from './PoItemsTable';
import { PoStatusActions } from './PoStatusActions';
import { poLabel } from './poLabel';
import { ShipmentList } from './ShipmentList';
import { StatusBadge } from './StatusBadge';
import { remainingToShip } from './shipping';

type PurchaseOrderCardProps = {
  order: Order;
  po: PurchaseOrder;
  /** Whether the person may record shipments in this brand (`shipments.manage`). */
  canShip: boolean;
  /** Shows an order the API returned after a change. */
  onOrder: (order: Order) => void;
  /** Loads the order again, e.g. after a refused change or a new shipment. */
  onReload: () => void;
};

/**
 * One purchase order: its vendor, status and what may happen next, its items, shipments with
 * tracking, and its status history. Messages about changes made here stay on this card.
 */
export function PurchaseOrderCard({ order, po, canShip, onOrder, onReload }: PurchaseOrderCardProps) {
  const [notice, setNotice] = useState('');
  const [refusal, setRefusal] = useState<unknown>(null);
  const [shipping, setShipping] = useState(false);
  const [focusRequest, setFocusRequest] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = `po-${po.id}-title`;
  const left = remainingToShip(po);
  const label = poLabel(po.number);

  // After a change the button that started it may be gone, so the card's heading takes focus, with
  // the message right below it. This runs after the dialogs' own effects have closed them.
  useEffect(() => {
    if (focusRequest > 0) headingRef.current?.focus();
  }, [focusRequest]);
  const focusCard = () => setFocusRequest((n) => n + 1);

  return (
    <article className="po-card" aria-labelledby={titleId}>
      <header className="po-card-header">
        <h3 id={titleId} ref={headingRef} tabIndex={-1}>
          {label}
        </h3>
        <span className="po-vendor">{po.vendor}</span>
        <StatusBadge status={po.status} />
        {po.refunded ? <span className="tag ok">Refunded</span> : <span className="tag">Not refunded</span>}
      </header>

      <PoStatusActions
        po={po}
        onChanged={(next, status) => {
          setRefusal(null);
          setNotice(`${label} is now ${status}.`);
          onOrder(next);
          focusCard();
        }}
        onRefused={(error) => {
          setNotice('');
          setRefusal(error);
          onReload();
          focusCard();
        }}
      />
      <ErrorMessage error={refusal} />
      <p className="success po-notice" role="status">
        {notice}
      </p>

      <div className="po-columns">
        <section aria-label={`Items of ${label}`}>
          <h4 className="po-section-title">Items</h4>
          <PoItemsTable order={order} po={po} />
        </section>
        <section aria-label={`Shipments of ${label}`}>
          <div className="po-section-header">
            <h4 className="po-section-title">Shipments</h4>
            {canShip && left.length > 0 && (
              <button type="button" className="button small" onClick={() => setShipping(true)}>
                Add shipment
              </button>
            )}
          </div>
          <ShipmentList shipments={po.shipments} />
        </section>
      </div>

      <section aria-label={`Status history of ${label}`}>
        <h4 className="po-section-title">Status history</h4>
        <PoHistory history={po.history} />
      </section>

      {canShip && (
        <AddShipmentDialog
          open={shipping}
          order={order}
          po={po}
          onClose={() => setShipping(false)}
          onAdded={(result) => {
            setShipping(false);
            setRefusal(null);
            setNotice(
              result.autoShipped
                ? `Shipment ${result.trackingNumber} added. Every item has shipped, so Casebook set the PO to Shipped.`
                : `Shipment ${result.trackingNumber} added.`,
            );
            onReload();
            focusCard();
          }}
        />
      )}
    </article>
  );
}
