import { type FormEvent, useState } from 'react';
import {
  type FieldValue,
  logRecord,
  type RecordSummary,
  type TrackerRecord,
  type TrackerType,
} from '../api/trackers';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';

/** The value a form input holds for a field, turned into what the API takes. */
export function toValue(type: string, raw: string): FieldValue | null {
  if (raw.trim() === '') return null;
  if (type === 'number' || type === 'money') return Number(raw);
  if (type === 'boolean') return raw === 'true';
  return raw;
}

/**
 * Logs a record of one tracker type with a form built from the pack's fields. From a ticket, the
 * ticket is linked in the same request and the ticket's order is filled in.
 */
export function LogRecordDialog({
  brandId,
  tracker,
  ticketId,
  defaults = {},
  onClose,
  onLogged,
}: {
  brandId: string;
  tracker: TrackerType;
  ticketId?: string;
  defaults?: Record<string, string>;
  onClose: () => void;
  onLogged: (record: TrackerRecord, raised: RecordSummary | null) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(tracker.fields.map((f) => [f.name, defaults[f.type] ?? defaults[f.name] ?? ''])),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const fields = Object.fromEntries(
        tracker.fields.map((f) => [f.name, toValue(f.type, values[f.name] ?? '')]),
      );
      const res = await logRecord(brandId, tracker.type, { fields, ...(ticketId ? { ticketId } : {}) });
      onLogged(res.data, res.raised);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));

  return (
    <Dialog open title={`Log ${tracker.title}`} onClose={onClose}>
      <form onSubmit={submit} className="form">
        {tracker.description && <p className="muted small">{tracker.description}</p>}
        <FieldInputs tracker={tracker} values={values} error={error} onChange={set} />
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Logging…' : 'Log record'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Inputs for a type's fields, named by the field labels; a field the API refused is marked invalid. */
export function FieldInputs({
  tracker,
  values,
  error,
  onChange: set,
}: {
  tracker: TrackerType;
  values: Record<string, string>;
  error: unknown;
  onChange: (name: string, value: string) => void;
}) {
  return (
    <>
      {tracker.fields.map((f) => {
        const id = `tracker-field-${f.name}`;
        const invalid = isFieldInvalid(error, `fields.${f.name}`);
        const common = { id, name: f.name, 'aria-invalid': invalid || undefined, required: f.required };
        const value = values[f.name] ?? '';
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>
              {f.label}
              {f.required && <span aria-hidden="true"> *</span>}
            </label>
            {f.type === 'choice' ? (
              <select {...common} value={value} onChange={(e) => set(f.name, e.target.value)}>
                <option value="">Choose…</option>
                {(f.options ?? []).map((o) => (
                  <option key={o} value={o}>
                    {o.replaceAll('_', ' ')}
                  </option>
                ))}
              </select>
            ) : f.type === 'boolean' ? (
              <select {...common} value={value} onChange={(e) => set(f.name, e.target.value)}>
                <option value="">Choose…</option>
                <option value="true">Yes</option>
                <option value="false">No</option>
              </select>
            ) : f.type === 'long_text' ? (
              <textarea {...common} rows={3} value={value} onChange={(e) => set(f.name, e.target.value)} />
            ) : (
              <input
                {...common}
                type={
                  f.type === 'number' || f.type === 'money'
                    ? 'number'
                    : f.type === 'date'
                      ? 'date'
                      : f.type === 'url'
                        ? 'url'
                        : 'text'
                }
                step={f.type === 'money' ? '0.01' : undefined}
                value={value}
                onChange={(e) => set(f.name, e.target.value)}
              />
            )}
          </div>
        );
      })}
    </>
  );
}
