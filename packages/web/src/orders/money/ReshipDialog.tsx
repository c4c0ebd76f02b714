import { type FormEvent, useState } from 'react';
import { createReshipment, type OrderMoney } from '../../api/money';
import type { Order } from '../../api/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';

type ReshipDialogProps = {
  open: boolean;
  order: Order;
  onClose: () => void;
  onReshipped: (next: OrderMoney) => void;
};

/** Reships items: a new purchase order for them (to the original PO's vendor), with the reason. */
export function ReshipDialog(props: ReshipDialogProps) {
  return (
    <Dialog open={props.open} title="Reship items" onClose={props.onClose}>
      {props.open && <ReshipForm {...props} />}
    </Dialog>
  );
}

function ReshipForm({ order, onClose, onReshipped }: ReshipDialogProps) {
  const [qty, setQty] = useState<Record<string, number>>({});
  const [poId, setPoId] = useState(order.purchaseOrders[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const items = Object.entries(qty)
        .filter(([, n]) => n > 0)
        .map(([sku, n]) => ({ sku, qty: n }));
      onReshipped(
        await createReshipment(order.id, {
          items,
          reason: reason.trim(),
          ...(poId ? { originalPoId: poId } : {}),
        }),
      );
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <fieldset className="money-items">
        <legend>Items to send again</legend>
        {order.items.map((item) => (
          <Field key={item.sku} label={`${item.sku} · ${item.name}`} hint={`Ordered: ${item.qty}`}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                max={item.qty}
                value={qty[item.sku] ?? 0}
                onChange={(e) => setQty({ ...qty, [item.sku]: Number(e.target.value) })}
              />
            )}
          </Field>
        ))}
      </fieldset>
      {order.purchaseOrders.length > 0 && (
        <Field label="Replaces the shipment of" hint="Its vendor ships the new PO.">
          {(control) => (
            <select {...control} value={poId} onChange={(e) => setPoId(e.target.value)}>
              {order.purchaseOrders.map((po) => (
                <option key={po.id} value={po.id}>
                  {po.number} · {po.vendor}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Reason">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={1000}
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Reship'}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
