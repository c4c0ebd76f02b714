import type { SlaState } from '../api/helpdeskTypes';
import { formatRelative, formatTime } from '../ui/format';
import { priorityLabel, statusLabel, statusTone } from './ticketText';

/** A ticket's status as a coloured badge, with its machine name in the tooltip. */
export function TicketStatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} title={status}>
      {statusLabel(status)}
    </span>
  );
}

/** The priority, coloured only when it asks for attention (high, urgent). */
export function PriorityBadge({ priority }: { priority: string }) {
  const tone = priority === 'urgent' ? 'bad' : priority === 'high' ? 'warn' : 'plain';
  return <span className={`priority priority-${tone}`}>{priorityLabel(priority)}</span>;
}

const SLA_TEXT: Record<string, string> = { ok: 'On track', warning: 'Due soon', breached: 'Breached' };

/**
 * The SLA at a glance: on track, due soon or breached, with when the next target is due. A ticket
 * with no running target (waiting on the customer, solved) shows a dash.
 */
export function SlaBadge({ state, dueAt, now }: { state: SlaState; dueAt: string | null; now: number }) {
  if (!dueAt) return <span className="muted">—</span>;
  const tone = state === 'breached' ? 'bad' : state === 'warning' ? 'warn' : 'ok';
  const when = formatRelative(dueAt, now);
  return (
    <span className={`sla sla-${tone}`} title={`Due ${formatTime(dueAt)}`}>
      <span className="sla-state">{SLA_TEXT[state] ?? state}</span>{' '}
      <time className="sla-due" dateTime={dueAt}>
        {state === 'breached' ? `due ${when}` : when}
      </time>
    </span>
  );
}
