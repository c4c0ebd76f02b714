import { type FormEvent, useId, useState } from 'react';
import { addMember } from '../api/brandAdmin';
import type { Member, Role } from '../api/types';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { RoleSelect } from './RoleSelect';

/** Gives an existing account a role in the brand; accounts themselves are created under Users. */
export function AddMemberForm({
  brandId,
  roles,
  onAdded,
}: {
  brandId: string;
  roles: Role[] | undefined;
  onAdded: (member: Member) => void;
}) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('');
  const roleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAdded(await addMember(brandId, { email, role }));
      setEmail('');
      setRole('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add member">
      <label className="field">
        <span>Email</span>
        <input
          type="email"
          required
          value={email}
          placeholder="name@company.com"
          aria-invalid={isFieldInvalid(error, 'email')}
          onChange={(e) => setEmail(e.target.value)}
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
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add member'}
      </button>
      <ErrorMessage error={error} />
    </form>
  );
}
