import { type FormEvent, useRef, useState } from 'react';
import { createMacro, listQueues, updateMacro } from '../api/helpdesk';
import type { Macro, MacroAction } from '../api/helpdeskTypes';
import { durationText } from '../tickets/actionText';
import { DEFAULT_STATUSES, statusLabel } from '../tickets/ticketText';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useResource } from '../ui/useResource';
import { PLACEHOLDERS, placeholderProblems } from './placeholders';

type MacroFormDialogProps = {
  brandId: string;
  /** The macro to edit (or view, for a pack macro), or null for a new one. */
  macro: Macro | null;
  readOnly: boolean;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
};

const ACTION_TYPES: { type: MacroAction['type']; label: string }[] = [
  { type: 'set_status', label: 'Set ticket status' },
  { type: 'add_tag', label: 'Add a tag' },
  { type: 'set_queue', label: 'Move to a queue' },
  { type: 'set_po_status', label: 'Set the PO’s status' },
  { type: 'follow_up', label: 'Follow up after' },
];

/** An action as the editor holds it: every kind's value in one string. */
type DraftAction = { key: number; type: MacroAction['type']; value: string; unit: 'H' | 'D' };

let nextKey = 0;

function toDraft(action: Record<string, unknown>): DraftAction {
  const type = action.type as MacroAction['type'];
  if (type === 'follow_up') {
    const match = /^P(?:(\d+)D)?(?:T(\d+)H)?$/.exec(String(action.after ?? ''));
    if (match?.[2] && !match[1]) return { key: ++nextKey, type, value: match[2], unit: 'H' };
    return { key: ++nextKey, type, value: match?.[1] ?? '1', unit: 'D' };
  }
  const field = type === 'add_tag' ? 'tag' : type === 'set_queue' ? 'queue' : 'status';
  return { key: ++nextKey, type, value: String(action[field] ?? ''), unit: 'D' };
}

function fromDraft(draft: DraftAction): MacroAction {
  const value = draft.value.trim();
  switch (draft.type) {
    case 'set_status':
      return { type: 'set_status', status: value };
    case 'add_tag':
      return { type: 'add_tag', tag: value };
    case 'set_queue':
      return { type: 'set_queue', queue: value };
    case 'set_po_status':
      return { type: 'set_po_status', status: value };
    case 'follow_up':
      return { type: 'follow_up', after: draft.unit === 'H' ? `PT${value}H` : `P${value}D` };
  }
}

/**
 * Creates or edits a brand macro: its name, title, text with placeholders (listed beside it, and
 * checked as you type) and actions; a pack macro opens read-only.
 */
export function MacroFormDialog(props: MacroFormDialogProps) {
  const title = props.readOnly
    ? `Macro “${props.macro?.title ?? props.macro?.name ?? ''}” (from the pack)`
    : props.macro
      ? `Edit macro “${props.macro.title ?? props.macro.name}”`
      : 'New macro';
  return (
    <Dialog open={props.open} title={title} onClose={props.onClose} size="wide">
      <MacroForm {...props} />
    </Dialog>
  );
}

function MacroForm({ brandId, macro, readOnly, onClose, onSaved }: MacroFormDialogProps) {
  const [name, setName] = useState(macro?.name ?? '');
  const [title, setTitle] = useState(macro?.title ?? '');
  const [body, setBody] = useState(macro?.body ?? '');
  const [actions, setActions] = useState<DraftAction[]>(() => (macro?.actions ?? []).map(toDraft));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const queues = useResource((signal) => listQueues(brandId, signal), [brandId]);
  const problems = placeholderProblems(body);

  const insert = (placeholder: string) => {
    const text = `{{${placeholder}}}`;
    const area = bodyRef.current;
    const start = area?.selectionStart ?? body.length;
    const end = area?.selectionEnd ?? body.length;
    setBody((current) => current.slice(0, start) + text + current.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const setAction = (i: number, change: Partial<DraftAction>) =>
    setActions((list) => list.map((a, j) => (j === i ? { ...a, ...change } : a)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const input = {
      name: name.trim(),
      title: title.trim() || undefined,
      body,
      actions: actions.map(fromDraft),
    };
    try {
      if (macro?.version != null) await updateMacro(macro.id, { ...input, version: macro.version });
      else await createMacro(brandId, input);
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form macro-form" onSubmit={submit}>
      <div className="form-row">
        <Field label="Name" hint="How agents find it, e.g. “Refund issued”. Unique in the brand.">
          {(control) => (
            <input
              {...control}
              required
              maxLength={200}
              value={name}
              readOnly={readOnly}
              aria-invalid={isFieldInvalid(error, 'name')}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <label className="field">
          <span>Title (optional)</span>
          <input
            maxLength={300}
            value={title}
            readOnly={readOnly}
            aria-invalid={isFieldInvalid(error, 'title')}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
      </div>
      <div className="macro-editor">
        <Field label="Text">
          {(control) => (
            <textarea
              {...control}
              ref={bodyRef}
              className="macro-body"
              required
              rows={10}
              maxLength={50_000}
              value={body}
              readOnly={readOnly}
              aria-invalid={isFieldInvalid(error, 'body') || problems.length > 0}
              onChange={(e) => setBody(e.target.value)}
            />
          )}
        </Field>
        <div className="placeholder-list">
          <h3 id="placeholder-list-title">Placeholders</h3>
          <p className="muted small">
            Filled in from the ticket when the macro is used. {readOnly ? '' : 'Click one to insert it.'}
          </p>
          <ul aria-labelledby="placeholder-list-title">
            {Object.entries(PLACEHOLDERS).map(([placeholder, description]) => (
              <li key={placeholder}>
                {readOnly ? (
                  <code>{`{{${placeholder}}}`}</code>
                ) : (
                  <button
                    type="button"
                    className="button link small mono"
                    title={description}
                    aria-label={`Insert ${placeholder}: ${description}`}
                    onClick={() => insert(placeholder)}
                  >
                    {`{{${placeholder}}}`}
                  </button>
                )}
                <span className="muted small">{description}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
      {problems.length > 0 && (
        <ul className="error-message placeholder-problems" role="alert">
          {problems.map((p) => (
            <li key={p.text}>{p.message}</li>
          ))}
        </ul>
      )}
      <fieldset className="checkbox-list macro-actions-editor">
        <legend>When sent, also</legend>
        {actions.length === 0 && (
          <p className="muted small">Nothing else: the macro only writes the reply.</p>
        )}
        {actions.map((action, i) => {
          const n = i + 1;
          return (
            <div key={action.key} className="macro-action-row">
              <select
                aria-label={`Action ${n} type`}
                value={action.type}
                disabled={readOnly}
                onChange={(e) => setAction(i, { type: e.target.value as MacroAction['type'], value: '' })}
              >
                {ACTION_TYPES.map((t) => (
                  <option key={t.type} value={t.type}>
                    {t.label}
                  </option>
                ))}
              </select>
              {action.type === 'set_status' && (
                <select
                  aria-label={`Action ${n} status`}
                  required
                  value={action.value}
                  disabled={readOnly}
                  onChange={(e) => setAction(i, { value: e.target.value })}
                >
                  <option value="">Choose a status</option>
                  {DEFAULT_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {statusLabel(s)}
                    </option>
                  ))}
                </select>
              )}
              {action.type === 'set_queue' && (
                <select
                  aria-label={`Action ${n} queue`}
                  required
                  value={action.value}
                  disabled={readOnly}
                  onChange={(e) => setAction(i, { value: e.target.value })}
                >
                  <option value="">Choose a queue</option>
                  {queues.data?.map((q) => (
                    <option key={q.id} value={q.name}>
                      {q.title}
                    </option>
                  ))}
                </select>
              )}
              {(action.type === 'add_tag' || action.type === 'set_po_status') && (
                <input
                  aria-label={`Action ${n} ${action.type === 'add_tag' ? 'tag' : 'PO status'}`}
                  required
                  maxLength={200}
                  value={action.value}
                  readOnly={readOnly}
                  placeholder={action.type === 'add_tag' ? 'vip' : 'On-Hold'}
                  onChange={(e) => setAction(i, { value: e.target.value })}
                />
              )}
              {action.type === 'follow_up' && (
                <>
                  <input
                    type="number"
                    min={1}
                    max={365}
                    required
                    aria-label={`Action ${n} follow up after`}
                    value={action.value}
                    readOnly={readOnly}
                    onChange={(e) => setAction(i, { value: e.target.value })}
                  />
                  <select
                    aria-label={`Action ${n} unit`}
                    value={action.unit}
                    disabled={readOnly}
                    onChange={(e) => setAction(i, { unit: e.target.value as 'H' | 'D' })}
                  >
                    <option value="H">hours</option>
                    <option value="D">days</option>
                  </select>
                  {action.value && (
                    <span className="muted small">
                      {durationText(action.unit === 'H' ? `PT${action.value}H` : `P${action.value}D`)}
                    </span>
                  )}
                </>
              )}
              {!readOnly && (
                <button
                  type="button"
                  className="button small danger-text"
                  aria-label={`Remove action ${n}`}
                  onClick={() => setActions((list) => list.filter((_, j) => j !== i))}
                >
                  Remove
                </button>
              )}
            </div>
          );
        })}
        {!readOnly && (
          <div>
            <button
              type="button"
              className="button small"
              disabled={actions.length >= 20}
              onClick={() =>
                setActions((list) => [...list, { key: ++nextKey, type: 'set_status', value: '', unit: 'D' }])
              }
            >
              Add action
            </button>
          </div>
        )}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions">
        {!readOnly && (
          <button type="submit" className="button primary" disabled={busy || problems.length > 0}>
            {busy ? 'Saving…' : macro ? 'Save macro' : 'Create macro'}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          {readOnly ? 'Close' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}
