import { useCallback, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/client';
import type { Message, Ticket } from '../api/helpdeskTypes';
import { splitTicket } from '../api/tickets';
import type { Brand } from '../api/types';
import { useCurrentBrand } from '../shell/currentBrand';
import { usePageShortcuts } from '../shell/pageShortcuts';
import { brandPath, customerPath, ticketPath } from '../shell/paths';
import { TicketRecords } from '../trackers/TicketRecords';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatRelative, formatTime } from '../ui/format';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusWhenLoaded } from '../ui/useFocusWhenLoaded';
import { useNow } from '../ui/useNow';
import { TicketTime } from '../worklog/TicketTime';
import { AdvicePanel } from './AdvicePanel';
import { Composer, type ComposerHandle } from './Composer';
import { Conversation } from './Conversation';
import { useHelpdeskDirectory } from './directory';
import { neighbourTicket, recalledInboxList } from './inboxNavigation';
import { LinkedOrders } from './LinkedOrders';
import { MacroPicker } from './MacroPicker';
import { MergeDialog } from './MergeDialog';
import { PresenceNotice } from './PresenceNotice';
import { SideConversations, type SideConversationsHandle } from './SideConversations';
import { StaleNotice } from './StaleNotice';
import { PriorityBadge, SlaBadge, TicketStatusBadge } from './TicketBadges';
import { TicketHistory } from './TicketHistory';
import { TicketProperties } from './TicketProperties';
import { channelLabel, customerLabel, ticketNumber } from './ticketText';
import { usePresence } from './usePresence';
import { useTicketState } from './useTicketState';

/**
 * One ticket, as an agent works it: the conversation and the composer in the middle; properties,
 * SLA targets, the customer, linked orders, the SOP's advice, side conversations and the history
 * on the right. Others on the ticket are shown ("Leo is replying"), live changes offer a reload,
 * and a change refused as stale says so without overwriting anything.
 */
export function TicketPage() {
  const brand = useCurrentBrand();
  const { ticketId = '' } = useParams();
  return <TicketView key={ticketId} brand={brand} ticketId={ticketId} />;
}

function TicketView({ brand, ticketId }: { brand: Brand; ticketId: string }) {
  const state = useTicketState(brand.id, ticketId);
  const { ticket } = state;
  const navigate = useNavigate();
  const directory = useHelpdeskDirectory();
  const [typing, setTyping] = useState(false);
  const others = usePresence(brand.id, ticketId, typing ? 'replying' : 'viewing');
  // A notice passed with the navigation (after a merge or split) is shown by the shell.
  const [notice, setNotice] = useState('');
  const [macrosOpen, setMacrosOpen] = useState(false);
  const [merging, setMerging] = useState(false);
  const [splitting, setSplitting] = useState<Message | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const sides = useRef<SideConversationsHandle>(null);
  const now = useNow();
  const list = recalledInboxList(brand.id);
  const inboxHref = `${brandPath(brand.id, 'inbox')}${list?.search ?? ''}`;
  const previous = neighbourTicket(list, ticketId, -1);
  const next = neighbourTicket(list, ticketId, 1);
  useDocumentTitle(ticket ? `${ticketNumber(ticket)} ${ticket.subject}` : 'Ticket', brand.name);
  useFocusWhenLoaded(ticket !== undefined);
  const onTyping = useCallback((value: boolean) => setTyping(value), []);

  usePageShortcuts([
    { key: 'r', label: 'Reply to the customer', run: () => composer.current?.start('reply') },
    { key: 'n', label: 'Write an internal note', run: () => composer.current?.start('note') },
    { key: 'm', label: 'Insert a macro', run: () => setMacrosOpen(true) },
    { key: 'j', label: 'Next ticket in the list', run: () => next && navigate(ticketPath(brand.id, next)) },
    {
      key: 'k',
      label: 'Previous ticket in the list',
      run: () => previous && navigate(ticketPath(brand.id, previous)),
    },
  ]);

  const backLink = (
    <Link className="back-link" to={inboxHref} state={{ fromTicket: ticketId }}>
      ← Inbox
    </Link>
  );

  if (ticket && ticket.brandId !== brand.id) {
    return (
      <Navigate
        to={brandPath(brand.id, 'inbox')}
        replace
        state={{ notice: `That ticket belongs to another brand, so Casebook opened ${brand.name}’s inbox.` }}
      />
    );
  }
  if (!ticket) {
    const missing = state.error instanceof ApiError && state.error.status === 404;
    return (
      <>
        {backLink}
        {state.loading && (
          <p className="muted" role="status">
            Loading the ticket…
          </p>
        )}
        {missing ? (
          <p className="error-message" role="alert">
            There is no such ticket in {brand.name}. It may have been removed, or the link is wrong.
          </p>
        ) : (
          <ErrorMessage error={state.error} />
        )}
      </>
    );
  }

  const mergedInto = ticket.mergedIntoId
    ? ticket.history.findLast((e) => e.kind === 'merged_into')?.data.number
    : undefined;
  const canSplit = ticket.allowed.includes('split') && ticket.messages.length > 1;

  return (
    <>
      <div className="ticket-topline">
        {backLink}
        <div className="ticket-tools">
          {ticket.allowed.includes('merge') && ticket.customerId && (
            <button type="button" className="button small" onClick={() => setMerging(true)}>
              Merge into…
            </button>
          )}
          <nav className="ticket-pager" aria-label="Tickets in the list">
            <button
              type="button"
              className="button small"
              disabled={!previous}
              aria-label="Previous ticket"
              aria-keyshortcuts="k"
              onClick={() => previous && navigate(ticketPath(brand.id, previous))}
            >
              ‹ Previous <kbd>k</kbd>
            </button>
            <button
              type="button"
              className="button small"
              disabled={!next}
              aria-label="Next ticket"
              aria-keyshortcuts="j"
              onClick={() => next && navigate(ticketPath(brand.id, next))}
            >
              Next <kbd>j</kbd> ›
            </button>
          </nav>
        </div>
      </div>
      <TicketHeader brandId={brand.id} ticket={ticket} now={now} />
      <PresenceNotice others={others} />
      {state.stale && <StaleNotice stale={state.stale} nameOf={directory.nameOf} onReload={state.reload} />}
      {ticket.mergedIntoId && (
        <p className="notice" role="status">
          This ticket was merged into{' '}
          <Link to={ticketPath(brand.id, ticket.mergedIntoId)}>
            {mergedInto ? `#${String(mergedInto)}` : 'another ticket'}
          </Link>
          ; work that one.
        </p>
      )}
      {notice && (
        <p className="success ticket-notice" role="status">
          {notice}
        </p>
      )}
      <div className="ticket-layout">
        <div className="ticket-main">
          <section aria-labelledby="conversation-title">
            <h2 id="conversation-title" className="section-title">
              Conversation <span className="count">{ticket.messages.length}</span>
            </h2>
            <Conversation ticket={ticket} onSplit={canSplit ? setSplitting : undefined} />
          </section>
          <Composer
            ref={composer}
            ticket={ticket}
            change={state.change}
            onOpenMacros={() => setMacrosOpen(true)}
            onTyping={onTyping}
            onSent={setNotice}
          />
        </div>
        <aside className="ticket-aside" aria-label="Ticket details">
          <TicketProperties ticket={ticket} change={state.change} />
          <TicketTime brand={brand} ticketId={ticket.id} />
          <AdvicePanel
            brandId={brand.id}
            ticket={ticket}
            change={state.change}
            onSendMacro={(entry) => {
              if (entry.preview)
                composer.current?.insertMacro(entry.preview, { index: entry.index, rule: entry.rule });
            }}
            onReply={() => composer.current?.start('reply')}
            onSideConversation={(withWhom) => sides.current?.start(withWhom)}
          />
          <CustomerCard brandId={brand.id} ticket={ticket} />
          <LinkedOrders brandId={brand.id} ticket={ticket} change={state.change} />
          <TicketRecords brandId={brand.id} ticket={ticket} />
          <SideConversations ref={sides} ticket={ticket} change={state.change} />
          <SlaTargets ticket={ticket} now={now} />
          <TicketHistory ticket={ticket} brandId={brand.id} directory={directory} />
        </aside>
      </div>
      <MacroPicker
        open={macrosOpen}
        brandId={brand.id}
        ticketId={ticket.id}
        onClose={() => setMacrosOpen(false)}
        onPick={(macro) => {
          setMacrosOpen(false);
          composer.current?.insertMacro(macro);
        }}
      />
      <MergeDialog
        open={merging}
        ticket={ticket}
        change={state.change}
        onClose={() => setMerging(false)}
        onMerged={(survivor) => {
          setMerging(false);
          navigate(ticketPath(brand.id, survivor.id), {
            state: { notice: `${ticketNumber(ticket)} was merged into this ticket.` },
          });
        }}
      />
      <ConfirmDialog
        open={splitting !== null}
        title="Split into a new ticket"
        confirmLabel="Split"
        onClose={() => setSplitting(null)}
        onConfirm={async () => {
          if (!splitting) return;
          const created = await splitTicket(ticket.id, splitting.id);
          navigate(ticketPath(brand.id, created.id), {
            state: { notice: `Split from ${ticketNumber(ticket)}; the message now starts this ticket.` },
          });
        }}
      >
        Move the message from{' '}
        <strong>{splitting?.from.name ?? splitting?.from.address ?? 'this sender'}</strong> out of{' '}
        {ticketNumber(ticket)} into a new ticket of the same customer? The rest of the conversation stays
        here.
      </ConfirmDialog>
    </>
  );
}

/** The ticket's number and subject and what an agent checks first. */
function TicketHeader({ brandId, ticket, now }: { brandId: string; ticket: Ticket; now: number }) {
  return (
    <header className="page-header ticket-header">
      <div>
        <h1 id="page-title">
          <span className="ticket-header-number">{ticketNumber(ticket)}</span> {ticket.subject}
        </h1>
        <dl className="order-facts">
          <div>
            <dt>Status</dt>
            <dd>
              <TicketStatusBadge status={ticket.status} />
            </dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>
              <PriorityBadge priority={ticket.priority} />
            </dd>
          </div>
          <div>
            <dt>SLA</dt>
            <dd>
              <SlaBadge state={ticket.sla.state} dueAt={ticket.sla.dueAt} now={now} />
            </dd>
          </div>
          <div>
            <dt>Customer</dt>
            <dd>
              {ticket.customerId ? (
                <Link to={customerPath(brandId, ticket.customerId)}>{customerLabel(ticket.customer)}</Link>
              ) : (
                <span className="muted">None</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Assignee</dt>
            <dd>{ticket.assignee?.name ?? <span className="muted">Unassigned</span>}</dd>
          </div>
          <div>
            <dt>Channel</dt>
            <dd>{channelLabel(ticket.channel)}</dd>
          </div>
          <div>
            <dt>Opened</dt>
            <dd>
              <time dateTime={ticket.createdAt}>{formatTime(ticket.createdAt)}</time>
            </dd>
          </div>
        </dl>
      </div>
    </header>
  );
}

/** When each SLA target of the ticket is due, and which one the ticket is measured by now. */
function SlaTargets({ ticket, now }: { ticket: Ticket; now: number }) {
  const targets = [
    ['First response', ticket.sla.firstResponseDueAt],
    ['Next response', ticket.sla.nextResponseDueAt],
    ['Resolution', ticket.sla.resolutionDueAt],
  ] as const;
  const running = targets.filter(([, at]) => at !== null);
  return (
    <section className="aside-card" aria-labelledby="sla-title">
      <h2 id="sla-title" className="aside-title">
        SLA targets
      </h2>
      {running.length === 0 ? (
        <p className="muted small">No target is running: the ticket waits on someone else, or is done.</p>
      ) : (
        <dl className="facts">
          {running.map(([label, at]) => (
            <div key={label} className="sla-target">
              <dt>{label}</dt>
              <dd>
                <time dateTime={at ?? undefined} title={at ? formatTime(at) : undefined}>
                  {at ? formatRelative(at, now) : '—'}
                </time>
                {at === ticket.sla.dueAt && <span className="tag">next</span>}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function CustomerCard({ brandId, ticket }: { brandId: string; ticket: Ticket }) {
  return (
    <section className="aside-card" aria-labelledby="customer-title">
      <h2 id="customer-title" className="aside-title">
        Customer
      </h2>
      {ticket.customerId ? (
        <p className="customer-card">
          <Link to={customerPath(brandId, ticket.customerId)}>{customerLabel(ticket.customer)}</Link>
          {ticket.customer?.name && ticket.customer.email && (
            <span className="muted small">{ticket.customer.email}</span>
          )}
        </p>
      ) : (
        <p className="muted small">No customer is known for this ticket.</p>
      )}
    </section>
  );
}
