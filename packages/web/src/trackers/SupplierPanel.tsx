import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { answerConversation, supplierConversations, supplierPurchaseOrders } from '../api/trackers';
import type { Brand } from '../api/types';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { useResource } from '../ui/useResource';

/**
 * What a supplier's staff see above the trackers: the POs assigned to their company and the
 * conversations the brand opened with it. The brand's own people are told the list is not theirs
 * (403) and see nothing here.
 */
export function SupplierPanel({ brand }: { brand: Brand }) {
  const pos = useResource((signal) => supplierPurchaseOrders(brand.id, signal), [brand.id]);
  const conversations = useResource((signal) => supplierConversations(brand.id, signal), [brand.id]);
  if (pos.error instanceof ApiError && pos.error.status === 403) return null;
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
            </tr>
          </thead>
          <tbody>
            {pos.data.map((p) => (
              <tr key={p.id}>
                <td>{p.number}</td>
                <td>{p.orderNumber}</td>
                <td>{p.status}</td>
                <td>{p.items.map((i) => `${i.qty} × ${i.sku}`).join(', ')}</td>
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
