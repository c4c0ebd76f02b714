import { Link } from 'react-router';
import type { Ticket, TicketEvent } from '../api/helpdeskTypes';
import { ticketPath } from '../shell/paths';
import { formatTime } from '../ui/format';
import { adviceActionText } from './actionText';
import type { HelpdeskDirectory } from './directory';
import { channelLabel, humanize, priorityLabel, statusLabel } from './ticketText';

const str = (value: unknown) => (value === null || value === undefined ? '' : String(value));

/** One history entry in words; links to the other ticket for merges and splits. */
function EventText({
  event,
  ticket,
  brandId,
  directory,
}: {
  event: TicketEvent;
  ticket: Ticket;
  brandId: string;
  directory: HelpdeskDirectory;
}) {
  const d = event.data;
  const other = (label: string) =>
    typeof d.ticketId === 'string' ? (
      <>
        {label} <Link to={ticketPath(brandId, d.ticketId)}>#{str(d.number)}</Link>
      </>
    ) : (
      <>
        {label} #{str(d.number)}
      </>
    );
  const orderNumber = (id: unknown) => ticket.orders.find((o) => o.id === id)?.number ?? 'an order';
  switch (event.kind) {
    case 'created':
      return (
        <>
          Created {d.channel ? `via ${channelLabel(str(d.channel))} ` : ''}as {statusLabel(str(d.status))}
          {d.queue ? ` in ${directory.queueTitle(str(d.queue))}` : ''}
        </>
      );
    case 'status':
      // A reply that also sets the status records `from` as the new status; say only where it went.
      return d.from && d.from !== d.to ? (
        <>
          Status {statusLabel(str(d.from))} → {statusLabel(str(d.to))}
        </>
      ) : (
        <>Status set to {statusLabel(str(d.to))}</>
      );
    case 'priority':
      return (
        <>
          Priority {priorityLabel(str(d.from))} → {priorityLabel(str(d.to))}
        </>
      );
    case 'assignee':
      return (
        <>
          {d.to ? `Assigned to ${directory.nameOf(str(d.to))}` : 'Unassigned'}
          {d.by === 'round_robin' ? ' (round robin)' : ''}
        </>
      );
    case 'queue':
      return <>{d.to ? `Moved to the queue ${directory.queueTitle(str(d.to))}` : 'Taken out of its queue'}</>;
    case 'tags': {
      const from = Array.isArray(d.from) ? (d.from as string[]) : [];
      const to = Array.isArray(d.to) ? (d.to as string[]) : [];
      const added = to.filter((t) => !from.includes(t));
      const removed = from.filter((t) => !to.includes(t));
      return (
        <>
          Tags {added.map((t) => `+${t}`).join(' ')} {removed.map((t) => `−${t}`).join(' ')}
        </>
      );
    }
    case 'replied':
      return <>Replied to the customer{d.macro ? ` with the macro “${str(d.macro)}”` : ''}</>;
    case 'noted':
      return <>Added an internal note{d.macro ? ` with the macro “${str(d.macro)}”` : ''}</>;
    case 'order_linked':
      return (
        <>
          Linked order {orderNumber(d.orderId)}
          {d.linkedBy === 'auto' ? ' automatically' : ''}
        </>
      );
    case 'order_unlinked':
      return <>Unlinked {orderNumber(d.orderId)}</>;
    case 'merged_into':
      return other('Merged into');
    case 'merged_from':
      return other('Merged in');
    case 'split_from':
      return other('Split out of');
    case 'split_to':
      return other('A message was split out to');
    case 'sla_warning':
      return <>SLA target due soon</>;
    case 'sla_breached':
      return <>SLA target breached</>;
    case 'intent':
      return <>{d.to ? `Intent set to ${humanize(str(d.to))}` : 'Intent back to inferred'}</>;
    case 'advice_followed':
      return (
        <>
          Followed the SOP: {d.type ? humanize(str(d.type)).toLowerCase() : 'an action'} (rule {str(d.rule)})
        </>
      );
    case 'advice_overridden':
      return (
        <>
          Went another way than the SOP{d.rule ? ` (rule ${str(d.rule)})` : ''}
          {typeof d.intent === 'string' ? `; intent ${humanize(d.intent)}` : ''}
          {d.note ? `: ${str(d.note)}` : ''}
        </>
      );
    case 'subject':
      return <>Subject changed to “{str(d.to)}”</>;
    case 'category':
      return <>{d.to ? `Category set to ${str(d.to)}` : 'Category cleared'}</>;
    case 'follow_up':
      return <>Follow-up scheduled{d.action ? `: ${adviceActionText(d.action as { type: string })}` : ''}</>;
    default:
      return <>{humanize(event.kind)}</>;
  }
}

/** Everything that happened to the ticket, newest first, with who did it and when. */
export function TicketHistory({
  ticket,
  brandId,
  directory,
}: {
  ticket: Ticket;
  brandId: string;
  directory: HelpdeskDirectory;
}) {
  const events = ticket.history.map((event, n) => ({ event, n })).reverse();
  return (
    <section className="aside-card" aria-labelledby="ticket-history-title">
      <h2 id="ticket-history-title" className="aside-title">
        History <span className="count">{ticket.history.length}</span>
      </h2>
      <ol className="timeline ticket-history" aria-label="Ticket history, newest first">
        {events.map(({ event, n }) => (
          <li key={n} className={`timeline-event history-${event.kind}`}>
            <span className="history-text">
              <EventText event={event} ticket={ticket} brandId={brandId} directory={directory} />
            </span>
            <span className="timeline-description">
              {event.by} · <time dateTime={event.at}>{formatTime(event.at)}</time>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
