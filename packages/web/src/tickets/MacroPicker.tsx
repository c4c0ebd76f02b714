import { type KeyboardEvent, useState } from 'react';
import { listMacros } from '../api/helpdesk';
import type { Macro } from '../api/helpdeskTypes';
import { type RenderedMacro, renderMacro } from '../api/ticketSop';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useResource } from '../ui/useResource';
import { macroActionText } from './actionText';

type MacroPickerProps = {
  open: boolean;
  brandId: string;
  ticketId: string;
  onClose: () => void;
  /** The chosen macro, filled in for this ticket. */
  onPick: (macro: RenderedMacro) => void;
};

/**
 * Chooses a macro (the pack's and the brand's own) with a preview filled in for this ticket: the
 * text as the customer would read it, the placeholders the ticket has no value for, and what else
 * the macro does. Type to filter, ↑/↓ to move, Enter to use it, Esc to close.
 */
export function MacroPicker(props: MacroPickerProps) {
  return (
    <Dialog open={props.open} title="Insert a macro" onClose={props.onClose} size="wide">
      <MacroPickerBody {...props} />
    </Dialog>
  );
}

function MacroPickerBody({ brandId, ticketId, onPick }: MacroPickerProps) {
  const macros = useResource((signal) => listMacros(brandId, signal), [brandId]);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const q = query.trim().toLowerCase();
  const shown = (macros.data ?? []).filter(
    (m) => !q || m.name.toLowerCase().includes(q) || (m.title ?? '').toLowerCase().includes(q),
  );
  const current = shown.find((m) => m.name === chosen) ?? shown[0];
  const preview = useResource(
    (signal) => (current ? renderMacro(ticketId, current.name, signal) : Promise.resolve(null)),
    [ticketId, current?.name],
  );

  const move = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
      if (event.key === 'Enter') {
        event.preventDefault();
        if (preview.data) onPick(preview.data);
      }
      return;
    }
    event.preventDefault();
    const index = current ? shown.indexOf(current) : -1;
    const next = shown[Math.max(0, Math.min(shown.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
    if (next) setChosen(next.name);
  };

  return (
    <div className="macro-picker">
      <label className="field">
        <span>Find a macro</span>
        <input
          type="search"
          value={query}
          placeholder="Name or title"
          // biome-ignore lint/a11y/noAutofocus: the picker was opened to search for a macro.
          autoFocus
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={move}
        />
      </label>
      <ErrorMessage error={macros.error} />
      <div className="macro-picker-columns">
        <ul className="macro-list" aria-label="Macros">
          {macros.loading && !macros.data && <li className="muted">Loading macros…</li>}
          {macros.data && shown.length === 0 && <li className="muted">No macro matches “{query.trim()}”.</li>}
          {shown.map((macro) => (
            <MacroOption
              key={macro.id}
              macro={macro}
              selected={macro === current}
              onSelect={() => setChosen(macro.name)}
            />
          ))}
        </ul>
        <MacroPreview
          macro={current}
          preview={preview.data ?? undefined}
          error={preview.error}
          onPick={onPick}
        />
      </div>
    </div>
  );
}

function MacroOption({
  macro,
  selected,
  onSelect,
}: {
  macro: Macro;
  selected: boolean;
  onSelect: () => void;
}) {
  const ref = (node: HTMLButtonElement | null) => {
    if (selected) node?.scrollIntoView({ block: 'nearest' });
  };
  return (
    <li>
      <button ref={ref} type="button" className="macro-option" aria-pressed={selected} onClick={onSelect}>
        <span className="macro-option-title">{macro.title ?? macro.name}</span>
        {macro.title && <span className="muted small mono">{macro.name}</span>}
        {macro.source === 'custom' && <span className="tag">brand</span>}
      </button>
    </li>
  );
}

function MacroPreview({
  macro,
  preview,
  error,
  onPick,
}: {
  macro: Macro | undefined;
  preview: RenderedMacro | undefined;
  error: unknown;
  onPick: (macro: RenderedMacro) => void;
}) {
  if (!macro) return <section className="macro-preview muted">Choose a macro to preview it.</section>;
  const ready = preview?.name === macro.name ? preview : undefined;
  return (
    <section className="macro-preview" aria-label={`Preview of ${macro.title ?? macro.name}`}>
      <h3>{macro.title ?? macro.name}</h3>
      <ErrorMessage error={error} />
      {!ready && !error && (
        <p className="muted" role="status">
          Filling in the macro for this ticket…
        </p>
      )}
      {ready && (
        <>
          <pre className="macro-text">{ready.text}</pre>
          {ready.missing.length > 0 && (
            <p className="warning" role="note">
              This ticket has no value for {ready.missing.map((m) => `{{${m}}}`).join(', ')}. Replace{' '}
              {ready.missing.length === 1 ? 'it' : 'them'} in the reply before sending.
            </p>
          )}
          {ready.actions.length > 0 && (
            <div className="macro-actions-preview">
              <h4>Sending it also</h4>
              <ul>
                {ready.actions.map((action) => (
                  <li key={JSON.stringify(action)}>{macroActionText(action)}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="button primary" onClick={() => onPick(ready)}>
              Use this macro
            </button>
          </div>
        </>
      )}
    </section>
  );
}
