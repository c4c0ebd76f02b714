import { type FormEvent, useState } from 'react';
import type { Priority, Ticket, TicketChanges } from '../api/helpdeskTypes';
import { updateTicket } from '../api/tickets';
import { useSignedInSession } from '../session/useSession';
import { ErrorMessage } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useHelpdeskDirectory } from './directory';
import { PRIORITIES, priorityLabel, statusLabel } from './ticketText';
import type { TicketState } from './useTicketState';

const UNASSIGNED = '__none__';

/**
 * The ticket's fields an agent changes while working it: status (only the moves the brand's
 * workflow allows from here), priority, assignee, queue and tags. Each change is saved at once
 * with the version shown; a change someone made meanwhile is never overwritten.
 */
export function TicketProperties({ ticket, change }: { ticket: Ticket; change: TicketState['change'] }) {
  const directory = useHelpdeskDirectory();
  const session = useSignedInSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');
  const [newTag, setNewTag] = useState('');
  const editable = ticket.allowed.includes('update');
  const me = session.user.id;
  const amAgent = directory.agents.some((a) => a.id === me);

  const save = async (changes: TicketChanges, what: string) => {
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      const next = await change((current) =>
        updateTicket(current.id, { ...changes, version: current.version }),
      );
      if (next) setSaved(`${what} saved.`);
      return next !== null;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const addTag = async (event: FormEvent) => {
    event.preventDefault();
    const tag = newTag.trim().toLowerCase();
    if (!tag) return;
    if (await save({ addTags: [tag] }, 'Tag')) setNewTag('');
  };

  const assigneeKnown = !ticket.assignee || directory.agents.some((a) => a.id === ticket.assignee?.id);

  return (
    <section className="aside-card ticket-properties" aria-labelledby="ticket-properties-title">
      <h2 id="ticket-properties-title" className="aside-title">
        Properties
      </h2>
      <div className="properties-grid">
        <Field label="Status">
          {(control) => (
            <select
              {...control}
              value={ticket.status}
              disabled={!editable || busy || ticket.nextStatuses.length === 0}
              onChange={(e) => void save({ status: e.target.value }, 'Status')}
            >
              <option value={ticket.status}>{statusLabel(ticket.status)}</option>
              {ticket.nextStatuses
                .filter((s) => s !== ticket.status)
                .map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <Field label="Priority">
          {(control) => (
            <select
              {...control}
              value={ticket.priority}
              disabled={!editable || busy}
              onChange={(e) => void save({ priority: e.target.value as Priority }, 'Priority')}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Assignee">
          {(control) => (
            <select
              {...control}
              value={ticket.assignee?.id ?? UNASSIGNED}
              disabled={!editable || busy}
              onChange={(e) =>
                void save({ assigneeId: e.target.value === UNASSIGNED ? null : e.target.value }, 'Assignee')
              }
            >
              <option value={UNASSIGNED}>Unassigned</option>
              {!assigneeKnown && ticket.assignee && (
                <option value={ticket.assignee.id}>{ticket.assignee.name ?? 'Someone else'}</option>
              )}
              {directory.agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                  {a.id === me ? ' (you)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Queue">
          {(control) => (
            <select
              {...control}
              value={ticket.queue ?? ''}
              disabled={!editable || busy}
              onChange={(e) => void save({ queue: e.target.value || null }, 'Queue')}
            >
              <option value="">No queue</option>
              {directory.queues.map((q) => (
                <option key={q.id} value={q.name}>
                  {q.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {editable && amAgent && ticket.assignee?.id !== me && (
        <button
          type="button"
          className="button small"
          disabled={busy}
          onClick={() => void save({ assigneeId: me }, 'Assignee')}
        >
          Assign to me
        </button>
      )}
      <div className="field ticket-tags-field">
        <span id="ticket-tags-label">Tags</span>
        {ticket.tags.length === 0 ? (
          <p className="muted small">No tags.</p>
        ) : (
          <ul className="chips" aria-labelledby="ticket-tags-label">
            {ticket.tags.map((tag) => (
              <li key={tag} className="chip chip-removable">
                {tag}
                {editable && (
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={`Remove tag ${tag}`}
                    disabled={busy}
                    onClick={() => void save({ removeTags: [tag] }, 'Tag')}
                  >
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <form className="tag-form" onSubmit={addTag}>
            <input
              value={newTag}
              maxLength={64}
              placeholder="Add a tag"
              aria-label="New tag"
              onChange={(e) => setNewTag(e.target.value)}
            />
            <button type="submit" className="button small" disabled={busy || !newTag.trim()}>
              Add
            </button>
          </form>
        )}
      </div>
      <ErrorMessage error={error} />
      <p className="success small" role="status">
        {saved}
      </p>
    </section>
  );
}
