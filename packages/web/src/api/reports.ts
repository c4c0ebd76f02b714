import { api } from './client';

/** Reports: volume, handle time, backlog, SLA attainment, approvals, trackers and SOP adherence. */

export type ReportKind =
  | 'volume'
  | 'handle_time'
  | 'backlog'
  | 'sla'
  | 'approvals'
  | 'trackers'
  | 'adherence';
export type GroupBy =
  | 'period'
  | 'category'
  | 'channel'
  | 'queue'
  | 'agent'
  | 'brand'
  | 'type'
  | 'state'
  | 'rule';
export type Granularity = 'day' | 'week' | 'month';
export type FilterName = 'queueId' | 'agentId' | 'category' | 'channel' | 'type';

export type ReportCatalogue = {
  kinds: {
    kind: ReportKind;
    title: string;
    description: string;
    groupBys: GroupBy[];
    filters: FilterName[];
  }[];
  /** Today in the brand's time zone, `YYYY-MM-DD`. */
  today: string;
  options: {
    queues: { id: string; title: string }[];
    agents: { id: string; name: string }[];
    categories: string[];
    channels: string[];
    approvalTypes: { name: string; title: string }[];
    trackerTypes: { name: string; title: string }[];
    /** The brands a by-brand report compares: this one first, then others where the caller holds reports.read. */
    brands: { id: string; name: string }[];
  };
};

export type ReportQuery = {
  from: string;
  to: string;
  granularity: Granularity;
  groupBy: GroupBy;
} & Partial<Record<FilterName, string>>;

export type ReportColumn = {
  name: string;
  title: string;
  unit: 'count' | 'seconds' | 'hours' | 'days' | 'percent';
};

export type Report = {
  kind: ReportKind;
  title: string;
  groupTitle: string;
  columns: ReportColumn[];
  chart: string[];
  rows: { key: string; label: string; values: Record<string, number | null> }[];
};

export type DrillItem = {
  id: string;
  ticketId: string | null;
  ticketNumber: number | null;
  recordId: string | null;
  recordType: string | null;
  number: number | null;
  title: string;
  status: string;
  at: string;
  detail: string;
};

const base = (brandId: string) => `/brands/${brandId}/reports`;

export function reportCatalogue(brandId: string, signal?: AbortSignal): Promise<ReportCatalogue> {
  return api.get(base(brandId), { signal });
}

export async function runReport(
  brandId: string,
  kind: ReportKind,
  query: ReportQuery,
  signal?: AbortSignal,
): Promise<Report> {
  const res = await api.get<{ data: Report }>(`${base(brandId)}/${kind}`, { query, signal });
  return res.data;
}

export async function drillDown(
  brandId: string,
  kind: ReportKind,
  query: ReportQuery & { key: string },
  signal?: AbortSignal,
): Promise<DrillItem[]> {
  const res = await api.get<{ data: DrillItem[] }>(`${base(brandId)}/${kind}/tickets`, { query, signal });
  return res.data;
}

/** The address of the report as CSV, for a download link. */
export function reportCsvUrl(brandId: string, kind: ReportKind, query: ReportQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  return `/api/v1${base(brandId)}/${kind}/export.csv?${params.toString()}`;
}
