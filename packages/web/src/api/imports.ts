import { api } from './client';

/** CSV imports: tracking numbers and orders, each checked (preview) before it is applied. */

export type ImportKind = 'tracking' | 'orders';

/** A row the import flags, with its row number in the file (the header is row 1). */
export type ImportProblem = { row: number; kind: string; message: string; rule?: string };

export type TrackingPreview = {
  rows: number;
  valid: { row: number; po: string; sku: string; carrier: string; trackingNumber: string }[];
  alreadyImported: number[];
  problems: ImportProblem[];
  canceled: number;
  /** More than ten tracking numbers: the SOP asks for a review of canceled POs/SKUs first. */
  reviewRequired: boolean;
};

export type OrderPreview = {
  rows: number;
  orders: {
    number: string;
    externalId: string | null;
    rows: number[];
    items: number;
    purchaseOrders: string[];
  }[];
  alreadyImported: { number: string; externalId: string; rows: number[] }[];
  problems: ImportProblem[];
};

/** An import applied in the background: poll it for the progress bar until it is done or failed. */
export type ImportRun = {
  id: string;
  kind: ImportKind;
  state: 'queued' | 'running' | 'done' | 'failed';
  rows: number;
  processed: number;
  result: Record<string, unknown> | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
};

const base = (brandId: string, kind: ImportKind) =>
  `/brands/${encodeURIComponent(brandId)}/${kind === 'tracking' ? 'tracking-imports' : 'order-imports'}`;

/** Checks a file without writing anything. */
export async function previewTrackingImport(brandId: string, csv: string): Promise<TrackingPreview> {
  return (await api.post<{ data: TrackingPreview }>(`${base(brandId, 'tracking')}/preview`, { csv })).data;
}

export async function previewOrderImport(brandId: string, csv: string): Promise<OrderPreview> {
  return (await api.post<{ data: OrderPreview }>(`${base(brandId, 'orders')}/preview`, { csv })).data;
}

/** Starts applying a file in the background; rows imported before add nothing. */
export async function startImport(brandId: string, kind: ImportKind, csv: string): Promise<ImportRun> {
  return (await api.post<{ data: ImportRun }>(base(brandId, kind), { csv })).data;
}

export async function fetchImportRun(
  brandId: string,
  runId: string,
  signal?: AbortSignal,
): Promise<ImportRun> {
  const path = `/brands/${encodeURIComponent(brandId)}/import-runs/${encodeURIComponent(runId)}`;
  return (await api.get<{ data: ImportRun }>(path, { signal })).data;
}
