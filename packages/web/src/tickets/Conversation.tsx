import { useState } from 'react';
import type { Message, Ticket } from '../api/helpdeskTypes';
import { attachmentUrl } from '../api/tickets';
import { formatBytes, formatTime } from '../ui/format';
import { MessageBody } from './MessageBody';
import { humanize } from './ticketText';

/** Who wrote a message, as the conversation labels it. */
function authorKind(message: Message): 'customer' | 'agent' | 'vendor' | 'note' | 'system' {
  if (message.kind === 'note') return 'note';
  if (message.authorType === 'customer') return 'customer';
  if (message.authorType === 'agent') return 'agent';
  if (message.authorType === 'system') return 'system';
  return 'vendor';
}

const KIND_LABEL = {
  customer: 'Customer',
  agent: 'Reply',
  vendor: 'Vendor',
  note: 'Internal note',
  system: 'Casebook',
} as const;

const DELIVERY: Record<string, string> = {
  queued: 'Sending…',
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Not delivered',
  bounced: 'Bounced',
};

type ConversationProps = {
  ticket: Ticket;
  /** Offered on each message when the ticket may be split and has more than one message. */
  onSplit?: ((message: Message) => void) | undefined;
};

/**
 * The ticket's conversation, oldest first: the customer's messages, agents' replies, vendors'
 * messages and internal notes, each marked so they cannot be mistaken for one another.
 */
export function Conversation({ ticket, onSplit }: ConversationProps) {
  return (
    <ol className="conversation" aria-label="Conversation">
      {ticket.messages.map((message) => (
        <MessageItem key={message.id} message={message} onSplit={onSplit} />
      ))}
    </ol>
  );
}

export function MessageItem({
  message,
  onSplit,
}: {
  message: Message;
  onSplit?: ((message: Message) => void) | undefined;
}) {
  const [open, setOpen] = useState(true);
  const kind = authorKind(message);
  const who = message.from.name || message.from.address || KIND_LABEL[kind];
  const label = `${KIND_LABEL[kind]} from ${who}`;
  return (
    <li className={`message message-${kind}`} aria-label={label}>
      <header className="message-header">
        <span className={`message-kind message-kind-${kind}`}>{KIND_LABEL[kind]}</span>
        <strong className="message-from">{who}</strong>
        {message.from.name && message.from.address && (
          <span className="muted small message-address">{message.from.address}</span>
        )}
        {message.to.length > 0 && <span className="muted small">to {message.to.join(', ')}</span>}
        <span className="message-meta">
          {message.macro && <span className="tag">macro {message.macro}</span>}
          {message.movedFromTicketId && <span className="tag">moved here</span>}
          {message.deliveryState && (
            <span className={`tag delivery-${message.deliveryState}`}>
              {DELIVERY[message.deliveryState] ?? humanize(message.deliveryState)}
            </span>
          )}
          <time className="muted small" dateTime={message.createdAt}>
            {formatTime(message.createdAt)}
          </time>
          <button
            type="button"
            className="button link small"
            aria-expanded={open}
            aria-label={open ? `Collapse message from ${who}` : `Expand message from ${who}`}
            onClick={() => setOpen((o) => !o)}
          >
            {open ? 'Collapse' : 'Expand'}
          </button>
          {onSplit && (
            <button
              type="button"
              className="button link small"
              aria-label={`Split message from ${who} into a new ticket`}
              onClick={() => onSplit(message)}
            >
              Split
            </button>
          )}
        </span>
      </header>
      {open && (
        <>
          <MessageBody text={message.bodyText} html={message.bodyHtml} label={label} />
          {message.attachments.length > 0 && (
            <ul className="attachments" aria-label="Attachments">
              {message.attachments.map((file) => (
                <li key={file.id}>
                  <a href={attachmentUrl(file.id)} download={file.filename}>
                    {file.filename}
                  </a>{' '}
                  <span className="muted small">{formatBytes(file.size)}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </li>
  );
}
