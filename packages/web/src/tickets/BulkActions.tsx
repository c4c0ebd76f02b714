import { type FormEvent, useState } from 'react';
import type { Priority, Queue } from '../api/helpdeskTypes';
import { bulkUpdateTickets } from '../api/tickets';
import { ErrorMessage } from '../ui/ErrorMessage';
import type { Agent } from './directory';
import { PRIORITIES, priorityLabel, statusLabel } from './ticketText';

const NONE = '__none__';

type BulkActionsProps = {
  brandId: string;
  ticketIds: string[];
  statuses: string[];
  queues: Queue[];
  agents: Agent[];
  onDone: (message: string) => void;
  onClear: () => void;
};

const splitTags = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * Changes every selected ticket at once through the bulk route: one transaction, so either all
 * change or none do, and the API's reason is shown when it refuses.
 */
export function BulkActions({
  brandId,
  ticketIds,
  statuses,
  queues,
  agents,
  onDone,
  onClear,
}: BulkActionsProps) {
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const [assignee, setAssignee] = useState('');
  const [queue, setQueue] = useState('');
  const [addTags, setAddTags] = useState('');
  const [removeTags, setRemoveTags] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nothingChosen = !status && !priority && !assignee && !queue && !addTags.trim() && !removeTags.trim();
  const count = ticketIds.length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (nothingChosen) return;
    setBusy(true);
    setError(null);
    try {
      const result = await bulkUpdateTickets(brandId, {
        ticketIds,
        ...(status ? { status } : {}),
        ...(priority ? { priority: priority as Priority } : {}),
        ...(assignee ? { assigneeId: assignee === NONE ? null : assignee } : {}),
        ...(queue ? { queue: queue === NONE ? null : queue } : {}),
        ...(splitTags(addTags).length ? { addTags: splitTags(addTags) } : {}),
        ...(splitTags(removeTags).length ? { removeTags: splitTags(removeTags) } : {}),
      });
      setStatus('');
      setPriority('');
      setAssignee('');
      setQueue('');
      setAddTags('');
      setRemoveTags('');
      onDone(`${result.updated} ticket${result.updated === 1 ? '' : 's'} updated.`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="bulk-bar" aria-label="Change selected tickets" onSubmit={submit}>
      <p className="bulk-count" role="status">
        <strong>{count}</strong> selected
      </p>
      <label className="field">
        <span>Status</span>
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">No change</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Priority</span>
        <select value={priority} onChange={(e) => setPriority(e.target.value)}>
          <option value="">No change</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {priorityLabel(p)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Assignee</span>
        <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">No change</option>
          <option value={NONE}>Unassigned</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Queue</span>
        <select value={queue} onChange={(e) => setQueue(e.target.value)}>
          <option value="">No change</option>
          <option value={NONE}>No queue</option>
          {queues.map((q) => (
            <option key={q.id} value={q.name}>
              {q.title}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Add tags</span>
        <input value={addTags} placeholder="vip, lost" onChange={(e) => setAddTags(e.target.value)} />
      </label>
      <label className="field">
        <span>Remove tags</span>
        <input value={removeTags} placeholder="spam" onChange={(e) => setRemoveTags(e.target.value)} />
      </label>
      <div className="bulk-buttons">
        <button type="submit" className="button primary" disabled={busy || nothingChosen}>
          {busy ? 'Applying…' : `Apply to ${count}`}
        </button>
        <button type="button" className="button" onClick={onClear} disabled={busy}>
          Clear selection
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
