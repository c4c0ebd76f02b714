import { type FormEvent, useState } from 'react';
import { changeStoreCredit, fetchStoreCredit } from '../../api/money';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { formatTime } from '../../ui/format';
import { useResource } from '../../ui/useResource';
import { money, parseAmount } from './amounts';
import './money.css';

const KIND_LABELS = { issued: 'Issued', used: 'Used', removed: 'Removed' } as const;

/**
 * A customer's store credit: the balance, whether it is frozen while a removal request is open, the
 * ledger, and (for people who may credit customers) a form to issue or use credit.
 */
export function StoreCreditPanel({
  customerId,
  currency = 'USD',
}: {
  customerId: string;
  currency?: string;
}) {
  const resource = useResource((signal) => fetchStoreCredit(customerId, signal), [customerId]);
  const data = resource.data;
  const [kind, setKind] = useState<'issue' | 'use'>('issue');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [problem, setProblem] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    setError(null);
    const cents = parseAmount(amount);
    if (!cents) {
      setProblem('Amount: write an amount above 0, such as 12.50.');
      return;
    }
    setBusy(true);
    try {
      const next = await changeStoreCredit(customerId, { kind, amount: cents, reason: reason.trim() });
      resource.setData(() => next);
      setAmount('');
      setReason('');
    } catch (e) {
      setError(e);
    }
    setBusy(false);
  };

  return (
    <section className="money-section" aria-labelledby="customer-credit-title">
      <h2 id="customer-credit-title" className="section-title">
        Store credit
      </h2>
      {!data && <ErrorMessage error={resource.error} />}
      {data && (
        <>
          <p>
            Balance <strong data-testid="store-credit-balance">{money(data.balance, currency)}</strong>
            {data.frozen && (
              <span className="tag warn">
                Frozen since {formatTime(data.frozen.since)}: {data.frozen.reason}
              </span>
            )}
          </p>
          {data.entries.length === 0 ? (
            <p className="muted">No store credit yet.</p>
          ) : (
            <ul className="money-list">
              {data.entries.map((e) => (
                <li key={e.id}>
                  {KIND_LABELS[e.kind]} {money(e.amount, currency)} → {money(e.balanceAfter, currency)}:{' '}
                  {e.reason}
                  <span className="muted small">
                    {' '}
                    · {e.createdBy}, {formatTime(e.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {data.allowed.length > 0 && (
            <form className="form" onSubmit={submit} aria-label="Change store credit">
              <Field label="Change">
                {(control) => (
                  <select
                    {...control}
                    value={kind}
                    onChange={(e) => setKind(e.target.value as 'issue' | 'use')}
                  >
                    {data.allowed.map((k) => (
                      <option key={k} value={k}>
                        {k === 'issue' ? 'Issue credit' : 'Use credit'}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Amount">
                {(control) => (
                  <input
                    {...control}
                    inputMode="decimal"
                    value={amount}
                    onChange={(e) => setAmount(e.target.value)}
                  />
                )}
              </Field>
              <Field label="Reason">
                {(control) => (
                  <input
                    {...control}
                    required
                    maxLength={1000}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                  />
                )}
              </Field>
              {problem && (
                <p className="error-message" role="alert">
                  {problem}
                </p>
              )}
              <ErrorMessage error={error} />
              <div className="form-actions">
                <button type="submit" className="button" disabled={busy}>
                  Save
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
