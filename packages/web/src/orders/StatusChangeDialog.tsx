import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { setPoStatus } from '../api/orders';
import type { Order, PurchaseOrder } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { poLabel } from './poLabel';

type StatusChangeDialogProps = {
  po: PurchaseOrder;
  /** The status to set; null while closed. */
  status: string | null;
  onClose: () => void;
  onChanged: (order: Order, status: string) => void;
  onRefused: (error: unknown) => void;
};

/**
 * Confirms a PO status change and asks why, for the PO's history. It sends the version the page
 * shows, so a change someone else made meanwhile is refused rather than overwritten.
 */
export function StatusChangeDialog(props: StatusChangeDialogProps) {
  return (
    <Dialog
      open={props.status !== null}
      title={`Set ${poLabel(props.po.number)} to ${props.status ?? ''}`}
      onClose={props.onClose}
    >
      {props.status !== null && <StatusChangeForm {...props} status={props.status} />}
    </Dialog>
  );
}

function StatusChangeForm({
  po,
  status,
  onClose,
  onChanged,
  onRefused,
}: StatusChangeDialogProps & { status: string }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      const order = await setPoStatus(po.id, {
        status,
        version: po.version,
        ...(trimmed ? { reason: trimmed } : {}),
      });
      onChanged(order, status);
    } catch (e) {
      setBusy(false);
      // A guardrail or a newer version: the page is out of date, so it reloads and says why.
      if (e instanceof ApiError && (e.code === 'guardrail_violation' || e.code === 'conflict')) onRefused(e);
      else setError(e);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted small dialog-lead">
        {poLabel(po.number)} from {po.vendor} goes from <strong>{po.status}</strong> to{' '}
        <strong>{status}</strong>.
      </p>
      <Field label="Reason (optional)" hint="Saved in the PO’s status history.">
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
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : `Set ${status}`}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
