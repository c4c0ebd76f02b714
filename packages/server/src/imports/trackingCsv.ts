import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { poItems, purchaseOrders, shipments } from '../db/schema';

/** One shipment line of a vendor's tracking file: which PO and SKU left, with which carrier and tracking number. */
export type TrackingRow = { row: number; po: string; sku: string; carrier: string; trackingNumber: string };

export type RowProblem = {
  row: number;
  kind:
    | 'malformed'
    | 'unknown_po'
    | 'unknown_sku'
    | 'canceled'
    | 'duplicate_tracking'
    | 'tracking_in_use'
    | 'nothing_to_ship'
    | 'duplicate_line';
  message: string;
  /** The pack rule that refuses the row, when a guardrail does (tracking on a canceled PO). */
  rule?: string;
};

export type TrackingPreview = {
  rows: number;
  /** Rows ready to apply, grouped later into one shipment per PO and tracking number. */
  valid: (TrackingRow & { poId: string })[];
  /** Rows already imported (same PO, SKU and tracking number): applying again adds nothing. */
  alreadyImported: number[];
  problems: RowProblem[];
  /** Rows that name a canceled PO or SKU. */
  canceled: number;
  /** Distinct tracking numbers in the file (the marketplace SOP asks for a review above ten). */
  trackingNumbers: number;
};

const COLUMNS: Record<string, keyof Omit<TrackingRow, 'row'>> = {
  po: 'po',
  'po number': 'po',
  purchase_order: 'po',
  sku: 'sku',
  carrier: 'carrier',
  tracking: 'trackingNumber',
  'tracking number': 'trackingNumber',
  tracking_number: 'trackingNumber',
};

/** Reads the file: a header row naming PO, SKU, carrier and tracking number (in any order), then one line per row. */
export function parseTrackingCsv(text: string): { rows: TrackingRow[]; problems: RowProblem[] } {
  let records: string[][];
  try {
    records = parse(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    }) as string[][];
  } catch (error) {
    return {
      rows: [],
      problems: [
        { row: 1, kind: 'malformed', message: `The file is not valid CSV: ${(error as Error).message}` },
      ],
    };
  }
  const [header, ...lines] = records;
  const columns = (header ?? []).map((h) => COLUMNS[h.toLowerCase().replace(/\s+/g, ' ')]);
  const missing = (['po', 'sku', 'carrier', 'trackingNumber'] as const).filter((c) => !columns.includes(c));
  if (missing.length) {
    return {
      rows: [],
      problems: [
        {
          row: 1,
          kind: 'malformed',
          message: `The header must name the columns PO, SKU, carrier and tracking number; missing: ${missing.join(', ')}.`,
        },
      ],
    };
  }
  const rows: TrackingRow[] = [];
  const problems: RowProblem[] = [];
  lines.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length !== columns.length) {
      problems.push({
        row,
        kind: 'malformed',
        message: `Row ${row} has ${cells.length} cells; the header has ${columns.length}.`,
      });
      return;
    }
    const value = Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ''])) as Record<string, string>;
    const empty = (['po', 'sku', 'trackingNumber'] as const).filter((c) => !value[c]);
    if (empty.length) {
      problems.push({ row, kind: 'malformed', message: `Row ${row} has no ${empty.join(', ')}.` });
      return;
    }
    rows.push({
      row,
      po: value.po!,
      sku: value.sku!,
      carrier: value.carrier ?? '',
      trackingNumber: value.trackingNumber!,
    });
  });
  return { rows, problems };
}

/**
 * Checks every row against the brand's purchase orders before anything is written: unknown POs
 * and SKUs, canceled POs or SKUs, a tracking number used for two POs in the file or already used
 * by another PO, and lines with nothing left to ship. Each problem names its row.
 */
export function previewTrackingImport(
  db: Queryable,
  brandId: string,
  text: string,
): Promise<TrackingPreview> {
  return checkTrackingRows(db, brandId, parseTrackingCsv(text));
}

/** What the checks read: the brand's POs the file names, their lines, and shipments using its tracking numbers. */
export type TrackingState = {
  pos: (typeof purchaseOrders.$inferSelect)[];
  lines: (typeof poItems.$inferSelect)[];
  existing: { trackingNumber: string; poId: string }[];
};

/**
 * Reads what the checks need in three queries, whatever the file's size. `lock` takes the POs
 * FOR UPDATE, so two imports of overlapping files run one after the other.
 */
export async function loadTrackingState(
  db: Queryable,
  brandId: string,
  rows: TrackingRow[],
  options: { lock?: boolean } = {},
): Promise<TrackingState> {
  const numbers = [...new Set(rows.map((r) => r.po))];
  const trackingNumbers = [...new Set(rows.map((r) => r.trackingNumber))];
  if (numbers.length === 0) return { pos: [], lines: [], existing: [] };
  const query = db
    .select()
    .from(purchaseOrders)
    .where(and(eq(purchaseOrders.brandId, brandId), anyOf(purchaseOrders.number, numbers, 'text')));
  const pos = options.lock ? await query.for('update') : await query;
  const lines = pos.length
    ? await db
        .select()
        .from(poItems)
        .where(
          anyOf(
            poItems.poId,
            pos.map((p) => p.id),
          ),
        )
    : [];
  const existing = await db
    .select({ trackingNumber: shipments.trackingNumber, poId: shipments.poId })
    .from(shipments)
    .where(and(eq(shipments.brandId, brandId), anyOf(shipments.trackingNumber, trackingNumbers, 'text')));
  return { pos, lines, existing };
}

/** The checks of `previewTrackingImport`, on a file already parsed. */
export async function checkTrackingRows(
  db: Queryable,
  brandId: string,
  parsed: { rows: TrackingRow[]; problems: RowProblem[] },
): Promise<TrackingPreview> {
  return checkRows(parsed, await loadTrackingState(db, brandId, parsed.rows));
}

/** The row checks themselves, on the state read before: no queries. */
export function checkRows(
  parsed: { rows: TrackingRow[]; problems: RowProblem[] },
  { pos, lines, existing }: TrackingState,
): TrackingPreview {
  const problems = [...parsed.problems];
  const poByNumber = new Map(pos.map((p) => [p.number, p]));
  const lineOf = new Map(lines.map((l) => [`${l.poId}\u0000${l.sku}`, l]));
  const existingPo = new Map(existing.map((s) => [s.trackingNumber, s.poId]));
  const firstPoOfTracking = new Map<string, string>();
  /** The first row shipping each PO line: a file without quantities ships all that is left there. */
  const lineTakenBy = new Map<string, { row: number; trackingNumber: string }>();
  const valid: TrackingPreview['valid'] = [];
  const alreadyImported: number[] = [];
  let canceled = 0;

  for (const r of parsed.rows) {
    const po = poByNumber.get(r.po);
    if (!po) {
      problems.push({ row: r.row, kind: 'unknown_po', message: `Row ${r.row}: there is no PO ${r.po}.` });
      continue;
    }
    const line = lineOf.get(`${po.id}\u0000${r.sku}`);
    if (!line) {
      problems.push({
        row: r.row,
        kind: 'unknown_sku',
        message: `Row ${r.row}: ${r.sku} is not on PO ${r.po}.`,
      });
      continue;
    }
    if (po.status === 'Canceled' || line.canceled) {
      canceled++;
      problems.push({
        row: r.row,
        kind: 'canceled',
        message: `Row ${r.row}: ${po.status === 'Canceled' ? `PO ${r.po} is canceled` : `${r.sku} is canceled on PO ${r.po}`}; do not add tracking to it.`,
        // A canceled PO may not move on (the pack's transitions end there), so tracking would never ship it.
        ...(po.status === 'Canceled' ? { rule: 'po.transitions' } : {}),
      });
      continue;
    }
    const otherPo = firstPoOfTracking.get(r.trackingNumber);
    if (otherPo && otherPo !== r.po) {
      problems.push({
        row: r.row,
        kind: 'duplicate_tracking',
        message: `Row ${r.row}: tracking number ${r.trackingNumber} is also given for PO ${otherPo} in this file.`,
      });
      continue;
    }
    firstPoOfTracking.set(r.trackingNumber, r.po);
    const usedBy = existingPo.get(r.trackingNumber);
    if (usedBy && usedBy !== po.id) {
      problems.push({
        row: r.row,
        kind: 'tracking_in_use',
        message: `Row ${r.row}: tracking number ${r.trackingNumber} is already on another PO.`,
      });
      continue;
    }
    if (usedBy === po.id) {
      alreadyImported.push(r.row);
      continue;
    }
    if (line.shippedQty >= line.qty) {
      problems.push({
        row: r.row,
        kind: 'nothing_to_ship',
        message: `Row ${r.row}: every ${r.sku} of PO ${r.po} has already shipped.`,
      });
      continue;
    }
    const taken = lineTakenBy.get(line.id);
    if (taken) {
      if (taken.trackingNumber !== r.trackingNumber) {
        problems.push({
          row: r.row,
          kind: 'duplicate_line',
          message: `Row ${r.row}: ${r.sku} of PO ${r.po} already ships with tracking number ${taken.trackingNumber} in row ${taken.row}.`,
        });
      }
      continue;
    }
    lineTakenBy.set(line.id, { row: r.row, trackingNumber: r.trackingNumber });
    valid.push({ ...r, poId: po.id });
  }
  problems.sort((a, b) => a.row - b.row);
  return {
    rows: parsed.rows.length + parsed.problems.filter((p) => p.row > 1).length,
    valid,
    alreadyImported,
    problems,
    canceled,
    trackingNumbers: new Set(parsed.rows.map((r) => r.trackingNumber)).size,
  };
}
