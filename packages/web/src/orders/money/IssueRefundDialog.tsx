import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/client';
import { issueRefund, type OrderMoney, type RefundKind } from '../../api/money';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage, isFieldInvalid } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { money, parseAmount, REFUND_KIND_LABELS } from './amounts';

type IssueRefundDialogProps = {
  open: boolean;
  orderId: string;
  data: OrderMoney;
  onClose: () => void;
  onIssued: (next: OrderMoney) => void;
};

/**
 * Asks what to refund (the whole order, the items' cost or the shipping), how much and why. The
 * amount defaults to everything still refundable of that kind. A refusal by the brand's SOP (such
 * as "returned to sender through the customer's error: item cost only") is shown in the dialog.
 */
export function IssueRefundDialog(props: IssueRefundDialogProps) {
  return (
    <Dialog open={props.open} title="Issue refund" onClose={props.onClose}>
      {props.open && <RefundForm {...props} />}
    </Dialog>
  );
}

function RefundForm({ orderId, data, onClose, onIssued }: IssueRefundDialogProps) {
  const [kind, setKind] = useState<RefundKind>('item_cost');
  const [sku, setSku] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [localProblem, setLocalProblem] = useState('');

  const item = data.items.find((i) => i.sku === sku);
  const left = kind === 'item_cost' && item ? item.total - item.refunded : data.totals.refundable[kind];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setLocalProblem('');
    setError(null);
    const cents = amount.trim() ? parseAmount(amount) : undefined;
    if (cents === null) {
      setLocalProblem('Amount: write an amount such as 12.50, or leave it empty for everything refundable.');
      return;
    }
    setBusy(true);
    try {
      const next = await issueRefund(orderId, {
        kind,
        reason: reason.trim(),
        ...(kind === 'item_cost' && sku ? { items: [{ sku, ...(cents ? { amount: cents } : {}) }] } : {}),
        ...(cents && !(kind === 'item_cost' && sku) ? { amount: cents } : {}),
      });
      onIssued(next);
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };

  const refused = error instanceof ApiError && error.code === 'guardrail_violation' && !error.fields.length;
  return (
    <form className="form" onSubmit={submit}>
      <Field label="Kind">
        {(control) => (
          <select {...control} value={kind} onChange={(e) => setKind(e.target.value as RefundKind)}>
            {(Object.keys(REFUND_KIND_LABELS) as RefundKind[]).map((k) => (
              <option key={k} value={k}>
                {REFUND_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {kind === 'item_cost' && (
        <Field label="Item" hint="Leave on all items to spread the amount over the order's items.">
          {(control) => (
            <select {...control} value={sku} onChange={(e) => setSku(e.target.value)}>
              <option value="">All items</option>
              {data.items.map((i) => (
                <option key={i.sku} value={i.sku}>
                  {i.sku} · {i.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="Amount" hint={`Empty: everything still refundable, ${money(left, data.currency)}.`}>
        {(control) => (
          <input
            {...control}
            inputMode="decimal"
            placeholder={(left / 100).toFixed(2)}
            value={amount}
            aria-invalid={isFieldInvalid(error, 'amount') || isFieldInvalid(error, 'items.0.amount')}
            onChange={(e) => setAmount(e.target.value)}
          />
        )}
      </Field>
      <Field label="Reason" hint="Saved with the refund and in the audit log.">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={1000}
            required
            value={reason}
            aria-invalid={isFieldInvalid(error, 'reason')}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      {localProblem && (
        <p className="error-message" role="alert">
          {localProblem}
        </p>
      )}
      {refused && <p className="muted small">The brand’s SOP does not allow this refund:</p>}
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Issuing…' : 'Issue refund'}
        </button>
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
