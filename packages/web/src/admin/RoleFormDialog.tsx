import { type FormEvent, useState } from 'react';
import { createRole, updateRole } from '../api/brandAdmin';
import type { CapabilityInfo, Role } from '../api/types';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';

type RoleFormDialogProps = {
  brandId: string;
  /** The role to edit, or null to create a new one. */
  role: Role | null;
  open: boolean;
  capabilities: CapabilityInfo[] | undefined;
  onSaved: (role: Role) => void;
  onClose: () => void;
};

/** Creates or edits a custom role: its name (fixed once created), title, description and capabilities. */
export function RoleFormDialog(props: RoleFormDialogProps) {
  return (
    <Dialog
      open={props.open}
      title={props.role ? `Edit role “${props.role.title}”` : 'New role'}
      onClose={props.onClose}
      size="wide"
    >
      <RoleForm {...props} />
    </Dialog>
  );
}

function RoleForm({ brandId, role, capabilities, onSaved, onClose }: RoleFormDialogProps) {
  const [name, setName] = useState(role?.name ?? '');
  const [title, setTitle] = useState(role?.title ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [chosen, setChosen] = useState<Set<string>>(new Set(role?.capabilities ?? []));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const toggle = (capability: string, on: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(capability);
      else next.delete(capability);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input = { title, description: description.trim() || null, capabilities: [...chosen] };
    try {
      onSaved(
        role ? await updateRole(brandId, role.id, input) : await createRole(brandId, { name, ...input }),
      );
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <Field
          label="Name"
          hint={role ? 'A role keeps its name.' : 'Lower-case letters, digits and _; used by the API.'}
        >
          {(control) => (
            <input
              {...control}
              required
              value={name}
              disabled={role !== null}
              pattern="[a-z][a-z0-9_]{0,39}"
              placeholder="refund_desk"
              aria-invalid={isFieldInvalid(error, 'name')}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <label className="field">
          <span>Title</span>
          <input
            required
            value={title}
            placeholder="Refund desk"
            aria-invalid={isFieldInvalid(error, 'title')}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
      </div>
      <label className="field">
        <span>Description (optional)</span>
        <textarea
          rows={2}
          value={description}
          aria-invalid={isFieldInvalid(error, 'description')}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <fieldset className="checkbox-list">
        <legend>Capabilities</legend>
        {!capabilities && <p className="muted">Loading capabilities…</p>}
        {capabilities?.map((c) => (
          <label key={c.name} className="checkbox">
            <input
              type="checkbox"
              checked={chosen.has(c.name)}
              onChange={(e) => toggle(c.name, e.target.checked)}
            />
            <span>
              <code>{c.name}</code>
              <small>{c.description}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : role ? 'Save role' : 'Create role'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
