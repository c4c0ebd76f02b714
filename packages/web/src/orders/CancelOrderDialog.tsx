import { type FormEvent, useState } from 'react';
import { cancelOrder } from '../api/orders';
import type { Order } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';

type CancelOrderDialogProps = {
  order: Order;
  open: boolean;
  onClose: () => void;
  onCanceled: (order: Order) => void;
};

/**
 * Confirms cancelling an order's unshipped items and asks why. A cancellation the brand's SOP does
 * not allow now (outside the cancellation window without an approved exception) is refused by the
 * server, and the dialog shows the rule's reason and what to do instead.
 */
export function CancelOrderDialog(props: CancelOrderDialogProps) {
  return (
    <Dialog open={props.open} title={`Cancel order ${props.order.number}`} onClose={props.onClose}>
      {props.open && <CancelOrderForm {...props} />}
    </Dialog>
  );
}

function CancelOrderForm({ order, onClose, onCanceled }: CancelOrderDialogProps) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      onCanceled(await cancelOrder(order.id, trimmed ? { reason: trimmed } : {}));
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted small dialog-lead">
        Every item of order {order.number} that has not shipped is canceled on its purchase order.
      </p>
      <Field label="Reason (optional)" hint="Saved with the cancellation in the order’s history.">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={1000}
            value={reason}
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to ask for this reason.
            autoFocus
            aria-invalid={isFieldInvalid(error, 'reason')}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button danger" disabled={busy}>
          {busy ? 'Canceling…' : 'Cancel the order'}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Keep it
        </button>
      </div>
    </form>
  );
}
