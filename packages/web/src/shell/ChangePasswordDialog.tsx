import { type FormEvent, useState } from 'react';
import { changePassword } from '../api/auth';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';

/**
 * Lets the signed-in person change their password. The server ends their other sessions; the
 * dialog says how many, so someone who suspects a stolen password knows it worked.
 */
export function ChangePasswordDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number | null>(null);

  const close = () => {
    setCurrent('');
    setNext('');
    setRepeat('');
    setError(null);
    setDone(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setError(new Error('The new password and its repetition are not the same.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await changePassword(current, next);
      setDone(result.endedSessions);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title="Change password" onClose={close}>
      {done !== null ? (
        <>
          <p role="status">
            Your password was changed.{' '}
            {done === 0
              ? 'You had no other sessions.'
              : `${done} other session${done === 1 ? ' was' : 's were'} signed out.`}
          </p>
          <div className="form-actions">
            <button type="button" className="button primary" onClick={close}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form className="form" onSubmit={submit}>
          <label className="field">
            <span>Current password</span>
            <input
              type="password"
              autoComplete="current-password"
              required
              value={current}
              aria-invalid={isFieldInvalid(error, 'currentPassword')}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </label>
          <Field label="New password" hint="At least 10 characters. Your other sessions will be signed out.">
            {(control) => (
              <input
                {...control}
                type="password"
                autoComplete="new-password"
                required
                minLength={10}
                value={next}
                aria-invalid={isFieldInvalid(error, 'newPassword')}
                onChange={(e) => setNext(e.target.value)}
              />
            )}
          </Field>
          <label className="field">
            <span>Repeat new password</span>
            <input
              type="password"
              autoComplete="new-password"
              required
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </label>
          <ErrorMessage error={error} />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Saving…' : 'Change password'}
            </button>
            <button type="button" className="button" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
