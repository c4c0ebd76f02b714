import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { fetchCustomer, updateCustomer } from '../api/customers';
import type { CustomerDetail } from '../api/helpdeskTypes';
import { StoreCreditPanel } from '../orders/money/StoreCreditPanel';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath, ticketPath } from '../shell/paths';
import { TicketStatusBadge } from '../tickets/TicketBadges';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { formatDay, formatRelative, formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { ResourceTable } from '../ui/ResourceTable';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useFocusWhenLoaded } from '../ui/useFocusWhenLoaded';
import { useNow } from '../ui/useNow';
import { loadedResource, useResource } from '../ui/useResource';

/**
 * One customer: their details (name, phone, notes and email addresses, editable), every ticket they
 * opened and the orders placed with their addresses. Opened from a ticket's header.
 */
export function CustomerPage() {
  const brand = useCurrentBrand();
  const { customerId = '' } = useParams();
  const customer = useResource((signal) => fetchCustomer(customerId, signal), [customerId]);
  const data = customer.data;
  const now = useNow();
  const title = data ? (data.name ?? data.email ?? 'Customer') : 'Customer';
  useDocumentTitle(title, brand.name);
  useFocusWhenLoaded(data !== undefined);

  const backLink = (
    <Link className="back-link" to={brandPath(brand.id, 'inbox')}>
      ← Inbox
    </Link>
  );
  if (!data || data.brandId !== brand.id) {
    const missing =
      (customer.error instanceof ApiError && customer.error.status === 404) ||
      (data && data.brandId !== brand.id);
    return (
      <>
        {backLink}
        {customer.loading && (
          <p className="muted" role="status">
            Loading the customer…
          </p>
        )}
        {missing ? (
          <p className="error-message" role="alert">
            There is no such customer in {brand.name}.
          </p>
        ) : (
          <ErrorMessage error={customer.error} />
        )}
      </>
    );
  }

  return (
    <>
      {backLink}
      <PageHeader
        title={title}
        summary={`Customer since ${formatDay(data.createdAt)}${data.storeCreditBalance ? ` · store credit balance ${data.storeCreditBalance.toFixed(2)}` : ''}`}
      />
      <div className="customer-layout">
        <div>
          <CustomerForm
            customer={data}
            onSaved={(saved) => customer.setData((c) => (c ? { ...c, ...saved } : c))}
          />
          <StoreCreditPanel customerId={data.id} />
        </div>
        <div className="customer-lists">
          <section aria-labelledby="customer-tickets-title">
            <h2 id="customer-tickets-title" className="section-title">
              Tickets <span className="count">{data.tickets.length}</span>
            </h2>
            <ResourceTable
              resource={loadedResource(data.tickets)}
              loadingText="Loading tickets…"
              emptyText="No tickets yet."
              columns={['Ticket', 'Subject', 'Status', 'Updated']}
              actionsLabel="Open"
            >
              {(rows) =>
                rows.map((t) => (
                  <tr key={t.id}>
                    <td className="nowrap">
                      <Link to={ticketPath(brand.id, t.id)}>#{t.number}</Link>
                    </td>
                    <td>{t.subject}</td>
                    <td>
                      <TicketStatusBadge status={t.status} />
                    </td>
                    <td className="nowrap muted" title={formatTime(t.updatedAt)}>
                      {formatRelative(t.updatedAt, now)}
                    </td>
                    <td />
                  </tr>
                ))
              }
            </ResourceTable>
          </section>
          <section aria-labelledby="customer-orders-title">
            <h2 id="customer-orders-title" className="section-title">
              Orders <span className="count">{data.orders.length}</span>
            </h2>
            <ResourceTable
              resource={loadedResource(data.orders)}
              loadingText="Loading orders…"
              emptyText="No orders placed with these addresses."
              columns={['Order', 'Placed', 'Channel']}
              actionsLabel="Open"
            >
              {(rows) =>
                rows.map((o) => (
                  <tr key={o.id}>
                    <td>
                      <Link to={brandPath(brand.id, 'orders', o.id)} className="order-number">
                        {o.number}
                      </Link>
                    </td>
                    <td className="nowrap">{formatTime(o.placedAt)}</td>
                    <td>{o.channel}</td>
                    <td />
                  </tr>
                ))
              }
            </ResourceTable>
          </section>
        </div>
      </div>
    </>
  );
}

/**
 * The customer's details. Saves with the version loaded, so an edit made meanwhile is refused
 * and explained rather than overwritten; addresses are added and removed one by one.
 */
function CustomerForm({
  customer,
  onSaved,
}: {
  customer: CustomerDetail;
  onSaved: (saved: Partial<CustomerDetail>) => void;
}) {
  const [name, setName] = useState(customer.name ?? '');
  const [phone, setPhone] = useState(customer.phone ?? '');
  const [notes, setNotes] = useState(customer.notes ?? '');
  const [primary, setPrimary] = useState(customer.email ?? '');
  const [newEmail, setNewEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState('');

  const save = async (changes: Parameters<typeof updateCustomer>[1], message: string) => {
    setBusy(true);
    setError(null);
    setSaved('');
    try {
      const next = await updateCustomer(customer.id, { ...changes, version: customer.version });
      onSaved(next);
      setPrimary(next.email ?? '');
      setSaved(message);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await save(
      {
        name: name.trim() || null,
        phone: phone.trim() || null,
        notes: notes.trim() || null,
        ...(primary !== (customer.email ?? '') ? { email: primary || null } : {}),
      },
      'Saved.',
    );
  };

  const addEmail = async (event: FormEvent) => {
    event.preventDefault();
    const address = newEmail.trim();
    if (!address) return;
    if (await save({ addEmails: [address] }, `${address} added.`)) setNewEmail('');
  };

  const stale = error instanceof ApiError && error.status === 409 && error.code === 'conflict';
  return (
    <section className="aside-card customer-details" aria-labelledby="customer-details-title">
      <h2 id="customer-details-title" className="aside-title">
        Details
      </h2>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input
            value={name}
            maxLength={200}
            aria-invalid={isFieldInvalid(error, 'name')}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Phone</span>
          <input
            type="tel"
            value={phone}
            maxLength={50}
            aria-invalid={isFieldInvalid(error, 'phone')}
            onChange={(e) => setPhone(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Replies go to</span>
          <select value={primary} onChange={(e) => setPrimary(e.target.value)}>
            <option value="">No address</option>
            {customer.emails.map((address) => (
              <option key={address} value={address}>
                {address}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Notes</span>
          <textarea
            rows={4}
            value={notes}
            maxLength={10_000}
            aria-invalid={isFieldInvalid(error, 'notes')}
            onChange={(e) => setNotes(e.target.value)}
          />
        </label>
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save details'}
          </button>
        </div>
      </form>
      <h3 className="aside-subtitle">Email addresses</h3>
      {customer.emails.length === 0 && <p className="muted small">No address known.</p>}
      <ul className="customer-emails">
        {customer.emails.map((address) => (
          <li key={address}>
            <span className="mono">{address}</span>
            {address === customer.email && <span className="tag">replies</span>}
            <button
              type="button"
              className="button link small danger-text"
              aria-label={`Remove ${address}`}
              disabled={busy}
              onClick={() => void save({ removeEmails: [address] }, `${address} removed.`)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="tag-form" onSubmit={addEmail}>
        <input
          type="email"
          value={newEmail}
          maxLength={254}
          placeholder="another@example.com"
          aria-label="Email address to add"
          aria-invalid={isFieldInvalid(error, 'addEmails')}
          onChange={(e) => setNewEmail(e.target.value)}
        />
        <button type="submit" className="button small" disabled={busy || !newEmail.trim()}>
          Add address
        </button>
      </form>
      <ErrorMessage error={error} />
      {stale && (
        <p className="muted small">Reload the page to see the customer as they are now, then edit again.</p>
      )}
      <p className="success small" role="status">
        {saved}
      </p>
    </section>
  );
}
