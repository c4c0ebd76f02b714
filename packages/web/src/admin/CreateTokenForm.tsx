import { type FormEvent, useId, useState } from 'react';
import { createApiToken } from '../api/brandAdmin';
import type { ApiToken, Role } from '../api/types';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { RoleSelect } from './RoleSelect';

/** The end of the chosen day in the reader's time zone, as the API's ISO date-time. */
function endOfDay(date: string): string {
  return new Date(`${date}T23:59:59`).toISOString();
}

/** Creates an API token bound to one of the brand's roles, optionally expiring at the end of a day. */
export function CreateTokenForm({
  brandId,
  roles,
  onCreated,
}: {
  brandId: string;
  roles: Role[] | undefined;
  onCreated: (created: { data: ApiToken; token: string }) => void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [expires, setExpires] = useState('');
  const roleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const today = new Date().toISOString().slice(0, 10);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await createApiToken(brandId, { name, role, expiresAt: expires ? endOfDay(expires) : null }));
      setName('');
      setRole('');
      setExpires('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Create API token">
      <label className="field">
        <span>Name</span>
        <input
          required
          value={name}
          placeholder="Shop sync"
          maxLength={80}
          aria-invalid={isFieldInvalid(error, 'name')}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <div className="field">
        <label htmlFor={roleId}>Role</label>
        <RoleSelect
          id={roleId}
          roles={roles}
          value={role}
          onChange={setRole}
          invalid={isFieldInvalid(error, 'role')}
        />
      </div>
      <label className="field">
        <span>Expires (optional)</span>
        <input
          type="date"
          value={expires}
          min={today}
          aria-invalid={isFieldInvalid(error, 'expiresAt')}
          onChange={(e) => setExpires(e.target.value)}
        />
      </label>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create token'}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
