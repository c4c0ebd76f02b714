import {
  type FormEvent,
  type KeyboardEvent,
  type Ref,
  useEffect,
  useId,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import type { AttachmentUpload, Ticket } from '../api/helpdeskTypes';
import { applyAdvice, applyMacro, type RenderedMacro } from '../api/ticketSop';
import { addMessage, updateTicket } from '../api/tickets';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatBytes } from '../ui/format';
import { macroActionText } from './actionText';
import {
  type DraftMacro as ChosenMacro,
  clearDraft,
  loadDraft,
  readAsBase64,
  saveDraft,
  unfilledPlaceholders,
} from './drafts';
import { statusLabel } from './ticketText';
import type { TicketState } from './useTicketState';

/** The API takes attachments up to 10 MB each. */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type ComposerHandle = {
  /** Opens the composer in reply or note mode with the cursor in the text (`r`, `n`). */
  start(mode: 'reply' | 'note'): void;
  /**
   * Puts a macro filled in for this ticket into the text. From the advice panel, `advice` names
   * the advised action, so sending it (as a reply) records the advice as followed.
   */
  insertMacro(macro: RenderedMacro, advice?: { index: number; rule: string }): void;
};

type AttachedFile = AttachmentUpload & { size: number; key: number };

let nextFileKey = 0;

type ComposerProps = {
  ref?: Ref<ComposerHandle>;
  ticket: Ticket;
  change: TicketState['change'];
  onOpenMacros: () => void;
  /** Whether the composer holds text, for presence ("replying"). */
  onTyping: (typing: boolean) => void;
  onSent: (message: string) => void;
};

/**
 * Writes a public reply (mailed to the customer) or an internal note, with attachments, an
 * optional status to set in the same step, and macros. A macro's blanks (`{{order.number}}`) must
 * be filled before a reply can go; a brand macro's actions and an advised macro go through the SOP
 * routes so they are applied and recorded. The draft survives moving between tickets and reloads.
 */
export function Composer({ ref, ticket, change, onOpenMacros, onTyping, onSent }: ComposerProps) {
  const canReply = ticket.allowed.includes('reply');
  const canNote = ticket.allowed.includes('note');
  const [draft] = useState(() => loadDraft(ticket.id));
  const [mode, setMode] = useState<'reply' | 'note'>(draft?.mode === 'note' || !canReply ? 'note' : 'reply');
  const [body, setBody] = useState(draft?.body ?? '');
  const [macro, setMacro] = useState<ChosenMacro | null>(draft?.macro ?? null);
  const [files, setFiles] = useState<AttachedFile[]>([]);
  const [thenStatus, setThenStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const typing = body.trim().length > 0;

  useEffect(() => onTyping(typing), [typing, onTyping]);
  useEffect(() => saveDraft(ticket.id, { mode, body, macro }), [ticket.id, mode, body, macro]);

  const focusText = () => requestAnimationFrame(() => textRef.current?.focus());
  useImperativeHandle(ref, () => ({
    start(next) {
      if ((next === 'reply' && canReply) || (next === 'note' && canNote)) setMode(next);
      focusText();
    },
    insertMacro(rendered, advice) {
      // An advised macro is a reply to the customer; one picked by hand goes where the agent writes.
      if (advice && canReply) setMode('reply');
      setBody((current) => (current.trim() ? `${current.trimEnd()}\n\n${rendered.text}` : rendered.text));
      setMacro({ name: rendered.name, title: rendered.title, actions: rendered.actions, advice });
      focusText();
    },
  }));

  if (!canReply && !canNote) return null;

  const unfilled = unfilledPlaceholders(body);
  const blocked = mode === 'reply' && unfilled.length > 0;
  // A brand macro's actions and advised macros are applied by the SOP routes, which take no files.
  const viaSop =
    mode === 'reply' && macro !== null && (macro.advice !== undefined || macro.actions.length > 0);
  const sopWithFiles = viaSop && files.length > 0;

  const attach = async (list: FileList | null) => {
    setError(null);
    const chosen = [...(list ?? [])];
    const tooBig = chosen.find((f) => f.size > MAX_FILE_BYTES);
    if (tooBig) {
      setError(new Error(`${tooBig.name} is ${formatBytes(tooBig.size)}; attachments may be at most 10 MB.`));
      return;
    }
    try {
      const read = await Promise.all(
        chosen.map(async (file) => ({
          filename: file.name,
          contentType: file.type || 'application/octet-stream',
          contentBase64: await readAsBase64(file),
          size: file.size,
          key: ++nextFileKey,
        })),
      );
      setFiles((current) => [...current, ...read]);
    } catch (e) {
      setError(e);
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const reset = () => {
    setBody('');
    setMacro(null);
    setFiles([]);
    setThenStatus('');
    clearDraft(ticket.id);
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!typing || blocked || busy) return;
    setBusy(true);
    setError(null);
    const text = body.trim();
    try {
      const result = await change(async (current) => {
        if (viaSop && !sopWithFiles && macro) {
          let next = macro.advice
            ? (
                await applyAdvice(current.id, {
                  index: macro.advice.index,
                  rule: macro.advice.rule,
                  version: current.version,
                  body: text,
                })
              ).ticket
            : (await applyMacro(current.id, { macro: macro.name, body: text, version: current.version }))
                .ticket;
          if (thenStatus && thenStatus !== next.status && next.nextStatuses.includes(thenStatus)) {
            next = await updateTicket(current.id, { status: thenStatus, version: next.version });
          }
          return next;
        }
        return addMessage(current.id, {
          kind: mode,
          body: text,
          version: current.version,
          ...(macro ? { macro: macro.name } : {}),
          ...(thenStatus ? { status: thenStatus } : {}),
          ...(files.length
            ? {
                attachments: files.map(({ filename, contentType, contentBase64 }) => ({
                  filename,
                  contentType,
                  contentBase64,
                })),
              }
            : {}),
        });
      });
      if (result) {
        const what = mode === 'reply' ? 'Reply sent' : 'Note added';
        reset();
        onSent(thenStatus ? `${what}; the ticket is now ${statusLabel(result.status)}.` : `${what}.`);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      textRef.current?.blur();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  const verb = mode === 'reply' ? 'Send reply' : 'Add note';
  return (
    <form className={`composer composer-${mode}`} aria-label="Reply or note" onSubmit={send}>
      <div className="composer-top">
        <fieldset className="segmented" aria-label="Message type">
          <label className={mode === 'reply' ? 'segment active' : 'segment'}>
            <input
              type="radio"
              name={`${hintId}-mode`}
              value="reply"
              checked={mode === 'reply'}
              disabled={!canReply}
              aria-label="Reply"
              aria-keyshortcuts="r"
              onChange={() => setMode('reply')}
            />
            Reply <kbd>r</kbd>
          </label>
          <label className={mode === 'note' ? 'segment active' : 'segment'}>
            <input
              type="radio"
              name={`${hintId}-mode`}
              value="note"
              checked={mode === 'note'}
              disabled={!canNote}
              aria-label="Internal note"
              aria-keyshortcuts="n"
              onChange={() => setMode('note')}
            />
            Internal note <kbd>n</kbd>
          </label>
        </fieldset>
        <button
          type="button"
          className="button small"
          aria-label="Insert a macro"
          aria-keyshortcuts="m"
          onClick={onOpenMacros}
          disabled={!canReply && !canNote}
        >
          Macro <kbd>m</kbd>
        </button>
      </div>
      {!canReply && (
        <p className="muted small composer-hint">
          Replies are closed on this ticket; internal notes still work.
        </p>
      )}
      <textarea
        ref={textRef}
        className="composer-text"
        rows={6}
        maxLength={200_000}
        value={body}
        aria-label={mode === 'reply' ? 'Reply to the customer' : 'Internal note'}
        aria-describedby={hintId}
        placeholder={
          mode === 'reply'
            ? 'Write to the customer…'
            : 'Write a note for the team; the customer never sees it…'
        }
        aria-invalid={blocked}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={hintId} className="muted small composer-hint">
        {mode === 'reply'
          ? `Goes by email to ${ticket.customer?.email ?? 'the customer'}.`
          : 'Only people in the brand see notes.'}{' '}
        Ctrl+Enter sends, Esc leaves the text box.
      </p>
      {macro && (
        <div className="composer-macro">
          <span>
            Macro <strong>{macro.title ?? macro.name}</strong>
            {macro.advice && ' (advised)'}
          </span>
          {mode === 'reply' && macro.actions.length > 0 && (
            <span className="muted small">
              Sending also: {macro.actions.map(macroActionText).join('; ')}
              {sopWithFiles && ' — not with attachments: remove the files to apply these.'}
            </span>
          )}
          <button type="button" className="button link small" onClick={() => setMacro(null)}>
            Detach macro
          </button>
        </div>
      )}
      {unfilled.length > 0 && (
        <div className={mode === 'reply' ? 'error-message' : 'warning'} role="alert">
          Fill in {unfilled.map((p) => `{{${p}}}`).join(', ')} before sending: this ticket has no value for{' '}
          {unfilled.length === 1 ? 'it' : 'them'}.
        </div>
      )}
      {files.length > 0 && (
        <ul className="composer-files" aria-label="Attached files">
          {files.map((file) => (
            <li key={file.key} className="chip">
              {file.filename} <span className="muted">{formatBytes(file.size)}</span>
              <button
                type="button"
                className="icon-button small-icon"
                aria-label={`Remove ${file.filename}`}
                onClick={() => setFiles((current) => current.filter((f) => f.key !== file.key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      <div className="composer-actions">
        <label className="button small file-button">
          Attach files
          <input
            ref={fileRef}
            type="file"
            multiple
            className="visually-hidden"
            onChange={(e) => void attach(e.target.files)}
          />
        </label>
        <label className="field inline-field">
          <span>Then set status</span>
          <select
            value={thenStatus}
            onChange={(e) => setThenStatus(e.target.value)}
            disabled={!ticket.allowed.includes('update')}
          >
            <option value="">Keep {statusLabel(ticket.status)}</option>
            {ticket.nextStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button primary" disabled={busy || !typing || blocked}>
          {busy ? 'Sending…' : thenStatus ? `${verb} and set ${statusLabel(thenStatus)}` : verb}
        </button>
      </div>
    </form>
  );
}
