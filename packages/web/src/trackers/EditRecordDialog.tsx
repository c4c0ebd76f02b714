import { type FormEvent, useState } from 'react';
import { type TrackerRecord, type TrackerType, updateRecord } from '../api/trackers';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { FieldInputs, toValue } from './LogRecordDialog';

/** Changes a record's field values; only the fields that changed are sent, with the loaded version. */
export function EditRecordDialog({
  tracker,
  record,
  onClose,
  onSaved,
}: {
  tracker: TrackerType;
  record: TrackerRecord;
  onClose: () => void;
  onSaved: (record: TrackerRecord) => void;
}) {
  const initial = Object.fromEntries(
    tracker.fields.map((f) => [
      f.name,
      record.fields[f.name] === undefined ? '' : String(record.fields[f.name]),
    ]),
  );
  const [values, setValues] = useState<Record<string, string>>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changed = tracker.fields.filter((f) => values[f.name] !== initial[f.name]);
    if (changed.length === 0) return onClose();
    setBusy(true);
    setError(null);
    try {
      const fields = Object.fromEntries(changed.map((f) => [f.name, toValue(f.type, values[f.name] ?? '')]));
      onSaved(await updateRecord(record.id, { fields, version: record.version }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={`Edit ${record.label}`} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <FieldInputs
          tracker={tracker}
          values={values}
          error={error}
          onChange={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
        />
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
