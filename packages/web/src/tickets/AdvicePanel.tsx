import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import type { Ticket } from '../api/helpdeskTypes';
import {
  type AdvisedAction,
  type AppliedAdvice,
  applyAdvice,
  fetchAdvice,
  overrideAdvice,
  type TicketAdvice,
} from '../api/ticketSop';
import { fetchTicket } from '../api/tickets';
import { brandPath } from '../shell/paths';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useResource } from '../ui/useResource';
import { adviceActionText } from './actionText';
import { humanize } from './ticketText';
import type { TicketState } from './useTicketState';

/** Actions Casebook carries out itself when the agent applies them. */
const APPLIED_HERE = ['set_po_status', 'escalate', 'follow_up', 'add_note', 'categorize', 'notify'];

type AdvicePanelProps = {
  brandId: string;
  ticket: Ticket;
  change: TicketState['change'];
  /** send_macro: opens the composer with the macro filled in, tied to this advised action. */
  onSendMacro: (action: AdvisedAction) => void;
  /** Contacting the customer: opens the reply. */
  onReply: () => void;
  /** Contacting a vendor, supplier or carrier: opens a side conversation with them. */
  onSideConversation: (withWhom: string) => void;
};

/**
 * What the brand's SOP requires next on this ticket and why: the intent (inferred, or chosen by an
 * agent), the steps in order with the rule and the facts behind each, one-click apply, and the
 * steps the agent's role may not do with who may. It loads again whenever the ticket changes.
 */
export function AdvicePanel(props: AdvicePanelProps) {
  const { ticket } = props;
  const advice = useResource((signal) => fetchAdvice(ticket.id, signal), [ticket.id, ticket.version]);
  return (
    <section className="aside-card advice-panel" aria-labelledby="advice-title">
      <h2 id="advice-title" className="aside-title">
        SOP advice
      </h2>
      <ErrorMessage error={advice.error} />
      {advice.loading && !advice.data && (
        <p className="muted small" role="status">
          Working out what the SOP requires…
        </p>
      )}
      {advice.data && (
        <AdviceBody {...props} advice={advice.data} onAdvice={(next) => advice.setData(() => next)} />
      )}
    </section>
  );
}

function AdviceBody({
  brandId,
  ticket,
  change,
  advice,
  onAdvice,
  onSendMacro,
  onReply,
  onSideConversation,
}: AdvicePanelProps & { advice: TicketAdvice; onAdvice: (advice: TicketAdvice) => void }) {
  const [busy, setBusy] = useState<number | null>(null);
  const [errors, setErrors] = useState<Record<number, unknown>>({});
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [skipping, setSkipping] = useState<number | null>(null);
  const canWork = ticket.allowed.includes('update');

  const apply = async (entry: AdvisedAction) => {
    if (entry.action.type === 'send_macro') {
      onSendMacro(entry);
      return;
    }
    setBusy(entry.index);
    setErrors((e) => ({ ...e, [entry.index]: null }));
    setNotes((n) => ({ ...n, [entry.index]: '' }));
    try {
      const holder: { result?: AppliedAdvice } = {};
      const updated = await change(async (t) => {
        holder.result = await applyAdvice(t.id, { index: entry.index, rule: entry.rule, version: t.version });
        return holder.result.ticket;
      });
      const done = holder.result;
      if (!updated || !done) return;
      if (done.applied) {
        onAdvice(done.advice);
        // A post leaves no trace on the ticket itself: say where it went.
        if (entry.action.type === 'notify')
          setNotes((n) => ({ ...n, [entry.index]: `Posted to ${String(entry.action.channel)}.` }));
        return;
      }
      const view = done.next?.view;
      if (view === 'reply') onReply();
      else if (view === 'side_conversation')
        onSideConversation(String(entry.action.with ?? entry.action.who ?? 'vendor'));
      else setNotes((n) => ({ ...n, [entry.index]: nextStepText(view, advice) }));
    } catch (e) {
      setErrors((current) => ({ ...current, [entry.index]: e }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <IntentLine advice={advice} onAdvice={onAdvice} canWork={canWork} change={change} />
      {advice.playbook && (
        <p className="small advice-playbook">
          Playbook: <strong>{advice.playbook.title}</strong>
        </p>
      )}
      {advice.actions.length === 0 && advice.blocked.length === 0 && (
        <p className="muted small">The SOP asks for nothing more on this ticket right now.</p>
      )}
      {advice.actions.length > 0 && (
        <ol className="advice-actions" aria-label="Advised actions, in order">
          {advice.actions.map((entry) => (
            <li key={entry.index} className="advice-action">
              <div className="advice-action-head">
                <span className="advice-action-text">{adviceActionText(entry.action)}</span>
                {canWork && (
                  <button
                    type="button"
                    className="button small primary"
                    disabled={busy !== null}
                    aria-label={`${applyLabel(entry)}: ${adviceActionText(entry.action)}`}
                    onClick={() => void apply(entry)}
                  >
                    {busy === entry.index ? 'Working…' : applyLabel(entry)}
                  </button>
                )}
              </div>
              <p className="advice-because small">
                <span className="mono">{entry.rule}</span> {entry.because}
              </p>
              {entry.preview && entry.preview.missing.length > 0 && (
                <p className="warning small">
                  The macro needs {entry.preview.missing.map((m) => `{{${m}}}`).join(', ')} filled in by hand.
                </p>
              )}
              {notes[entry.index] && (
                <p className="notice small" role="status">
                  {notes[entry.index]}
                  {advice.sources.orderId && (
                    <>
                      {' '}
                      <Link to={brandPath(brandId, 'orders', advice.sources.orderId)}>Open the order</Link>
                    </>
                  )}
                </p>
              )}
              <ErrorMessage error={errors[entry.index]} />
              {canWork &&
                (skipping === entry.index ? (
                  <SkipForm
                    rule={entry.rule}
                    change={change}
                    onDone={(next) => {
                      setSkipping(null);
                      if (next) onAdvice(next);
                    }}
                  />
                ) : (
                  <button
                    type="button"
                    className="button link small"
                    onClick={() => setSkipping(entry.index)}
                  >
                    Go another way
                  </button>
                ))}
            </li>
          ))}
        </ol>
      )}
      {advice.blocked.length > 0 && (
        <>
          <h3 className="advice-subtitle">Needs someone else</h3>
          <ul className="advice-blocked" aria-label="Actions your role may not do">
            {advice.blocked.map((entry) => (
              <li key={entry.index}>
                <span>{adviceActionText(entry.action)}</span>
                <span className="muted small">{entry.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function applyLabel(entry: AdvisedAction): string {
  if (entry.action.type === 'send_macro') return 'Open in reply';
  if (APPLIED_HERE.includes(entry.action.type)) return 'Apply';
  return 'Start';
}

function nextStepText(view: string | undefined, advice: TicketAdvice): string {
  switch (view) {
    case 'order':
      return advice.sources.orderId
        ? 'Do this on the order page.'
        : 'Link the order first, then do this on its page.';
    case 'tracker':
      return 'Log this in Trackers.';
    case 'approval':
      return 'Request this in Approvals.';
    case 'board':
      return 'Move the card in Boards.';
    case 'none':
    case undefined:
      return 'Nothing to open for this step; do it and carry on.';
    default:
      return `Do this in ${humanize(view)}.`;
  }
}

/** The intent the advice is for, and changing it when the classifier got it wrong. */
function IntentLine({
  advice,
  onAdvice,
  canWork,
  change,
}: {
  advice: TicketAdvice;
  onAdvice: (advice: TicketAdvice) => void;
  canWork: boolean;
  change: TicketState['change'];
}) {
  const [editing, setEditing] = useState(false);
  const [intent, setIntent] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { intent: current } = advice;

  const submit = async (value: string | null, event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await change(async (t) => {
        onAdvice(await overrideAdvice(t.id, { intent: value, version: t.version }));
        return fetchTicket(t.id);
      });
      if (updated) {
        setEditing(false);
        setIntent('');
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="advice-intent">
      <p className="small">
        Intent: <strong>{current.title ?? humanize(current.name)}</strong>{' '}
        <span className="muted">
          {current.overridden
            ? '(chosen by an agent)'
            : current.inferred
              ? `(inferred${current.confidence !== undefined ? `, ${Math.round(current.confidence * 100)}% sure` : ''})`
              : ''}
        </span>
        {canWork && !editing && (
          <button type="button" className="button link small" onClick={() => setEditing(true)}>
            Change intent
          </button>
        )}
        {canWork && current.overridden && !editing && (
          <button
            type="button"
            className="button link small"
            disabled={busy}
            onClick={() => void submit(null)}
          >
            Infer again
          </button>
        )}
      </p>
      {editing && (
        <form className="tag-form" onSubmit={(e) => void submit(intent.trim(), e)}>
          <input
            value={intent}
            placeholder={current.name}
            aria-label="Intent name"
            // biome-ignore lint/a11y/noAutofocus: the agent asked to type the intent.
            autoFocus
            onChange={(e) => setIntent(e.target.value)}
          />
          <button type="submit" className="button small" disabled={busy || !intent.trim()}>
            Set intent
          </button>
          <button type="button" className="button small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

/** Records that the agent does not follow one rule's advice, with why, for the ticket's history. */
function SkipForm({
  rule,
  change,
  onDone,
}: {
  rule: string;
  change: TicketState['change'];
  onDone: (advice: TicketAdvice | null) => void;
}) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const holder: { advice?: TicketAdvice } = {};
      await change(async (t) => {
        holder.advice = await overrideAdvice(t.id, {
          rule,
          note: note.trim() || undefined,
          version: t.version,
        });
        return fetchTicket(t.id);
      });
      onDone(holder.advice ?? null);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <form className="form advice-skip" onSubmit={submit}>
      <label className="field">
        <span>Why not (for the history)</span>
        <input
          value={note}
          maxLength={2000}
          // biome-ignore lint/a11y/noAutofocus: the agent chose to explain this.
          autoFocus
          onChange={(e) => setNote(e.target.value)}
        />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button small" disabled={busy}>
          Record
        </button>
        <button type="button" className="button small" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
