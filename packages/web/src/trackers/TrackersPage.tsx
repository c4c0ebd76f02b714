import './trackers.css';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  deleteView,
  exportUrl,
  listRecords,
  listTrackerTypes,
  listViews,
  type RecordFilters,
  saveView,
  type TrackerType,
  type TrackerView,
} from '../api/trackers';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath } from '../shell/paths';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';
import { cellText } from './format';
import { LogRecordDialog } from './LogRecordDialog';

/**
 * The Trackers area: the pack's record types the person may see, each a table with filters, sort,
 * saved views and CSV export. Keyed by brand so nothing carries over to another brand.
 */
export function TrackersPage() {
  const brand = useCurrentBrand();
  return <Trackers key={brand.id} brand={brand} />;
}

function Trackers({ brand }: { brand: Brand }) {
  const area = areaById('trackers');
  const { type } = useParams();
  const navigate = useNavigate();
  useDocumentTitle(area.label, brand.name);
  const types = useResource((signal) => listTrackerTypes(brand.id, signal), [brand.id]);
  const current = types.data?.find((t) => t.type === type) ?? types.data?.[0];

  useEffect(() => {
    if (!type && current) navigate(brandPath(brand.id, 'trackers', current.type), { replace: true });
  }, [type, current, brand.id, navigate]);

  return (
    <>
      <PageHeader
        title={area.label}
        summary="Order issues, supplier requests and finance logs, as records."
      />
      <ErrorMessage error={types.error} />
      {types.data && types.data.length === 0 && (
        <EmptyState title="No trackers for your role">
          {brand.name}’s pack defines no record types your role may see.
        </EmptyState>
      )}
      {types.data && types.data.length > 0 && (
        <nav className="tracker-tabs" aria-label="Record types">
          {types.data.map((t) => (
            <Link
              key={t.type}
              to={brandPath(brand.id, 'trackers', t.type)}
              className={`tracker-tab${t.type === current?.type ? ' active' : ''}`}
              aria-current={t.type === current?.type ? 'page' : undefined}
            >
              {t.title}
            </Link>
          ))}
        </nav>
      )}
      {current && <TrackerTable key={current.type} brand={brand} tracker={current} />}
    </>
  );
}

const SORTS: [string, string][] = [
  ['-created', 'Newest first'],
  ['created', 'Oldest first'],
  ['-updated', 'Recently changed'],
  ['state', 'State'],
  ['number', 'Number'],
];

function TrackerTable({ brand, tracker }: { brand: Brand; tracker: TrackerType }) {
  const navigate = useNavigate();
  const [filters, setFilters] = useState<RecordFilters>({});
  const [sort, setSort] = useState('-created');
  const [fieldName, setFieldName] = useState('');
  const [fieldValue, setFieldValue] = useState('');
  const [logging, setLogging] = useState(false);
  const [viewName, setViewName] = useState('');
  const [shareView, setShareView] = useState(false);
  const [viewError, setViewError] = useState<unknown>(null);
  const key = JSON.stringify([filters, sort]);
  const records = useResource((signal) => listRecords(brand.id, tracker.type, filters, sort, signal), [key]);
  const views = useResource((signal) => listViews(brand.id, tracker.type, signal), [tracker.type]);

  const set = (change: Partial<RecordFilters>) => setFilters((f) => ({ ...f, ...change }));
  const addFieldFilter = (event: FormEvent) => {
    event.preventDefault();
    if (!fieldName || !fieldValue.trim()) return;
    set({ field: [...(filters.field ?? []), `${fieldName}:${fieldValue.trim()}`] });
    setFieldValue('');
  };
  const applyView = (view: TrackerView) => {
    setFilters(view.filters ?? {});
    setSort(view.sort);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!viewName.trim()) return;
    setViewError(null);
    try {
      await saveView(brand.id, tracker.type, { name: viewName.trim(), shared: shareView, filters, sort });
      setViewName('');
      setShareView(false);
      views.reload();
    } catch (e) {
      setViewError(e);
    }
  };
  const byName = new Map(tracker.fields.map((f) => [f.name, f]));
  const shownFields = tracker.fields.slice(0, 4);

  return (
    <section aria-labelledby="tracker-title">
      <div className="tracker-head">
        <h2 id="tracker-title" className="section-title">
          {tracker.title} <span className="count">{records.data?.total ?? ''}</span>
        </h2>
        <div className="tracker-actions">
          <a className="button" href={exportUrl(brand.id, tracker.type, filters, sort)} download>
            Export CSV
          </a>
          {tracker.allowed.includes('log') && (
            <button type="button" className="button primary" onClick={() => setLogging(true)}>
              Log {tracker.title}
            </button>
          )}
        </div>
      </div>
      {tracker.description && <p className="muted small">{tracker.description}</p>}

      <div className="tracker-filters">
        <label className="field">
          <span>State</span>
          <select
            value={filters.state?.[0] ?? ''}
            onChange={(e) => set({ state: e.target.value ? [e.target.value] : [] })}
          >
            <option value="">Any state</option>
            {tracker.states.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Text</span>
          <input type="search" value={filters.q ?? ''} onChange={(e) => set({ q: e.target.value })} />
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value })} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value })} />
        </label>
        <label className="field">
          <span>Sort</span>
          <select value={sort} onChange={(e) => setSort(e.target.value)}>
            {SORTS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
            {tracker.fields.map((f) => (
              <option key={f.name} value={`field.${f.name}`}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <form className="tracker-field-filter" onSubmit={addFieldFilter}>
          <label className="field">
            <span>Field</span>
            <select value={fieldName} onChange={(e) => setFieldName(e.target.value)}>
              <option value="">Choose…</option>
              {tracker.fields.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Value</span>
            <input value={fieldValue} onChange={(e) => setFieldValue(e.target.value)} />
          </label>
          <button type="submit" className="button">
            Add filter
          </button>
        </form>
      </div>
      {(filters.field ?? []).length > 0 && (
        <ul className="tracker-chips" aria-label="Field filters">
          {(filters.field ?? []).map((f) => (
            <li key={f}>
              {f.replace(':', ': ')}{' '}
              <button
                type="button"
                className="button link small"
                aria-label={`Remove filter ${f}`}
                onClick={() => set({ field: (filters.field ?? []).filter((x) => x !== f) })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="tracker-views">
        {(views.data ?? []).map((v) => (
          <span key={v.id} className="tracker-view">
            <button type="button" className="button small" onClick={() => applyView(v)}>
              {v.name}
              {v.shared ? ' (shared)' : ''}
            </button>
            {v.allowed.includes('delete') && (
              <button
                type="button"
                className="button link small"
                aria-label={`Delete view ${v.name}`}
                onClick={() => void deleteView(v.id).then(views.reload, setViewError)}
              >
                ×
              </button>
            )}
          </span>
        ))}
        <form onSubmit={save} className="tracker-save-view">
          <input
            aria-label="View name"
            placeholder="Save these filters as…"
            value={viewName}
            onChange={(e) => setViewName(e.target.value)}
          />
          {/* Roles that resolve the type may share a view with everyone who sees it. */}
          {tracker.allowed.includes('resolve') && (
            <label className="small">
              <input type="checkbox" checked={shareView} onChange={(e) => setShareView(e.target.checked)} />{' '}
              Share with the team
            </label>
          )}
          <button type="submit" className="button small">
            Save view
          </button>
        </form>
      </div>
      <ErrorMessage error={viewError} />
      <ErrorMessage error={records.error} />
      {records.data && records.data.data.length === 0 && <p className="muted">No records match.</p>}
      {records.data && records.data.data.length > 0 && (
        <table className="table tracker-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">State</th>
              {shownFields.map((f) => (
                <th scope="col" key={f.name}>
                  {f.label}
                </th>
              ))}
              <th scope="col">Logged</th>
            </tr>
          </thead>
          <tbody>
            {records.data.data.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={brandPath(brand.id, 'trackers', tracker.type, r.id)}>#{r.number}</Link>
                  {r.raisedByTrend && <span className="badge">trend</span>}
                </td>
                <td>{r.state}</td>
                {shownFields.map((f) => (
                  <td key={f.name}>{cellText(byName.get(f.name), r.fields[f.name])}</td>
                ))}
                <td className="muted small">
                  {formatTime(r.createdAt)} · {r.createdBy}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {logging && (
        <LogRecordDialog
          brandId={brand.id}
          tracker={tracker}
          onClose={() => setLogging(false)}
          onLogged={(record) => {
            setLogging(false);
            navigate(brandPath(brand.id, 'trackers', tracker.type, record.id));
          }}
        />
      )}
    </section>
  );
}
