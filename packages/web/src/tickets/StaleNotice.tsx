import { statusLabel } from './ticketText';
import type { Staleness } from './useTicketState';

const KIND_TEXT: Record<string, string> = {
  status: 'the status changed',
  priority: 'the priority changed',
  assignee: 'it was assigned',
  queue: 'it moved queue',
  tags: 'its tags changed',
  replied: 'someone replied',
  noted: 'someone added a note',
  customer_replied: 'the customer wrote',
  received: 'a new message arrived',
  merged_into: 'it was merged',
  merged_from: 'a ticket was merged into it',
  split_to: 'a message was split out',
  subject: 'the subject changed',
  updated: 'it was updated while the connection was down',
  intent: 'its intent changed',
};

/**
 * "This ticket changed — reload": shown when someone else changed the ticket, either found out
 * when a change of ours was refused (with the state the server has now) or heard live. Nothing
 * is overwritten; the composer keeps its draft across the reload.
 */
export function StaleNotice({
  stale,
  nameOf,
  onReload,
}: {
  stale: Staleness;
  nameOf: (userId: string | null | undefined) => string;
  onReload: () => void;
}) {
  if (stale.reason === 'conflict') {
    const { current } = stale;
    return (
      <div className="stale-notice" role="alert">
        <p>
          <strong>This ticket changed — reload.</strong> Someone changed it after you opened it, so your
          change was not saved. It is now
          {current.status ? ` ${statusLabel(current.status)}` : ' different'}
          {current.assigneeId !== undefined &&
            `, ${current.assigneeId ? `assigned to ${nameOf(current.assigneeId)}` : 'unassigned'}`}
          {current.version !== undefined && ` (version ${current.version})`}. Your draft reply is kept.
        </p>
        <button type="button" className="button primary" onClick={onReload}>
          Reload ticket
        </button>
      </div>
    );
  }
  const what = [...new Set(stale.kinds.map((k) => KIND_TEXT[k] ?? 'it was updated'))].join(', ');
  return (
    <div className="stale-notice stale-live" role="status">
      <p>
        <strong>This ticket changed — reload</strong> to see the latest: {what}.
      </p>
      <button type="button" className="button" onClick={onReload}>
        Reload ticket
      </button>
    </div>
  );
}
