import { type KeyboardEvent, useEffect, useRef } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TicketSummary } from '../api/helpdeskTypes';
import { formatRelative, formatTime } from '../ui/format';
import { PriorityBadge, SlaBadge, TicketStatusBadge } from './TicketBadges';
import { customerLabel, ticketNumber } from './ticketText';

type TicketTableProps = {
  tickets: TicketSummary[];
  ticketPath: (ticketId: string) => string;
  selected: ReadonlySet<string>;
  onSelect: (ticketIds: string[], on: boolean) => void;
  queueTitle: (name: string | null) => string;
  now: number;
  /** The ticket just left through "← Inbox": its row gets focus back. */
  focusTicketId?: string | undefined;
};

/**
 * The inbox's tickets as a table whose rows open the ticket: click, or focus a row (Tab, ↑/↓,
 * `j`/`k`) and press Enter; `x` or the checkbox selects it for bulk changes. The number is a real
 * link, so opening a ticket in a new tab works as usual.
 */
export function TicketTable({
  tickets,
  ticketPath,
  selected,
  onSelect,
  queueTitle,
  now,
  focusTicketId,
}: TicketTableProps) {
  const navigate = useNavigate();
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focused = useRef(false);
  const allSelected = tickets.length > 0 && tickets.every((t) => selected.has(t.id));
  const someSelected = !allSelected && tickets.some((t) => selected.has(t.id));
  const allRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = someSelected;
  }, [someSelected]);

  useEffect(() => {
    if (!focusTicketId || focused.current) return;
    const row = bodyRef.current?.querySelector<HTMLElement>(
      `tr[data-ticket-id="${CSS.escape(focusTicketId)}"]`,
    );
    if (row) {
      row.focus();
      focused.current = true;
    }
  }, [focusTicketId]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, ticket: TicketSummary) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      navigate(ticketPath(ticket.id));
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const sibling =
        event.key === 'ArrowDown'
          ? event.currentTarget.nextElementSibling
          : event.currentTarget.previousElementSibling;
      if (sibling instanceof HTMLElement) sibling.focus();
    }
  };

  return (
    <div className="table-scroll">
      <table className="table ticket-table">
        <thead>
          <tr>
            <th scope="col" className="select-cell">
              <input
                ref={allRef}
                type="checkbox"
                aria-label="Select all loaded tickets"
                checked={allSelected}
                onChange={(e) =>
                  onSelect(
                    tickets.map((t) => t.id),
                    e.target.checked,
                  )
                }
              />
            </th>
            <th scope="col">Ticket</th>
            <th scope="col">Subject</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Priority</th>
            <th scope="col">Assignee</th>
            <th scope="col">Queue</th>
            <th scope="col">SLA</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {tickets.map((ticket) => {
            const isSelected = selected.has(ticket.id);
            return (
              <tr
                key={ticket.id}
                data-ticket-id={ticket.id}
                className={`clickable-row${isSelected ? ' row-selected' : ''}`}
                tabIndex={0}
                onClick={(event) => {
                  const target = event.target as HTMLElement;
                  // Links and the checkbox handle their own clicks.
                  if (target.closest('a, input, label')) return;
                  navigate(ticketPath(ticket.id));
                }}
                onKeyDown={(event) => onKeyDown(event, ticket)}
              >
                <td className="select-cell">
                  <input
                    type="checkbox"
                    aria-label={`Select ${ticketNumber(ticket)}`}
                    checked={isSelected}
                    onChange={(e) => onSelect([ticket.id], e.target.checked)}
                  />
                </td>
                <td className="nowrap">
                  <Link to={ticketPath(ticket.id)} tabIndex={-1} className="ticket-number">
                    {ticketNumber(ticket)}
                  </Link>
                </td>
                <td className="ticket-subject-cell">
                  <span className="ticket-subject">{ticket.subject}</span>
                  {ticket.tags.length > 0 && (
                    <ul className="chips ticket-tags" aria-label="Tags">
                      {ticket.tags.map((tag) => (
                        <li key={tag} className="chip">
                          {tag}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="ticket-customer" title={ticket.customer?.email ?? undefined}>
                  {customerLabel(ticket.customer)}
                </td>
                <td>
                  <TicketStatusBadge status={ticket.status} />
                </td>
                <td>
                  <PriorityBadge priority={ticket.priority} />
                </td>
                <td>{ticket.assignee?.name ?? <span className="muted">Unassigned</span>}</td>
                <td>{ticket.queue ? queueTitle(ticket.queue) : <span className="muted">—</span>}</td>
                <td className="nowrap">
                  <SlaBadge state={ticket.sla.state} dueAt={ticket.sla.dueAt} now={now} />
                </td>
                <td className="nowrap muted" title={formatTime(ticket.updatedAt)}>
                  <time dateTime={ticket.updatedAt}>{formatRelative(ticket.updatedAt, now)}</time>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Moves focus to the next (`step` 1) or previous (-1) row of the ticket table, or the first row. */
export function focusTicketRow(step: 1 | -1): void {
  const rows = [...document.querySelectorAll<HTMLElement>('.ticket-table tbody tr')];
  if (rows.length === 0) return;
  const current = rows.indexOf(document.activeElement as HTMLElement);
  const next = current < 0 ? (step === 1 ? 0 : rows.length - 1) : current + step;
  rows[Math.max(0, Math.min(rows.length - 1, next))]?.focus();
}

/** The ticket id of the focused row, for `x` (select) and `Enter`. */
export function focusedTicketId(): string | null {
  const active = document.activeElement as HTMLElement | null;
  return active?.closest<HTMLElement>('.ticket-table tbody tr')?.dataset.ticketId ?? null;
}
