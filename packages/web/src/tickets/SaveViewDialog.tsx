import { type FormEvent, useState } from 'react';
import { createView } from '../api/helpdesk';
import type { SavedView } from '../api/helpdeskTypes';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import type { InboxFilters } from './inboxFilters';

type SaveViewDialogProps = {
  open: boolean;
  brandId: string;
  filters: InboxFilters;
  /** Whether the person may share views with the whole brand (helpdesk.manage). */
  canShare: boolean;
  onSaved: (view: SavedView) => void;
  onClose: () => void;
};

/** Saves the inbox's current filters and sort as a named view, private or shared with the brand. */
export function SaveViewDialog(props: SaveViewDialogProps) {
  return (
    <Dialog open={props.open} title="Save view" onClose={props.onClose}>
      <SaveViewForm {...props} />
    </Dialog>
  );
}

function SaveViewForm({ brandId, filters, canShare, onSaved, onClose }: SaveViewDialogProps) {
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { sort, ...rest } = filters;
      const chosen = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== ''));
      onSaved(await createView(brandId, { name, shared, filters: chosen, sort }));
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <label className="field">
        <span>Name</span>
        <input
          required
          maxLength={200}
          value={name}
          // biome-ignore lint/a11y/noAutofocus: the dialog was opened to name the view.
          autoFocus
          aria-invalid={isFieldInvalid(error, 'name')}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      {canShare && (
        <label className="checkbox">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
          <span>
            Share with everyone in the brand
            <small>Otherwise only you see this view.</small>
          </span>
        </label>
      )}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save view'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
