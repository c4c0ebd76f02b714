import { type FormEvent, useState } from 'react';
import type { Priority, Ticket } from '../api/helpdeskTypes';
import { createTicket } from '../api/tickets';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Field } from '../ui/Field';
import { useHelpdeskDirectory } from './directory';
import { PRIORITIES, priorityLabel } from './ticketText';

type NewTicketDialogProps = {
  open: boolean;
  brandId: string;
  onClose: () => void;
  onCreated: (ticket: Ticket) => void;
};

const CHANNELS = [
  ['phone', 'Phone call'],
  ['chat', 'Chat'],
  ['email', 'Email'],
  ['social', 'Social media'],
] as const;

/**
 * Logs a conversation that did not arrive by itself (a phone call, a chat): the customer, what it
 * is about and the agent's notes of it, which become the ticket's first (internal) message.
 */
export function NewTicketDialog(props: NewTicketDialogProps) {
  return (
    <Dialog open={props.open} title="New ticket" onClose={props.onClose} size="wide">
      <NewTicketForm {...props} />
    </Dialog>
  );
}

function NewTicketForm({ brandId, onClose, onCreated }: NewTicketDialogProps) {
  const directory = useHelpdeskDirectory();
  const [channel, setChannel] = useState<string>('phone');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [queue, setQueue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const customer = {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
    };
    try {
      onCreated(
        await createTicket({
          brandId,
          channel,
          subject: subject.trim(),
          body: body.trim(),
          priority,
          loggedByAgent: true,
          ...(Object.keys(customer).length ? { customer } : {}),
          ...(queue ? { queue } : {}),
        }),
      );
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <div className="form-row">
        <label className="field">
          <span>Channel</span>
          <select value={channel} onChange={(e) => setChannel(e.target.value)}>
            {CHANNELS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className="form-row">
          <label className="field">
            <span>Priority</span>
            <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Queue</span>
            <select value={queue} onChange={(e) => setQueue(e.target.value)}>
              <option value="">No queue</option>
              {directory.queues.map((q) => (
                <option key={q.id} value={q.name}>
                  {q.title}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      <fieldset className="checkbox-list">
        <legend>Customer</legend>
        <div className="form-row">
          <label className="field">
            <span>Name</span>
            <input
              value={name}
              maxLength={200}
              aria-invalid={isFieldInvalid(error, 'customer.name')}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              value={email}
              maxLength={254}
              aria-invalid={isFieldInvalid(error, 'customer.email')}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
        </div>
        <label className="field">
          <span>Phone</span>
          <input
            type="tel"
            value={phone}
            maxLength={50}
            aria-invalid={isFieldInvalid(error, 'customer.phone')}
            onChange={(e) => setPhone(e.target.value)}
          />
        </label>
      </fieldset>
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
      <Field label="What was said" hint="Saved as an internal note, the ticket's first message.">
        {(control) => (
          <textarea
            {...control}
            required
            rows={5}
            value={body}
            aria-invalid={isFieldInvalid(error, 'body')}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create ticket'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
