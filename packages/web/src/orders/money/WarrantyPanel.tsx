import { type FormEvent, useState } from 'react';
import {
  createWarrantyPlan,
  fetchWarranty,
  fileWarrantyClaim,
  type OrderWarranty,
  setWarrantyClaimStatus,
  type WarrantyClaimReason,
} from '../../api/money';
import type { Order } from '../../api/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { formatDay } from '../../ui/format';
import { useResource } from '../../ui/useResource';

const REASON_LABELS: Record<WarrantyClaimReason, string> = {
  defect: 'Defect',
  loss: 'Loss',
  theft: 'Theft',
  accidental_damage: 'Accidental damage',
};

/**
 * The warranty plans sold with the order's items (the brand's pack defines the plan types), each
 * with its period and claims. A claim the plan excludes or outside its period is refused, with why.
 */
export function WarrantyPanel({ order }: { order: Order }) {
  const resource = useResource((signal) => fetchWarranty(order.id, signal), [order.id]);
  const data = resource.data;
  const [adding, setAdding] = useState(false);
  const [claimOn, setClaimOn] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const replace = (next: OrderWarranty) => {
    resource.setData(() => next);
    setAdding(false);
    setClaimOn(null);
  };

  return (
    <section className="money-section" aria-labelledby="order-warranty-title">
      <h2 id="order-warranty-title" className="section-title">
        Warranty plans <span className="count">{data?.plans.length ?? 0}</span>
      </h2>
      {!data && <ErrorMessage error={resource.error} />}
      {data && (
        <>
          {data.plans.length === 0 && <p className="muted">No warranty plan was sold with this order.</p>}
          {data.plans.map((plan) => (
            <article key={plan.id} className="money-card" aria-label={`${plan.plan} on ${plan.sku}`}>
              <header>
                <strong>{plan.plan}</strong> on <span className="mono">{plan.sku}</span> · {plan.itemName}
              </header>
              <p className="muted small">
                Covers {formatDay(plan.startsAt)} to {formatDay(plan.endsAt)} (manufacturer’s warranty to{' '}
                {formatDay(plan.manufacturerEndsAt)})
              </p>
              {plan.claims.length > 0 && (
                <ul className="money-list">
                  {plan.claims.map((c) => (
                    <li key={c.id}>
                      <span className="tag">{c.status}</span> {REASON_LABELS[c.reason]}: {c.description}
                      <span className="muted small">
                        {' '}
                        · {c.createdBy}, {formatDay(c.createdAt)}
                      </span>
                      {c.nextStatuses.map((s) => (
                        <button
                          key={s}
                          type="button"
                          className="button small"
                          onClick={() =>
                            setWarrantyClaimStatus(c.id, s).then((next) => {
                              setError(null);
                              replace(next);
                            }, setError)
                          }
                        >
                          Mark {s}
                        </button>
                      ))}
                    </li>
                  ))}
                </ul>
              )}
              {data.allowed.includes('file_claim') && (
                <button type="button" className="button" onClick={() => setClaimOn(plan.id)}>
                  File claim
                </button>
              )}
            </article>
          ))}
          <ErrorMessage error={error} />
          {data.allowed.includes('create_plan') && data.planTypes.length > 0 && (
            <button type="button" className="button" onClick={() => setAdding(true)}>
              Add warranty plan
            </button>
          )}
          <Dialog open={adding} title="Add warranty plan" onClose={() => setAdding(false)}>
            {adding && (
              <AddPlanForm order={order} data={data} onDone={replace} onCancel={() => setAdding(false)} />
            )}
          </Dialog>
          <Dialog open={claimOn !== null} title="File warranty claim" onClose={() => setClaimOn(null)}>
            {claimOn && (
              <ClaimForm planId={claimOn} data={data} onDone={replace} onCancel={() => setClaimOn(null)} />
            )}
          </Dialog>
        </>
      )}
    </section>
  );
}

function AddPlanForm({
  order,
  data,
  onDone,
  onCancel,
}: {
  order: Order;
  data: OrderWarranty;
  onDone: (next: OrderWarranty) => void;
  onCancel: () => void;
}) {
  const [sku, setSku] = useState(order.items[0]?.sku ?? '');
  const [plan, setPlan] = useState(data.planTypes[0]?.name ?? '');
  const [months, setMonths] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const type = data.planTypes.find((p) => p.name === plan);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      onDone(
        await createWarrantyPlan(order.id, {
          sku,
          plan,
          ...(months ? { manufacturerMonths: Number(months) } : {}),
        }),
      );
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      <Field label="Item">
        {(control) => (
          <select {...control} value={sku} onChange={(e) => setSku(e.target.value)}>
            {order.items.map((i) => (
              <option key={i.sku} value={i.sku}>
                {i.sku} · {i.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Plan" hint={type ? `Covers ${type.covers}` : undefined}>
        {(control) => (
          <select {...control} value={plan} onChange={(e) => setPlan(e.target.value)}>
            {data.planTypes.map((p) => (
              <option key={p.name} value={p.name}>
                {p.title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        label="Manufacturer’s warranty (months)"
        hint={`Empty: ${type?.manufacturerMonths ?? 12} months, the plan’s default.`}
      >
        {(control) => (
          <input
            {...control}
            type="number"
            min={0}
            max={240}
            value={months}
            onChange={(e) => setMonths(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          Add plan
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ClaimForm({
  planId,
  data,
  onDone,
  onCancel,
}: {
  planId: string;
  data: OrderWarranty;
  onDone: (next: OrderWarranty) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState<WarrantyClaimReason>('defect');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await fileWarrantyClaim(planId, { reason, description: description.trim() }));
    } catch (e) {
      setBusy(false);
      setError(e);
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      <Field label="Reason">
        {(control) => (
          <select
            {...control}
            value={reason}
            onChange={(e) => setReason(e.target.value as WarrantyClaimReason)}
          >
            {data.claimReasons.map((r) => (
              <option key={r} value={r}>
                {REASON_LABELS[r]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="What happened">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            required
            maxLength={4000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          File claim
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
