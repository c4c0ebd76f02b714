import { type FormEvent, useState } from 'react';
import { addShipment } from '../api/orders';
import type { Order, PurchaseOrder } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { poLabel } from './poLabel';
import { type RemainingLine, remainingToShip } from './shipping';

type AddShipmentDialogProps = {
  open: boolean;
  order: Order;
  po: PurchaseOrder;
  onClose: () => void;
  onAdded: (result: { trackingNumber: string; autoShipped: boolean }) => void;
};

/**
 * Records a shipment the vendor reported: carrier, tracking number and how many of each item it
 * carries, prefilled with what is left to ship. When it completes the PO, Casebook sets it to Shipped.
 */
export function AddShipmentDialog(props: AddShipmentDialogProps) {
  return (
    <Dialog open={props.open} title={`Add a shipment to ${poLabel(props.po.number)}`} onClose={props.onClose}>
      <AddShipmentForm {...props} lines={remainingToShip(props.po)} />
    </Dialog>
  );
}

function AddShipmentForm({
  order,
  po,
  lines,
  onClose,
  onAdded,
}: AddShipmentDialogProps & { lines: RemainingLine[] }) {
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [qty, setQty] = useState<Record<string, string>>(() =>
    Object.fromEntries(lines.map((line) => [line.sku, String(line.remaining)])),
  );
  const [sent, setSent] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameOf = (sku: string) => order.items.find((item) => item.sku === sku)?.name ?? sku;

  /** The API names items by their place in the request; this maps a SKU back to that place. */
  const itemInvalid = (sku: string, field: 'sku' | 'qty') => {
    const index = sent.indexOf(sku);
    return index >= 0 && isFieldInvalid(error, `items.${index}.${field}`);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const items = lines
      .map((line) => ({ sku: line.sku, qty: Number(qty[line.sku] ?? 0) }))
      .filter((item) => item.qty > 0);
    if (items.length === 0) {
      setError(new Error('Enter a quantity for at least one item.'));
      return;
    }
    setBusy(true);
    setError(null);
    setSent(items.map((item) => item.sku));
    const tracking = trackingNumber.trim();
    try {
      const result = await addShipment(po.id, {
        ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
        trackingNumber: tracking,
        items,
      });
      onAdded({ trackingNumber: tracking, autoShipped: result.autoShipped });
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label className="field">
          <span>Carrier (optional)</span>
          <input
            value={carrier}
            maxLength={64}
            autoComplete="off"
            placeholder="e.g. UPS"
            // biome-ignore lint/a11y/noAutofocus: the form starts here; the dialog was opened to fill it.
            autoFocus
            aria-invalid={isFieldInvalid(error, 'carrier')}
            onChange={(e) => setCarrier(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Tracking number</span>
          <input
            required
            value={trackingNumber}
            maxLength={64}
            autoComplete="off"
            aria-invalid={isFieldInvalid(error, 'trackingNumber')}
            onChange={(e) => setTrackingNumber(e.target.value)}
          />
        </label>
      </div>
      <fieldset className="shipment-items">
        <legend>Items in this shipment</legend>
        {lines.map((line) => (
          <label key={line.sku} className="shipment-item">
            <span className="shipment-item-name">
              {nameOf(line.sku)} <span className="mono muted">{line.sku}</span>
            </span>
            <span className="muted small">{line.remaining} left</span>
            <input
              type="number"
              inputMode="numeric"
              min={0}
              max={line.remaining}
              step={1}
              value={qty[line.sku] ?? ''}
              aria-invalid={itemInvalid(line.sku, 'qty') || itemInvalid(line.sku, 'sku')}
              onChange={(e) => setQty((current) => ({ ...current, [line.sku]: e.target.value }))}
            />
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add shipment'}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
