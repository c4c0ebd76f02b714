import './reports.css';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import {
  type DrillItem,
  drillDown,
  type FilterName,
  type Granularity,
  type GroupBy,
  type Report,
  type ReportCatalogue,
  type ReportColumn,
  type ReportKind,
  type ReportQuery,
  reportCatalogue,
  reportCsvUrl,
  runReport,
} from '../api/reports';
import type { Brand } from '../api/types';
import { areaById } from '../shell/areas';
import { useCurrentBrand } from '../shell/currentBrand';
import { brandPath, ticketPath } from '../shell/paths';
import { EmptyState } from '../ui/EmptyState';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatTime } from '../ui/format';
import { PageHeader } from '../ui/PageHeader';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useResource } from '../ui/useResource';

/**
 * The Reports area: pick a report, group and filter it, read it as a chart and a table, open the
 * tickets behind a row, and download it as CSV. The query lives in the address, so a report can be
 * bookmarked and shared. Keyed by brand so nothing carries over to another brand.
 */
export function ReportsPage() {
  const brand = useCurrentBrand();
  return <Reports key={brand.id} brand={brand} />;
}

const GROUP_LABELS: Record<GroupBy, string> = {
  period: 'Period',
  category: 'Category',
  channel: 'Channel',
  queue: 'Queue',
  agent: 'Agent',
  brand: 'Brand',
  type: 'Type',
  state: 'State',
  rule: 'Rule',
};
const GRANULARITY_LABELS: Record<Granularity, string> = { day: 'Day', week: 'Week', month: 'Month' };
const SERIES_COLOURS = ['#2f6fde', '#e08a1e', '#2f9e6b', '#b54fc4'];

const addDays = (day: string, n: number) =>
  new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

function Reports({ brand }: { brand: Brand }) {
  const area = areaById('reports');
  useDocumentTitle(area.label, brand.name);
  const catalogue = useResource((signal) => reportCatalogue(brand.id, signal), [brand.id]);
  return (
    <>
      <PageHeader title={area.label} summary={area.summary} />
      <ErrorMessage error={catalogue.error} />
      {catalogue.data && <ReportView brand={brand} catalogue={catalogue.data} />}
    </>
  );
}

function ReportView({ brand, catalogue }: { brand: Brand; catalogue: ReportCatalogue }) {
  const [params, setParams] = useSearchParams();
  const kind = (catalogue.kinds.find((k) => k.kind === params.get('report'))?.kind ?? 'volume') as ReportKind;
  const spec = catalogue.kinds.find((k) => k.kind === kind)!;
  const groupParam = params.get('groupBy') as GroupBy | null;
  const query: ReportQuery = {
    from: params.get('from') ?? addDays(catalogue.today, -29),
    to: params.get('to') ?? catalogue.today,
    granularity: (params.get('granularity') as Granularity | null) ?? 'week',
    groupBy: groupParam && spec.groupBys.includes(groupParam) ? groupParam : spec.groupBys[0]!,
  };
  for (const f of spec.filters) {
    const v = params.get(f);
    if (v) query[f] = v;
  }
  const queryKey = JSON.stringify(query);
  const report = useResource(
    (signal) => runReport(brand.id, kind, query, signal),
    [brand.id, kind, queryKey],
  );
  const [drillKey, setDrillKey] = useState<string | null>(null);
  const drillRow = report.data?.rows.find((r) => r.key === drillKey) ?? null;

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
    setDrillKey(null);
  };

  const filterOptions: Record<FilterName, { label: string; options: { value: string; label: string }[] }> = {
    queueId: {
      label: 'Queue',
      options: catalogue.options.queues.map((q) => ({ value: q.id, label: q.title })),
    },
    agentId: {
      label: 'Agent',
      options: catalogue.options.agents.map((a) => ({ value: a.id, label: a.name })),
    },
    category: {
      label: 'Category',
      options: catalogue.options.categories.map((c) => ({ value: c, label: c })),
    },
    channel: { label: 'Channel', options: catalogue.options.channels.map((c) => ({ value: c, label: c })) },
    type: {
      label: 'Type',
      options: (kind === 'approvals' ? catalogue.options.approvalTypes : catalogue.options.trackerTypes).map(
        (t) => ({
          value: t.name,
          label: t.title,
        }),
      ),
    },
  };

  return (
    <section aria-labelledby="report-title">
      <form className="report-filters" aria-label="Filters and grouping" onSubmit={(e) => e.preventDefault()}>
        <label>
          Report
          <select
            value={kind}
            onChange={(e) =>
              set({
                report: e.target.value,
                groupBy: null,
                queueId: null,
                agentId: null,
                category: null,
                channel: null,
                type: null,
              })
            }
          >
            {catalogue.kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by
          <select value={query.groupBy} onChange={(e) => set({ groupBy: e.target.value })}>
            {spec.groupBys
              .filter((g) => g !== 'brand' || catalogue.options.brands.length > 1)
              .map((g) => (
                <option key={g} value={g}>
                  {GROUP_LABELS[g]}
                </option>
              ))}
          </select>
        </label>
        <label>
          Period length
          <select
            value={query.granularity}
            disabled={query.groupBy !== 'period'}
            onChange={(e) => set({ granularity: e.target.value })}
          >
            {(Object.keys(GRANULARITY_LABELS) as Granularity[]).map((g) => (
              <option key={g} value={g}>
                {GRANULARITY_LABELS[g]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={query.from}
            max={query.to}
            onChange={(e) => set({ from: e.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={query.to}
            min={query.from}
            onChange={(e) => set({ to: e.target.value })}
          />
        </label>
        {spec.filters.map((f) => (
          <label key={f}>
            {filterOptions[f].label}
            <select value={query[f] ?? ''} onChange={(e) => set({ [f]: e.target.value })}>
              <option value="">All</option>
              {filterOptions[f].options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
      </form>

      <div className="report-heading">
        <div>
          <h2 id="report-title">
            {spec.title} by {GROUP_LABELS[query.groupBy].toLowerCase()}
          </h2>
          <p className="page-summary">{spec.description}</p>
        </div>
        <a className="button" href={reportCsvUrl(brand.id, kind, query)} download>
          Export CSV
        </a>
      </div>

      <ErrorMessage error={report.error} />
      {report.loading && !report.data && <p role="status">Loading the report…</p>}
      {report.data && report.data.rows.length === 0 && (
        <EmptyState title="Nothing in this period">
          No data matches these filters between {query.from} and {query.to}.
        </EmptyState>
      )}
      {report.data && report.data.rows.length > 0 && (
        <>
          <ReportChart report={report.data} onPick={setDrillKey} />
          <ReportTable report={report.data} onPick={setDrillKey} selected={drillKey} />
        </>
      )}
      {drillRow && (
        <DrillDown
          brand={brand}
          kind={kind}
          query={{ ...query, key: drillRow.key }}
          label={drillRow.label}
          onClose={() => setDrillKey(null)}
        />
      )}
    </section>
  );
}

function formatValue(value: number | null | undefined, column: ReportColumn): string {
  if (value === null || value === undefined) return '—';
  if (column.unit === 'percent') return `${value}%`;
  return value.toLocaleString('en');
}

function ReportChart({ report, onPick }: { report: Report; onPick: (key: string) => void }) {
  const series = report.columns.filter((c) => report.chart.includes(c.name));
  const data = useMemo(() => report.rows.map((r) => ({ key: r.key, label: r.label, ...r.values })), [report]);
  const summary = `${report.title} by ${report.groupTitle.toLowerCase()}: ${series.map((s) => s.title).join(', ')}. The table below has the figures.`;
  return (
    <figure className="report-chart" aria-label={summary}>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 12 }} allowDecimals={series.some((s) => s.unit !== 'count')} />
          <Tooltip />
          <Legend />
          {series.map((s, i) => (
            <Bar
              key={s.name}
              dataKey={s.name}
              name={s.title}
              fill={SERIES_COLOURS[i % SERIES_COLOURS.length]}
              cursor="pointer"
              onClick={(entry: { payload?: { key?: string } }) =>
                entry.payload?.key && onPick(entry.payload.key)
              }
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function ReportTable({
  report,
  onPick,
  selected,
}: {
  report: Report;
  onPick: (key: string) => void;
  selected: string | null;
}) {
  return (
    <div className="table-scroll">
      <table className="report-table" aria-label={`${report.title} by ${report.groupTitle.toLowerCase()}`}>
        <thead>
          <tr>
            <th scope="col">{report.groupTitle}</th>
            {report.columns.map((c) => (
              <th key={c.name} scope="col" className="numeric">
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((r) => (
            <tr key={r.key} className={r.key === selected ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Show the ${report.kind === 'trackers' ? 'records' : 'tickets'} behind ${r.label}`}
                  onClick={() => onPick(r.key)}
                >
                  {r.label}
                </button>
              </th>
              {report.columns.map((c) => (
                <td key={c.name} className="numeric">
                  {formatValue(r.values[c.name], c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DrillDown({
  brand,
  kind,
  query,
  label,
  onClose,
}: {
  brand: Brand;
  kind: ReportKind;
  query: ReportQuery & { key: string };
  label: string;
  onClose: () => void;
}) {
  const items = useResource(
    (signal) => drillDown(brand.id, kind, query, signal),
    [brand.id, kind, JSON.stringify(query)],
  );
  const noun = kind === 'trackers' ? 'Records' : 'Tickets';
  return (
    <section className="report-drill" aria-labelledby="drill-title">
      <div className="report-heading">
        <h2 id="drill-title">
          {noun} behind {label}
        </h2>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <ErrorMessage error={items.error} />
      {items.loading && !items.data && <p role="status">Loading…</p>}
      {items.data && items.data.length === 0 && <p>None.</p>}
      {items.data && items.data.length > 0 && (
        <div className="table-scroll">
          <table className="report-table" aria-label={`${noun} behind ${label}`}>
            <thead>
              <tr>
                <th scope="col">{kind === 'trackers' ? 'Record' : 'Ticket'}</th>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Date</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={item.id}>
                  <td>
                    <DrillLink brand={brand} item={item} />
                  </td>
                  <td>{item.title}</td>
                  <td>{item.status}</td>
                  <td>{formatTime(item.at)}</td>
                  <td>{item.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DrillLink({ brand, item }: { brand: Brand; item: DrillItem }) {
  if (item.recordId && item.recordType)
    return <Link to={brandPath(brand.id, 'trackers', item.recordType, item.recordId)}>#{item.number}</Link>;
  if (item.ticketId) return <Link to={ticketPath(brand.id, item.ticketId)}>#{item.ticketNumber}</Link>;
  return <span>—</span>;
}
