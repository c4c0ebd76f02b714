import { useState } from 'react';
import { Link } from 'react-router';
import type { Ticket } from '../api/helpdeskTypes';
import { type TrackerType, ticketRecords } from '../api/trackers';
import { brandPath } from '../shell/paths';
import { ErrorMessage } from '../ui/ErrorMessage';
import { useResource } from '../ui/useResource';
import { LogRecordDialog } from './LogRecordDialog';

/**
 * The tracker records linked to a ticket, and logging a new one from it in one step: the ticket is
 * linked and the ticket's order filled in.
 */
export function TicketRecords({ brandId, ticket }: { brandId: string; ticket: Ticket }) {
  const records = useResource((signal) => ticketRecords(ticket.id, signal), [ticket.id]);
  const [choosing, setChoosing] = useState('');
  const [logging, setLogging] = useState<TrackerType | null>(null);
  const loggable = (records.data?.types ?? []).filter((t) => t.allowed.includes('log'));
  const list = records.data?.data ?? [];

  return (
    <section className="aside-card" aria-labelledby="ticket-records-title">
      <h2 id="ticket-records-title" className="aside-title">
        Records <span className="count">{list.length}</span>
      </h2>
      <ErrorMessage error={records.error} />
      {records.data && list.length === 0 && (
        <p className="muted small">No tracker record is linked to this ticket.</p>
      )}
      {list.length > 0 && (
        <ul className="linked-orders ticket-records">
          {list.map((r) => (
            <li key={r.id}>
              <Link to={brandPath(brandId, 'trackers', r.type, r.id)}>
                {r.title} #{r.number}
              </Link>
              <span className="muted small">{r.state}</span>
            </li>
          ))}
        </ul>
      )}
      {loggable.length > 0 && (
        <div className="ticket-records-log">
          <label className="field">
            <span>Log a record</span>
            <select value={choosing} onChange={(e) => setChoosing(e.target.value)}>
              <option value="">Choose a type…</option>
              {loggable.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.title}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button small"
            disabled={!choosing}
            onClick={() => setLogging(loggable.find((t) => t.type === choosing) ?? null)}
          >
            Log
          </button>
        </div>
      )}
      {logging && (
        <LogRecordDialog
          brandId={brandId}
          tracker={logging}
          ticketId={ticket.id}
          defaults={ticket.orders[0] ? { order: ticket.orders[0].number } : {}}
          onClose={() => setLogging(null)}
          onLogged={() => {
            setLogging(null);
            setChoosing('');
            records.reload();
          }}
        />
      )}
    </section>
  );
}
