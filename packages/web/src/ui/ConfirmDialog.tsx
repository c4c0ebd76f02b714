import { type ReactNode, useState } from 'react';
import { Dialog } from './Dialog';
import { ErrorMessage } from './ErrorMessage';

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
};

/**
 * Asks before a destructive action (remove, revoke, disable). Shows the API's error in place when
 * the action fails, and closes only when it succeeds.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={title} onClose={close}>
      <div className="confirm-text">{children}</div>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="button" className="button danger" onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
        <button type="button" className="button" onClick={close} disabled={busy}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
