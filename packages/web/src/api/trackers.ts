import { api } from './client';

/** Tracker records: the pack's record types, their tables, records, saved views and the supplier portal. */

export type FieldValue = string | number | boolean;

export type TrackerField = {
  name: string;
  type: string;
  label: string;
  required: boolean;
  options: string[] | null;
};

export type TrackerType = {
  type: string;
  title: string;
  description: string | null;
  fields: TrackerField[];
  states: string[];
  roles: { log: string[]; read: string[]; resolve: string[] };
  allowed: ('log' | 'resolve')[];
};

export type RecordSummary = {
  id: string;
  type: string;
  number: number;
  label: string;
  state: string;
  final: boolean;
  fields: Record<string, FieldValue>;
  raisedByTrend: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

export type TrackerRecord = RecordSummary & {
  title: string;
  nextStates: string[];
  links: { kind: string; id: string; label: string }[];
  comments: { id: string; author: string; body: string; createdAt: string }[];
  evidence: {
    id: string;
    album: string;
    filename: string;
    contentType: string;
    size: number;
    uploadedBy: string;
    createdAt: string;
  }[];
  history: { id: number; kind: string; by: string; data: unknown; at: string }[];
  allowed: string[];
};

export type RecordFilters = { state?: string[]; q?: string; from?: string; to?: string; field?: string[] };

export type TrackerView = {
  id: string;
  type: string;
  name: string;
  shared: boolean;
  filters: RecordFilters;
  sort: string;
  /** `delete`: one's own view, or a shared one the caller shared or manages (helpdesk.manage). */
  allowed: 'delete'[];
};

const brandBase = (brandId: string) => `/brands/${encodeURIComponent(brandId)}/trackers`;

/** The query string of a table: repeated `state` and `field` parameters, then the rest. */
export function filtersQuery(filters: RecordFilters, sort: string): string {
  const params = new URLSearchParams();
  for (const s of filters.state ?? []) params.append('state', s);
  for (const f of filters.field ?? []) params.append('field', f);
  if (filters.q) params.set('q', filters.q);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  params.set('sort', sort);
  return params.toString();
}

export async function listTrackerTypes(brandId: string, signal?: AbortSignal): Promise<TrackerType[]> {
  return (await api.get<{ data: TrackerType[] }>(brandBase(brandId), { signal })).data;
}

export async function listRecords(
  brandId: string,
  type: string,
  filters: RecordFilters,
  sort: string,
  signal?: AbortSignal,
): Promise<{ data: RecordSummary[]; total: number; type: TrackerType }> {
  const path = `${brandBase(brandId)}/${encodeURIComponent(type)}/records?${filtersQuery(filters, sort)}`;
  return api.get(path, { signal });
}

/** Where the browser downloads the table as CSV (the session cookie goes with it). */
export function exportUrl(brandId: string, type: string, filters: RecordFilters, sort: string): string {
  return `/api/v1${brandBase(brandId)}/${encodeURIComponent(type)}/export.csv?${filtersQuery(filters, sort)}`;
}

export async function logRecord(
  brandId: string,
  type: string,
  input: { fields: Record<string, FieldValue | null>; ticketId?: string },
): Promise<{ data: TrackerRecord; raised: RecordSummary | null }> {
  return api.post(`${brandBase(brandId)}/${encodeURIComponent(type)}/records`, input);
}

export async function fetchRecord(recordId: string, signal?: AbortSignal): Promise<TrackerRecord> {
  return (
    await api.get<{ data: TrackerRecord }>(`/tracker-records/${encodeURIComponent(recordId)}`, { signal })
  ).data;
}

export async function updateRecord(
  recordId: string,
  input: { fields: Record<string, FieldValue | null>; version: number },
): Promise<TrackerRecord> {
  return (await api.patch<{ data: TrackerRecord }>(`/tracker-records/${encodeURIComponent(recordId)}`, input))
    .data;
}

export async function moveRecord(
  recordId: string,
  input: { state: string; note?: string; version: number },
): Promise<TrackerRecord> {
  return (
    await api.post<{ data: TrackerRecord }>(`/tracker-records/${encodeURIComponent(recordId)}/state`, input)
  ).data;
}

export async function commentOnRecord(recordId: string, body: string): Promise<TrackerRecord> {
  return (
    await api.post<{ data: TrackerRecord }>(`/tracker-records/${encodeURIComponent(recordId)}/comments`, {
      body,
    })
  ).data;
}

export async function addEvidence(
  recordId: string,
  album: string,
  files: { filename: string; contentType: string; contentBase64: string }[],
): Promise<TrackerRecord> {
  const path = `/tracker-records/${encodeURIComponent(recordId)}/evidence`;
  return (await api.post<{ data: TrackerRecord }>(path, { album, files })).data;
}

export function evidenceUrl(evidenceId: string): string {
  return `/api/v1/tracker-evidence/${encodeURIComponent(evidenceId)}`;
}

export async function ticketRecords(
  ticketId: string,
  signal?: AbortSignal,
): Promise<{ data: (RecordSummary & { title: string })[]; types: TrackerType[] }> {
  return api.get(`/tickets/${encodeURIComponent(ticketId)}/records`, { signal });
}

export async function listViews(brandId: string, type: string, signal?: AbortSignal): Promise<TrackerView[]> {
  return (
    await api.get<{ data: TrackerView[] }>(`${brandBase(brandId)}/${encodeURIComponent(type)}/views`, {
      signal,
    })
  ).data;
}

export async function saveView(
  brandId: string,
  type: string,
  input: { name: string; shared: boolean; filters: RecordFilters; sort: string },
): Promise<TrackerView> {
  return (
    await api.post<{ data: TrackerView }>(`${brandBase(brandId)}/${encodeURIComponent(type)}/views`, input)
  ).data;
}

export async function deleteView(viewId: string): Promise<void> {
  await api.delete(`/tracker-views/${encodeURIComponent(viewId)}`);
}

export type SupplierPurchaseOrder = {
  id: string;
  number: string;
  orderNumber: string;
  vendor: string;
  status: string;
  createdAt: string;
  items: { sku: string; qty: number; shippedQty: number; outOfStock: boolean }[];
};

export type SupplierConversation = {
  id: string;
  subject: string;
  status: string;
  updatedAt: string;
  messages: {
    id: string;
    from: 'brand' | 'supplier';
    name: string | null;
    body: string;
    createdAt: string;
  }[];
};

export async function supplierPurchaseOrders(
  brandId: string,
  signal?: AbortSignal,
): Promise<SupplierPurchaseOrder[]> {
  const path = `/brands/${encodeURIComponent(brandId)}/supplier/purchase-orders`;
  return (await api.get<{ data: SupplierPurchaseOrder[] }>(path, { signal })).data;
}

export async function supplierConversations(
  brandId: string,
  signal?: AbortSignal,
): Promise<SupplierConversation[]> {
  const path = `/brands/${encodeURIComponent(brandId)}/supplier/side-conversations`;
  return (await api.get<{ data: SupplierConversation[] }>(path, { signal })).data;
}

export async function answerConversation(
  brandId: string,
  id: string,
  body: string,
): Promise<SupplierConversation> {
  const path = `/brands/${encodeURIComponent(brandId)}/supplier/side-conversations/${encodeURIComponent(id)}/messages`;
  return (await api.post<{ data: SupplierConversation }>(path, { body })).data;
}

/** Adds a shipment with its tracking number to a PO (a supplier: only their company's POs). */
export async function addShipment(
  poId: string,
  input: { carrier?: string; trackingNumber: string; items: { sku: string; qty: number }[] },
): Promise<{ shipmentId: string; autoShipped: boolean }> {
  const path = `/purchase-orders/${encodeURIComponent(poId)}/shipments`;
  return (await api.post<{ data: { shipmentId: string; autoShipped: boolean } }>(path, input)).data;
}

export type LinkKind = 'ticket' | 'order' | 'po' | 'record';

/** Links a record to a ticket, order, PO or record named by its number. */
export async function linkRecordTo(recordId: string, kind: LinkKind, number: string): Promise<TrackerRecord> {
  const path = `/tracker-records/${encodeURIComponent(recordId)}/links`;
  return (await api.post<{ data: TrackerRecord }>(path, { kind, number })).data;
}
