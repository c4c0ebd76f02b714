import { type FormEvent, useState } from 'react';
import { fetchCustomer } from '../api/customers';
import type { Ticket } from '../api/helpdeskTypes';
import { mergeTicket } from '../api/tickets';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDay } from '../ui/format';
import { useResource } from '../ui/useResource';
import { statusLabel, ticketNumber } from './ticketText';
import type { TicketState } from './useTicketState';

type MergeDialogProps = {
  open: boolean;
  ticket: Ticket;
  change: TicketState['change'];
  onClose: () => void;
  /** The surviving ticket, to open next. */
  onMerged: (survivor: Ticket) => void;
};

/**
 * Merges this ticket into another ticket of the same customer: its messages, order links and side
 * conversations move there and this ticket is closed, pointing at the survivor.
 */
export function MergeDialog(props: MergeDialogProps) {
  return (
    <Dialog
      open={props.open}
      title={`Merge ${ticketNumber(props.ticket)} into another ticket`}
      onClose={props.onClose}
    >
      <MergeForm {...props} />
    </Dialog>
  );
}

function MergeForm({ ticket, change, onClose, onMerged }: MergeDialogProps) {
  const customerId = ticket.customerId;
  const customer = useResource(
    (signal) => (customerId ? fetchCustomer(customerId, signal) : Promise.resolve(null)),
    [customerId],
  );
  const candidates = (customer.data?.tickets ?? []).filter(
    (t) => t.id !== ticket.id && t.status !== 'closed',
  );
  const [into, setInto] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!into) return;
    setBusy(true);
    setError(null);
    try {
      const survivor = await change((t) => mergeTicket(t.id, { intoTicketId: into, version: t.version }));
      if (survivor) onMerged(survivor);
      else onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  if (!customerId) {
    return <p>This ticket has no customer, so there is no other ticket of theirs to merge it into.</p>;
  }
  return (
    <form className="form" onSubmit={submit}>
      <p className="muted small dialog-lead">
        {ticketNumber(ticket)} will be closed; its messages, linked orders and side conversations move to the
        ticket you choose. Only tickets of{' '}
        {ticket.customer?.name ?? ticket.customer?.email ?? 'the same customer'} can be chosen.
      </p>
      <ErrorMessage error={customer.error} />
      {customer.loading && !customer.data && (
        <p className="muted" role="status">
          Loading the customer’s tickets…
        </p>
      )}
      {customer.data && candidates.length === 0 && (
        <p className="muted">The customer has no other open ticket to merge into.</p>
      )}
      {candidates.length > 0 && (
        <fieldset className="checkbox-list">
          <legend>Merge into</legend>
          {candidates.map((t) => (
            <label key={t.id} className="checkbox">
              <input
                type="radio"
                name="merge-into"
                value={t.id}
                checked={into === t.id}
                onChange={() => setInto(t.id)}
              />
              <span>
                {ticketNumber(t)} {t.subject}
                <small>
                  {statusLabel(t.status)} · updated {formatDay(t.updatedAt)}
                </small>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy || !into}>
          {busy ? 'Merging…' : 'Merge'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
