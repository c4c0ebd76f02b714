import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import {
  addShipment,
  answerConversation,
  type SupplierPurchaseOrder,
  supplierConversations,
  supplierPurchaseOrders,
} from '../api/trackers';
import type { Brand } from '../api/types';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { useResource } from '../ui/useResource';

/**
 * What a supplier's staff see on their portal: the POs assigned to their company (with tracking
 * to add when their role may) and the conversations the brand opened with it. The brand's own
 * people are told the list is not theirs (403) and see nothing here.
 */
export function SupplierPanel({ brand }: { brand: Brand }) {
  const pos = useResource((signal) => supplierPurchaseOrders(brand.id, signal), [brand.id]);
  const conversations = useResource((signal) => supplierConversations(brand.id, signal), [brand.id]);
  if (pos.error instanceof ApiError && pos.error.status === 403) return null;
  const mayShip = brand.allowed.includes('shipments.manage');
  return (
    <section className="supplier-panel" aria-labelledby="supplier-title">
      <h2 id="supplier-title" className="section-title">
        Your purchase orders <span className="count">{pos.data?.length ?? ''}</span>
      </h2>
      <ErrorMessage error={pos.error} />
      {pos.data && (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">PO</th>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Items</th>
              {mayShip && <th scope="col">Tracking</th>}
            </tr>
          </thead>
          <tbody>
            {pos.data.map((p) => (
              <tr key={p.id}>
                <td>{p.number}</td>
                <td>{p.orderNumber}</td>
                <td>{p.status}</td>
                <td>
                  {p.items
                    .map((i) => `${i.qty} × ${i.sku}${i.shippedQty ? ` (${i.shippedQty} shipped)` : ''}`)
                    .join(', ')}
                </td>
                {mayShip && (
                  <td>
                    <AddTracking po={p} onAdded={pos.reload} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="section-title">Conversations</h2>
      {(conversations.data ?? []).map((c) => (
        <Conversation key={c.id} brandId={brand.id} conversation={c} onAnswered={conversations.reload} />
      ))}
      {conversations.data?.length === 0 && <p className="muted small">No open conversations.</p>}
    </section>
  );
}

function Conversation({
  brandId,
  conversation,
  onAnswered,
}: {
  brandId: string;
  conversation: Awaited<ReturnType<typeof supplierConversations>>[number];
  onAnswered: () => void;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    try {
      await answerConversation(brandId, conversation.id, body.trim());
      setBody('');
      onAnswered();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <article className="aside-card">
      <h3 className="small">
        {conversation.subject} <span className="muted">({conversation.status})</span>
      </h3>
      <ul className="record-comments">
        {conversation.messages.map((m) => (
          <li key={m.id}>
            <strong>{m.from === 'supplier' ? (m.name ?? 'You') : 'Brand'}</strong>{' '}
            <span className="muted small">{formatTime(m.createdAt)}</span>
            <p>{m.body}</p>
          </li>
        ))}
      </ul>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Answer</span>
          <textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="button">
            Send answer
          </button>
        </div>
      </form>
    </article>
  );
}

/**
 * Tracking for the items of a PO that have not shipped yet: one shipment with the carrier and the
 * tracking number, carrying every unshipped item.
 */
function AddTracking({ po, onAdded }: { po: SupplierPurchaseOrder; onAdded: () => void }) {
  const [open, setOpen] = useState(false);
  const [carrier, setCarrier] = useState('');
  const [trackingNumber, setTrackingNumber] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const remaining = po.items.map((i) => ({ sku: i.sku, qty: i.qty - i.shippedQty })).filter((i) => i.qty > 0);
  if (remaining.length === 0) return <span className="muted small">All shipped</span>;
  if (!open)
    return (
      <button
        type="button"
        className="button small"
        aria-label={`Add tracking to ${po.number}`}
        onClick={() => setOpen(true)}
      >
        Add tracking
      </button>
    );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!trackingNumber.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await addShipment(po.id, {
        ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
        trackingNumber: trackingNumber.trim(),
        items: remaining,
      });
      setOpen(false);
      setTrackingNumber('');
      onAdded();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" aria-label={`Tracking for ${po.number}`} onSubmit={submit}>
      <label className="field">
        <span>Carrier</span>
        <input value={carrier} onChange={(e) => setCarrier(e.target.value)} />
      </label>
      <label className="field">
        <span>Tracking number</span>
        <input required value={trackingNumber} onChange={(e) => setTrackingNumber(e.target.value)} />
      </label>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Add shipment
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
