import { type FormEvent, type Ref, useId, useImperativeHandle, useRef, useState } from 'react';
import type { SideConversation, Ticket } from '../api/helpdeskTypes';
import {
  addSideMessage,
  openSideConversation,
  SIDE_WITH,
  type SideConversationDetail,
  setSideConversationStatus,
} from '../api/sideConversations';
import { fetchTicket } from '../api/tickets';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { MessageItem } from './Conversation';
import { humanize } from './ticketText';
import type { TicketState } from './useTicketState';

export type SideConversationsHandle = {
  /** Opens the form for a new side conversation with a vendor, supplier or carrier. */
  start(withWhom: string): void;
};

type SidePanelProps = {
  ref?: Ref<SideConversationsHandle>;
  ticket: Ticket;
  change: TicketState['change'];
};

const STATUS_TONE: Record<string, string> = { open: 'info', waiting: 'warn', closed: 'neutral' };

/**
 * Side conversations: threads with a vendor, supplier or carrier that hang off the ticket. The
 * customer never sees them. Open one, reply or note in it, mark it waiting or close it.
 */
export function SideConversations({ ref, ticket, change }: SidePanelProps) {
  const [starting, setStarting] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const canStart = ticket.allowed.includes('side_conversation');

  useImperativeHandle(ref, () => ({
    start(withWhom) {
      setStarting((SIDE_WITH as readonly string[]).includes(withWhom) ? withWhom : 'vendor');
      requestAnimationFrame(() => sectionRef.current?.scrollIntoView({ block: 'nearest' }));
    },
  }));

  /** A side-conversation write returns the conversation; the ticket (and its version) is loaded again. */
  const refresh = (work: () => Promise<SideConversationDetail>) =>
    change(async (t) => {
      await work();
      return fetchTicket(t.id);
    });

  return (
    <section ref={sectionRef} className="aside-card" aria-labelledby="side-title">
      <div className="aside-title-row">
        <h2 id="side-title" className="aside-title">
          Side conversations <span className="count">{ticket.sideConversations.length}</span>
        </h2>
        {canStart && starting === null && (
          <button type="button" className="button small" onClick={() => setStarting('vendor')}>
            New
          </button>
        )}
      </div>
      {ticket.sideConversations.length === 0 && starting === null && (
        <p className="muted small">Ask a vendor, supplier or carrier without the customer seeing it.</p>
      )}
      {starting !== null && (
        <NewSideForm
          ticket={ticket}
          initialWith={starting}
          onCancel={() => setStarting(null)}
          onSubmit={async (input) => {
            const done = await refresh(() => openSideConversation(ticket.id, input));
            if (done) setStarting(null);
          }}
        />
      )}
      {ticket.sideConversations.map((side) => (
        <SideThread key={side.id} side={side} canWrite={canStart} refresh={refresh} />
      ))}
    </section>
  );
}

function NewSideForm({
  ticket,
  initialWith,
  onCancel,
  onSubmit,
}: {
  ticket: Ticket;
  initialWith: string;
  onCancel: () => void;
  onSubmit: (input: Parameters<typeof openSideConversation>[1]) => Promise<void>;
}) {
  const [withWhom, setWith] = useState(initialWith as (typeof SIDE_WITH)[number]);
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState(`${ticket.subject} [#${ticket.number}]`);
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ with: withWhom, ...(to.trim() ? { to: to.trim() } : {}), subject, body });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form side-new"
      onSubmit={submit}
      aria-label="New side conversation"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <div className="form-row">
        <label className="field">
          <span>With</span>
          <select value={withWhom} onChange={(e) => setWith(e.target.value as (typeof SIDE_WITH)[number])}>
            {SIDE_WITH.map((w) => (
              <option key={w} value={w}>
                {humanize(w)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>To (email)</span>
          <input
            type="email"
            required
            value={to}
            maxLength={254}
            aria-invalid={isFieldInvalid(error, 'to')}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
      </div>
      <label className="field">
        <span>Subject</span>
        <input
          required
          value={subject}
          maxLength={500}
          aria-invalid={isFieldInvalid(error, 'subject')}
          onChange={(e) => setSubject(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Message</span>
        <textarea
          required
          rows={4}
          value={body}
          aria-invalid={isFieldInvalid(error, 'body')}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary small" disabled={busy}>
          {busy ? 'Sending…' : 'Send'}
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function SideThread({
  side,
  canWrite,
  refresh,
}: {
  side: SideConversation;
  canWrite: boolean;
  refresh: (work: () => Promise<SideConversationDetail>) => Promise<Ticket | null>;
}) {
  const [open, setOpen] = useState(side.status !== 'closed');
  const [kind, setKind] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = `${humanize(side.with)}: ${side.subject}`;
  const radioName = useId();

  const run = async (work: () => Promise<SideConversationDetail>) => {
    setBusy(true);
    setError(null);
    try {
      return await refresh(work);
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    if (await run(() => addSideMessage(side.id, { kind, body: body.trim() }))) setBody('');
  };

  return (
    <article className="side-thread" aria-label={label}>
      <header className="side-head">
        <button
          type="button"
          className="button link side-toggle"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
        >
          {side.subject}
        </button>
        <span className={`badge badge-${STATUS_TONE[side.status] ?? 'neutral'}`}>
          {humanize(side.status)}
        </span>
      </header>
      <p className="muted small side-meta">
        {humanize(side.with)} · {side.to} · opened by {side.createdBy} {formatTime(side.createdAt)}
      </p>
      {open && (
        <>
          <ol className="conversation side-messages" aria-label={`Messages with ${side.to}`}>
            {side.messages.map((m) => (
              <MessageItem key={m.id} message={m} />
            ))}
          </ol>
          {canWrite && side.status !== 'closed' && (
            <form className="form side-reply" onSubmit={send}>
              <div className="segmented" role="radiogroup" aria-label="Message type">
                {(['reply', 'note'] as const).map((k) => (
                  <label key={k} className={kind === k ? 'segment active' : 'segment'}>
                    <input type="radio" name={radioName} checked={kind === k} onChange={() => setKind(k)} />
                    {k === 'reply' ? `Reply to ${side.with}` : 'Note'}
                  </label>
                ))}
              </div>
              <textarea
                rows={3}
                value={body}
                aria-label={kind === 'reply' ? `Reply to ${side.to}` : 'Note in this side conversation'}
                onChange={(e) => setBody(e.target.value)}
              />
              <div className="form-actions">
                <button type="submit" className="button small primary" disabled={busy || !body.trim()}>
                  {kind === 'reply' ? 'Send' : 'Add note'}
                </button>
              </div>
            </form>
          )}
          <ErrorMessage error={error} />
          {canWrite && (
            <div className="form-actions side-status">
              {side.status !== 'waiting' && side.status !== 'closed' && (
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  onClick={() => void run(() => setSideConversationStatus(side.id, 'waiting'))}
                >
                  Mark waiting
                </button>
              )}
              {side.status !== 'closed' ? (
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  aria-label={`Close side conversation ${side.subject}`}
                  onClick={() => void run(() => setSideConversationStatus(side.id, 'closed'))}
                >
                  Close
                </button>
              ) : (
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  onClick={() => void run(() => setSideConversationStatus(side.id, 'open'))}
                >
                  Reopen
                </button>
              )}
            </div>
          )}
        </>
      )}
    </article>
  );
}
