import { type FormEvent, useState } from 'react';
import { createUser } from '../api/organization';
import type { User } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';

/** Creates an account in the organization; brand admins then add it to brands under Members. */
export function CreateUserDialog({
  open,
  onCreated,
  onClose,
}: {
  open: boolean;
  onCreated: (user: User) => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="New account" onClose={onClose}>
      <CreateUserForm onCreated={onCreated} onClose={onClose} />
    </Dialog>
  );
}

function CreateUserForm({ onCreated, onClose }: { onCreated: (user: User) => void; onClose: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isOrgAdmin, setIsOrgAdmin] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await createUser({ email, name, password, isOrgAdmin }));
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>Email</span>
        <input
          type="email"
          required
          value={email}
          autoComplete="off"
          aria-invalid={isFieldInvalid(error, 'email')}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Name</span>
        <input
          required
          value={name}
          maxLength={120}
          aria-invalid={isFieldInvalid(error, 'name')}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <Field
        label="Initial password"
        hint="At least 10 characters. Share it safely; they can change it later."
      >
        {(control) => (
          <input
            {...control}
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            value={password}
            aria-invalid={isFieldInvalid(error, 'password')}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={isOrgAdmin} onChange={(e) => setIsOrgAdmin(e.target.checked)} />
        <span>
          Organization admin
          <small>Manages accounts and creates brands.</small>
        </span>
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
