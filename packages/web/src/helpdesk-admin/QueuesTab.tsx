import { type FormEvent, useState } from 'react';
import { createQueue, deleteQueue, listQueues, updateQueue } from '../api/helpdesk';
import type { Queue } from '../api/helpdeskTypes';
import { useCurrentBrand } from '../shell/currentBrand';
import type { Agent } from '../tickets/directory';
import { loadAgents } from '../tickets/HelpdeskScope';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';

/**
 * The brand's queues: the pack's escalation buckets (their name and kind follow the pack) and the
 * brand's own. Each queue assigns by hand, or round robin among the members chosen.
 */
export function QueuesTab() {
  const brand = useCurrentBrand();
  const queues = useResource((signal) => listQueues(brand.id, signal), [brand.id]);
  const agents = useResource((signal) => loadAgents(brand.id, signal), [brand.id]);
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Queue | null>(null);
  useDocumentTitle('Queues', brand.name);
  const nameOf = (id: string) => agents.data?.find((a) => a.id === id)?.name ?? 'a former member';

  return (
    <section aria-labelledby="queues-title">
      <div className="section-header">
        <h2 id="queues-title">Queues {queues.data && <span className="count">{queues.data.length}</span>}</h2>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New queue
        </button>
      </div>
      <ResourceTable
        resource={queues}
        loadingText="Loading queues…"
        emptyText="No queues yet."
        columns={['Queue', 'Kind', 'Assignment', 'Source']}
      >
        {(rows) =>
          rows.map((queue) => (
            <tr key={queue.id}>
              <td>
                <div>
                  {queue.title}{' '}
                  {queue.name !== queue.title && <code className="muted small">{queue.name}</code>}
                </div>
                {queue.description && <div className="muted small">{queue.description}</div>}
              </td>
              <td>{queue.kind === 'escalation' ? 'Escalation' : 'Queue'}</td>
              <td>
                {queue.assignment === 'round_robin' ? (
                  <>
                    Round robin{' '}
                    <span className="muted small">
                      among {queue.memberIds.map(nameOf).join(', ') || 'nobody yet'}
                    </span>
                  </>
                ) : (
                  'Manual'
                )}
              </td>
              <td className="nowrap">
                {queue.source === 'pack' ? <span className="tag">from pack</span> : <span>brand</span>}
              </td>
              <td className="row-actions">
                {queue.allowed.includes('update') && (
                  <button
                    type="button"
                    className="button small"
                    aria-label={`Edit ${queue.title}`}
                    onClick={() => setEditing(queue)}
                  >
                    Edit
                  </button>
                )}
                {queue.allowed.includes('delete') && (
                  <button
                    type="button"
                    className="button small danger-text"
                    aria-label={`Delete ${queue.title}`}
                    onClick={() => setDeleting(queue)}
                  >
                    Delete
                  </button>
                )}
              </td>
            </tr>
          ))
        }
      </ResourceTable>
      <Dialog
        open={editing !== null}
        title={editing === 'new' ? 'New queue' : `Edit queue “${editing?.title ?? ''}”`}
        onClose={() => setEditing(null)}
        size="wide"
      >
        <QueueForm
          brandId={brand.id}
          queue={editing === 'new' ? null : editing}
          agents={agents.data}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            queues.reload();
          }}
        />
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete queue"
        confirmLabel="Delete queue"
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await deleteQueue(deleting.id);
          queues.reload();
        }}
      >
        Delete the queue <strong>{deleting?.title}</strong>? Only a queue with no ticket waiting in it can be
        deleted.
      </ConfirmDialog>
    </section>
  );
}

function QueueForm({
  brandId,
  queue,
  agents,
  onClose,
  onSaved,
}: {
  brandId: string;
  queue: Queue | null;
  agents: Agent[] | undefined;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [name, setName] = useState(queue?.name ?? '');
  const [title, setTitle] = useState(queue?.title ?? '');
  const [description, setDescription] = useState(queue?.description ?? '');
  const [assignment, setAssignment] = useState<Queue['assignment']>(queue?.assignment ?? 'manual');
  const [members, setMembers] = useState<Set<string>>(new Set(queue?.memberIds ?? []));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const memberIds = [...members];
    try {
      if (queue) {
        await updateQueue(queue.id, {
          version: queue.version,
          title: title.trim() || queue.title,
          description: description.trim() || null,
          assignment,
          memberIds,
        });
      } else {
        await createQueue(brandId, {
          name: name.trim(),
          ...(title.trim() ? { title: title.trim() } : {}),
          ...(description.trim() ? { description: description.trim() } : {}),
          assignment,
          memberIds,
        });
      }
      onSaved();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label className="field">
          <span>Name</span>
          <input
            required
            maxLength={200}
            value={name}
            disabled={queue !== null}
            placeholder="returns"
            aria-invalid={isFieldInvalid(error, 'name')}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Title</span>
          <input
            maxLength={200}
            value={title}
            placeholder="Returns desk"
            aria-invalid={isFieldInvalid(error, 'title')}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
      </div>
      <label className="field">
        <span>Description (optional)</span>
        <textarea
          rows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <fieldset className="checkbox-list">
        <legend>Assignment</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="assignment"
            checked={assignment === 'manual'}
            onChange={() => setAssignment('manual')}
          />
          <span>
            Manual
            <small>Tickets wait in the queue until someone takes them.</small>
          </span>
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="assignment"
            checked={assignment === 'round_robin'}
            onChange={() => setAssignment('round_robin')}
          />
          <span>
            Round robin
            <small>Each new ticket goes to the next of the members below, in turn.</small>
          </span>
        </label>
      </fieldset>
      <fieldset className="checkbox-list">
        <legend>Members</legend>
        {!agents && <p className="muted">Loading the people who work tickets…</p>}
        {agents?.map((agent) => (
          <label key={agent.id} className="checkbox">
            <input
              type="checkbox"
              checked={members.has(agent.id)}
              onChange={(e) =>
                setMembers((current) => {
                  const next = new Set(current);
                  if (e.target.checked) next.add(agent.id);
                  else next.delete(agent.id);
                  return next;
                })
              }
            />
            <span>
              {agent.name}
              <small>{agent.email}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : queue ? 'Save queue' : 'Create queue'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
