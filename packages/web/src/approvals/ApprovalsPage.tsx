import './approvals.css';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type Approval,
  type ApprovalType,
  type FollowOn,
  fetchApproval,
  listApprovals,
  listApprovalTypes,
  requestApproval,
  takeApprovalStep,
} from '../api/approvals';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath, ticketPath } from '../shell/paths';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { CouponPools } from './CouponPools';

/** The Approvals area: requests of the pack's approval types, filing a new one, and deciding. */
export function ApprovalsPage() {
  const brand = useCurrentBrand();
  const { approvalId } = useParams();
  return approvalId ? (
    <ApprovalDetail key={approvalId} brand={brand} id={approvalId} />
  ) : (
    <ApprovalList key={brand.id} brand={brand} />
  );
}

function ApprovalList({ brand }: { brand: Brand }) {
  const area = areaById('approvals');
  useDocumentTitle(area.label, brand.name);
  const [state, setState] = useState('');
  const [type, setType] = useState('');
  const types = useResource((signal) => listApprovalTypes(brand.id, signal), [brand.id]);
  const list = useResource(
    (signal) => listApprovals(brand.id, { state: state || undefined, type: type || undefined }, signal),
    [brand.id, state, type],
  );
  const [filing, setFiling] = useState<ApprovalType | null>(null);
  // What the API said about the request just sent (e.g. how long it takes), shown once the form closes.
  const [filed, setFiled] = useState<string | null>(null);
  const requestable = types.data?.filter((t) => t.allowed.includes('request')) ?? [];
  const states = [...new Set(types.data?.flatMap((t) => t.states) ?? [])];

  return (
    <>
      <PageHeader
        title={area.label}
        summary={area.summary}
        actions={
          requestable.length > 0 && (
            <label className="field inline">
              <span>New request</span>
              <select
                value={filing?.name ?? ''}
                onChange={(e) => {
                  setFiled(null);
                  setFiling(requestable.find((t) => t.name === e.target.value) ?? null);
                }}
              >
                <option value="">Choose a type…</option>
                {requestable.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.title}
                  </option>
                ))}
              </select>
            </label>
          )
        }
      />
      <ErrorMessage error={types.error ?? list.error} />
      {filing && (
        <RequestForm
          key={filing.name}
          brand={brand}
          type={filing}
          onDone={(notice) => {
            setFiling(null);
            setFiled(notice);
            list.reload();
          }}
        />
      )}
      {filed && (
        <p className="notice" role="status">
          {filed}
        </p>
      )}
      <div className="tracker-filters">
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All</option>
            {types.data?.map((t) => (
              <option key={t.name} value={t.name}>
                {t.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>State</span>
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">All</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {types.data?.some((t) => t.pool) && <CouponPools brand={brand} />}
      {list.data && list.data.length === 0 && (
        <EmptyState title="No requests">{area.emptyText.replace('{brand}', brand.name)}</EmptyState>
      )}
      {list.data && list.data.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Approval requests</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">State</th>
              <th scope="col">Requested by</th>
              <th scope="col">Filed</th>
              <th scope="col">You may</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={brandPath(brand.id, 'approvals', a.id)}>
                    {a.typeTitle}: {summary(a)}
                  </Link>
                </td>
                <td>{a.state}</td>
                <td>{a.requestedBy.name}</td>
                <td>{formatTime(a.createdAt)}</td>
                <td>{a.allowed.join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function summary(a: Approval): string {
  return (
    Object.values(a.fields)
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .slice(0, 2)
      .join(' · ') || a.id.slice(0, 8)
  );
}

function RequestForm({
  brand,
  type,
  onDone,
}: {
  brand: Brand;
  type: ApprovalType;
  onDone: (notice: string) => void;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [ticketId, setTicketId] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const fields: Record<string, unknown> = {};
    for (const f of type.fields) {
      const v = values[f.name]?.trim();
      if (!v) continue;
      fields[f.name] = f.type === 'number' ? Number(v) : f.type === 'boolean' ? v === 'true' : v;
    }
    try {
      const res = await requestApproval(brand.id, {
        type: type.name,
        fields,
        ticketId: ticketId.trim() || null,
      });
      onDone(res.notice ?? `${type.title} requested.`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form className="approval-form" onSubmit={submit} aria-labelledby="request-title">
      <h2 id="request-title" className="section-title">
        Request: {type.title}
      </h2>
      {type.description && <p className="muted small">{type.description}</p>}
      {type.notice && <p className="notice">{type.notice}</p>}
      {type.fields.map((f) => {
        const id = `field-${f.name}`;
        const invalid = isFieldInvalid(error, `fields.${f.name}`);
        const set = (v: string) => setValues((all) => ({ ...all, [f.name]: v }));
        return (
          <div className="field" key={f.name}>
            <label htmlFor={id}>
              {f.label}
              {f.required ? ' (required)' : ''}
            </label>
            {f.type === 'choice' ? (
              <select
                id={id}
                value={values[f.name] ?? ''}
                aria-invalid={invalid}
                onChange={(e) => set(e.target.value)}
              >
                <option value="">Choose…</option>
                {f.options?.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : f.type === 'long_text' ? (
              <textarea
                id={id}
                value={values[f.name] ?? ''}
                aria-invalid={invalid}
                onChange={(e) => set(e.target.value)}
              />
            ) : (
              <input
                id={id}
                type={
                  f.type === 'number'
                    ? 'number'
                    : f.type === 'date'
                      ? 'date'
                      : f.type === 'url'
                        ? 'url'
                        : 'text'
                }
                inputMode={f.type === 'money' ? 'decimal' : undefined}
                value={values[f.name] ?? ''}
                aria-invalid={invalid}
                onChange={(e) => set(e.target.value)}
              />
            )}
          </div>
        );
      })}
      <div className="field">
        <label htmlFor="field-ticket">Ticket (id, optional)</label>
        <input id="field-ticket" value={ticketId} onChange={(e) => setTicketId(e.target.value)} />
      </div>
      <ErrorMessage error={error} />
      <button type="submit" className="button primary">
        Send request
      </button>
    </form>
  );
}

function ApprovalDetail({ brand, id }: { brand: Brand; id: string }) {
  const approval = useResource((signal) => fetchApproval(id, signal), [id]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ followOns: FollowOn[]; notice: string | null } | null>(null);
  useDocumentTitle(approval.data?.typeTitle ?? 'Approval', brand.name);
  const a = approval.data;
  if (!a) return <ErrorMessage error={approval.error} />;

  async function take(step: string) {
    if (!a) return;
    setError(null);
    try {
      const res = await takeApprovalStep(a.id, { step, note: note.trim() || undefined, version: a.version });
      setResult({ followOns: res.followOns, notice: res.notice });
      setNote('');
      approval.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <>
      <PageHeader
        title={`${a.typeTitle}: ${summary(a)}`}
        summary={`State: ${a.state}. Requested by ${a.requestedBy.name} on ${formatTime(a.createdAt)}.`}
        actions={<Link to={brandPath(brand.id, 'approvals')}>All requests</Link>}
      />
      <dl className="approval-fields">
        {Object.entries(a.fields).map(([k, v]) => (
          <div key={k}>
            <dt>{k.replaceAll('_', ' ')}</dt>
            <dd>{String(v)}</dd>
          </div>
        ))}
        {a.ticketId && (
          <div>
            <dt>Ticket</dt>
            <dd>
              <Link to={ticketPath(brand.id, a.ticketId)}>Open the ticket</Link>
            </dd>
          </div>
        )}
        {a.parentId && (
          <div>
            <dt>Follows from</dt>
            <dd>
              <Link to={brandPath(brand.id, 'approvals', a.parentId)}>the earlier request</Link>
            </dd>
          </div>
        )}
        {a.decidedBy && (
          <div>
            <dt>Decided by</dt>
            <dd>
              {a.decidedBy.name}
              {a.decisionNote ? `: “${a.decisionNote}”` : ''}
            </dd>
          </div>
        )}
      </dl>
      {a.allowed.length > 0 && (
        <section aria-labelledby="decide-title" className="approval-decide">
          <h2 id="decide-title" className="section-title">
            Decide
          </h2>
          <div className="field">
            <label htmlFor="step-note">
              Note
              {a.steps.some((s) => s.note === 'required' && a.allowed.includes(s.name))
                ? ' (required to '
                : ''}
              {a.steps
                .filter((s) => s.note === 'required' && a.allowed.includes(s.name))
                .map((s) => s.title.toLowerCase())
                .join(', ')}
              {a.steps.some((s) => s.note === 'required' && a.allowed.includes(s.name)) ? ')' : ''}
            </label>
            <textarea
              id="step-note"
              value={note}
              aria-invalid={isFieldInvalid(error, 'note')}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <div className="page-actions">
            {a.steps
              .filter((s) => a.allowed.includes(s.name))
              .map((s) => (
                <button key={s.name} type="button" className="button primary" onClick={() => take(s.name)}>
                  {s.title}
                </button>
              ))}
          </div>
        </section>
      )}
      <ErrorMessage error={error} />
      {result && (
        <div className="notice" role="status">
          {result.notice && <p>{result.notice}</p>}
          {result.followOns.length > 0 && (
            <ul>
              {result.followOns.map((f) => (
                <li key={`${f.kind}-${f.id ?? f.detail}`}>
                  {f.kind === 'record' && f.id && f.tracker ? (
                    <Link to={brandPath(brand.id, 'trackers', f.tracker, f.id)}>{f.detail}</Link>
                  ) : (
                    f.detail
                  )}
                </li>
              ))}
            </ul>
          )}
          {!result.notice && result.followOns.length === 0 && <p>Saved.</p>}
        </div>
      )}
      <h2 className="section-title">History</h2>
      <ol className="approval-history">
        {a.history?.map((h) => (
          <li key={`${h.at}-${h.action}-${h.to}`}>
            <strong>{h.action.replaceAll('_', ' ')}</strong> → {h.to} by {h.by} · {formatTime(h.at)}
            {h.note && <p>“{h.note}”</p>}
          </li>
        ))}
      </ol>
    </>
  );
}
