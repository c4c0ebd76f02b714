import type { Pack } from '@casebook/core';
import { parse } from 'csv-parse/sync';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { importOrder, type OrderInput, poStatuses } from '../commands/importOrder';
import type { RequestContext } from '../context';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { orders, purchaseOrders } from '../db/schema';
import { isAppError } from '../errors';

/**
 * Order CSV import: one row per order item, rows of one order grouped by external id (else order
 * number). Each grouped order goes through the same checks and the same `importOrder` as
 * `POST /brands/:id/orders`, so a file creates exactly what the API would; it is idempotent on
 * the external id, and every problem names its row.
 */

export type OrderRowProblem = {
  row: number;
  kind: 'malformed' | 'invalid' | 'conflict' | 'inconsistent';
  message: string;
};

/** One order of the file, with the rows it came from. */
export type OrderGroup = { key: string; rows: number[]; input: OrderInput };

export type OrderPreview = {
  rows: number;
  orders: {
    number: string;
    externalId: string | null;
    rows: number[];
    items: number;
    purchaseOrders: string[];
  }[];
  /** Orders already imported (same external id): applying again adds nothing. */
  alreadyImported: { number: string; externalId: string; rows: number[] }[];
  problems: OrderRowProblem[];
};

type Field =
  | 'externalId'
  | 'number'
  | 'channel'
  | 'placedAt'
  | 'customerEmail'
  | 'customerName'
  | 'line1'
  | 'line2'
  | 'city'
  | 'region'
  | 'postalCode'
  | 'country'
  | 'shippingCost'
  | 'currency'
  | 'sku'
  | 'name'
  | 'qty'
  | 'unitPrice'
  | 'category'
  | 'vendor'
  | 'poNumber'
  | 'poStatus';

const HEADERS: Record<string, Field> = {
  'external id': 'externalId',
  'order number': 'number',
  order: 'number',
  channel: 'channel',
  'placed at': 'placedAt',
  'customer email': 'customerEmail',
  email: 'customerEmail',
  'customer name': 'customerName',
  'shipping address': 'line1',
  'shipping address 1': 'line1',
  'address 1': 'line1',
  'shipping address 2': 'line2',
  'address 2': 'line2',
  'shipping city': 'city',
  city: 'city',
  'shipping region': 'region',
  region: 'region',
  state: 'region',
  'shipping postal code': 'postalCode',
  'postal code': 'postalCode',
  zip: 'postalCode',
  'shipping country': 'country',
  country: 'country',
  'shipping cost': 'shippingCost',
  currency: 'currency',
  sku: 'sku',
  'item sku': 'sku',
  name: 'name',
  'item name': 'name',
  qty: 'qty',
  quantity: 'qty',
  'item qty': 'qty',
  'unit price': 'unitPrice',
  'item unit price': 'unitPrice',
  category: 'category',
  'item category': 'category',
  vendor: 'vendor',
  'po number': 'poNumber',
  po: 'poNumber',
  'po status': 'poStatus',
};

const REQUIRED: Field[] = ['number', 'channel', 'placedAt', 'sku', 'name', 'qty', 'unitPrice'];
/** Order-level fields: every row of one order must give the same value (or leave it empty after the first). */
const ORDER_FIELDS: Field[] = [
  'number',
  'channel',
  'placedAt',
  'customerEmail',
  'customerName',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
  'shippingCost',
  'currency',
];

const normalise = (h: string) =>
  h
    .toLowerCase()
    .replace(/[_\-\s]+/g, ' ')
    .trim();

/** The columns a file must have, as people write them. */
export const ORDER_CSV_COLUMNS =
  'external id, order number, channel, placed at, customer email, customer name, shipping address 1, shipping address 2, shipping city, shipping region, shipping postal code, shipping country, shipping cost, currency, sku, name, qty, unit price, category, vendor, po number, po status';

const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const emailSchema = z.email({ error: 'must be an email address' });

/** Reads the file and groups its rows into orders; problems of a row keep its order out of the import. */
export function parseOrderCsv(text: string): {
  groups: OrderGroup[];
  problems: OrderRowProblem[];
  rows: number;
} {
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
      groups: [],
      rows: 0,
      problems: [
        { row: 1, kind: 'malformed', message: `The file is not valid CSV: ${(error as Error).message}` },
      ],
    };
  }
  const [header, ...lines] = records;
  const columns = (header ?? []).map((h) => HEADERS[normalise(h)]);
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length) {
    return {
      groups: [],
      rows: lines.length,
      problems: [
        {
          row: 1,
          kind: 'malformed',
          message: `The header must name at least order number, channel, placed at, sku, name, qty and unit price; missing: ${missing.join(', ')}. Columns: ${ORDER_CSV_COLUMNS}.`,
        },
      ],
    };
  }
  const problems: OrderRowProblem[] = [];
  const bad = new Set<string>();
  const byKey = new Map<string, { rows: number[]; values: Record<Field, string>[] }>();
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
    const v = {} as Record<Field, string>;
    columns.forEach((c, j) => {
      if (c) v[c] = cells[j] ?? '';
    });
    const key = v.externalId ? `x:${v.externalId}` : `n:${v.number ?? ''}`;
    const empty = REQUIRED.filter((c) => !v[c]);
    if (empty.length) {
      problems.push({ row, kind: 'malformed', message: `Row ${row} has no ${empty.join(', ')}.` });
      bad.add(key);
      return;
    }
    const group = byKey.get(key);
    if (group) {
      group.rows.push(row);
      group.values.push(v);
    } else byKey.set(key, { rows: [row], values: [v] });
  });

  const groups: OrderGroup[] = [];
  for (const [key, { rows, values }] of byKey) {
    const first = values[0]!;
    let ok = !bad.has(key);
    if (bad.has(key)) {
      for (const row of rows)
        problems.push({
          row,
          kind: 'inconsistent',
          message: `Row ${row}: another row of order ${first.number} has a problem; the order is left out.`,
        });
      continue;
    }
    const order = { ...first };
    values.slice(1).forEach((v, k) => {
      for (const f of ORDER_FIELDS) {
        if (!v[f]) continue;
        if (!order[f]) order[f] = v[f];
        else if (order[f] !== v[f]) {
          problems.push({
            row: rows[k + 1]!,
            kind: 'inconsistent',
            message: `Row ${rows[k + 1]}: ${f} "${v[f]}" differs from "${order[f]}" in row ${rows[0]} of the same order.`,
          });
          ok = false;
        }
      }
    });
    const fieldProblem = (row: number, field: string, problem: string) => {
      problems.push({ row, kind: 'invalid', message: `Row ${row}: ${field} ${problem}.` });
      ok = false;
    };
    if (!instant.safeParse(order.placedAt).success)
      fieldProblem(rows[0]!, 'placed at', 'must be an ISO 8601 date-time');
    if (order.customerEmail && !emailSchema.safeParse(order.customerEmail).success)
      fieldProblem(rows[0]!, 'customer email', 'must be an email address');
    if (order.currency && !/^[A-Z]{3}$/.test(order.currency))
      fieldProblem(rows[0]!, 'currency', 'must be a three-letter currency code');
    const money = (row: number, field: string, value: string | undefined) => {
      if (!value) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || n > 10_000_000) {
        fieldProblem(row, field, 'must be an amount of at least 0');
        return undefined;
      }
      return n;
    };
    const shippingCost = money(rows[0]!, 'shipping cost', order.shippingCost);
    const address = [order.line1, order.city, order.postalCode, order.country];
    if (address.some(Boolean) && !address.every(Boolean))
      fieldProblem(rows[0]!, 'shipping address', 'needs address 1, city, postal code and country together');

    const items: OrderInput['items'] = [];
    const pos = new Map<string, OrderInput['purchaseOrders'][number]>();
    const skus = new Set<string>();
    values.forEach((v, k) => {
      const row = rows[k]!;
      const qty = Number(v.qty);
      if (!Number.isInteger(qty) || qty < 1) fieldProblem(row, 'qty', 'must be a whole number of at least 1');
      const unitPrice = money(row, 'unit price', v.unitPrice);
      if (skus.has(v.sku)) fieldProblem(row, 'sku', `${v.sku} appears twice in order ${order.number}`);
      skus.add(v.sku);
      items.push({
        sku: v.sku,
        name: v.name,
        qty,
        unitPrice: unitPrice ?? 0,
        ...(v.category ? { category: v.category } : {}),
      });
      if (!v.vendor) {
        if (v.poNumber) fieldProblem(row, 'vendor', 'is required when the row names a PO');
        return;
      }
      const vendorIndex =
        [...new Set(values.filter((x) => x.vendor).map((x) => x.vendor))].indexOf(v.vendor) + 1;
      const number = v.poNumber || `${order.number}-P${vendorIndex}`;
      const po = pos.get(number);
      if (po) {
        if (po.vendor !== v.vendor) fieldProblem(row, 'vendor', `PO ${number} is already for ${po.vendor}`);
        if (v.poStatus && po.status && v.poStatus !== po.status)
          fieldProblem(row, 'po status', `differs for PO ${number}`);
        po.items.push({ sku: v.sku, qty });
      } else {
        pos.set(number, {
          number,
          vendor: v.vendor,
          ...(v.poStatus ? { status: v.poStatus } : {}),
          items: [{ sku: v.sku, qty }],
        });
      }
    });
    if (!ok) continue;
    groups.push({
      key,
      rows,
      input: {
        number: order.number,
        ...(order.externalId ? { externalId: order.externalId } : {}),
        channel: order.channel,
        ...(order.customerEmail || order.customerName
          ? {
              customer: {
                ...(order.customerName ? { name: order.customerName } : {}),
                ...(order.customerEmail ? { email: order.customerEmail } : {}),
              },
            }
          : {}),
        placedAt: order.placedAt,
        ...(order.line1
          ? {
              shippingAddress: {
                line1: order.line1,
                ...(order.line2 ? { line2: order.line2 } : {}),
                city: order.city,
                ...(order.region ? { region: order.region } : {}),
                postalCode: order.postalCode,
                country: order.country,
              },
            }
          : {}),
        ...(shippingCost !== undefined ? { shippingCost } : {}),
        ...(order.currency ? { currency: order.currency } : {}),
        items,
        purchaseOrders: [...pos.values()],
      },
    });
  }
  problems.sort((a, b) => a.row - b.row);
  return { groups, problems, rows: lines.length };
}

/**
 * Checks the grouped orders against the brand before anything is written: orders already imported
 * (same external id) are skipped; an order number or PO number the brand already uses for another
 * order, and a PO status the pack does not know, are problems on their rows.
 */
export async function checkOrderGroups(
  db: Queryable,
  brandId: string,
  pack: Pack,
  parsed: ReturnType<typeof parseOrderCsv>,
): Promise<OrderPreview & { ready: OrderGroup[] }> {
  const problems = [...parsed.problems];
  const externalIds = parsed.groups.flatMap((g) => (g.input.externalId ? [g.input.externalId] : []));
  const numbers = parsed.groups.map((g) => g.input.number);
  const poNumbers = parsed.groups.flatMap((g) => g.input.purchaseOrders.map((p) => p.number));
  const [byExternal, byNumber, byPo] = await Promise.all([
    externalIds.length
      ? db
          .select({ externalId: orders.externalId })
          .from(orders)
          .where(and(eq(orders.brandId, brandId), anyOf(orders.externalId, externalIds, 'text')))
      : [],
    numbers.length
      ? db
          .select({ number: orders.number })
          .from(orders)
          .where(and(eq(orders.brandId, brandId), anyOf(orders.number, numbers, 'text')))
      : [],
    poNumbers.length
      ? db
          .select({ number: purchaseOrders.number })
          .from(purchaseOrders)
          .where(and(eq(purchaseOrders.brandId, brandId), anyOf(purchaseOrders.number, poNumbers, 'text')))
      : [],
  ]);
  const imported = new Set(byExternal.map((o) => o.externalId));
  const usedNumbers = new Set(byNumber.map((o) => o.number));
  const usedPos = new Set(byPo.map((p) => p.number));
  const statuses = poStatuses(pack);
  const seenNumbers = new Map<string, number>();
  const seenPos = new Map<string, number>();
  const ready: OrderGroup[] = [];
  const alreadyImported: OrderPreview['alreadyImported'] = [];
  for (const g of parsed.groups) {
    const first = g.rows[0]!;
    if (g.input.externalId && imported.has(g.input.externalId)) {
      alreadyImported.push({ number: g.input.number, externalId: g.input.externalId, rows: g.rows });
      continue;
    }
    const groupProblems: OrderRowProblem[] = [];
    if (usedNumbers.has(g.input.number))
      groupProblems.push({
        row: first,
        kind: 'conflict',
        message: `Row ${first}: order ${g.input.number} already exists.`,
      });
    const earlier = seenNumbers.get(g.input.number);
    if (earlier !== undefined)
      groupProblems.push({
        row: first,
        kind: 'conflict',
        message: `Row ${first}: order number ${g.input.number} is also used by another order in row ${earlier}.`,
      });
    seenNumbers.set(g.input.number, first);
    for (const po of g.input.purchaseOrders) {
      const row = g.rows[g.input.items.findIndex((i) => i.sku === po.items[0]!.sku)]!;
      if (usedPos.has(po.number))
        groupProblems.push({ row, kind: 'conflict', message: `Row ${row}: PO ${po.number} already exists.` });
      const other = seenPos.get(po.number);
      if (other !== undefined)
        groupProblems.push({
          row,
          kind: 'conflict',
          message: `Row ${row}: PO ${po.number} is also used in row ${other}.`,
        });
      seenPos.set(po.number, row);
      if (po.status !== undefined && !statuses.includes(po.status))
        groupProblems.push({
          row,
          kind: 'invalid',
          message: `Row ${row}: po status "${po.status}" is not a PO status of this brand (${statuses.join(', ')}).`,
        });
    }
    if (groupProblems.length) problems.push(...groupProblems);
    else ready.push(g);
  }
  problems.sort((a, b) => a.row - b.row);
  return {
    rows: parsed.rows,
    orders: ready.map((g) => ({
      number: g.input.number,
      externalId: g.input.externalId ?? null,
      rows: g.rows,
      items: g.input.items.length,
      purchaseOrders: g.input.purchaseOrders.map((p) => p.number),
    })),
    alreadyImported,
    problems,
    ready,
  };
}

export type OrderApplyResult = OrderPreview & { created: number };

/**
 * Creates the ready orders of a file (or a batch of it) through `importOrder`, each in a
 * savepoint: an order refused at the last moment (a number taken meanwhile) becomes a problem on
 * its rows and the others still go in.
 */
export async function applyOrderGroups(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  pack: Pack,
  parsed: ReturnType<typeof parseOrderCsv>,
): Promise<OrderApplyResult> {
  const preview = await checkOrderGroups(tx, brandId, pack, parsed);
  let created = 0;
  const orders: OrderPreview['orders'] = [];
  for (const g of preview.ready) {
    try {
      const result = await tx.transaction((sp) => importOrder(sp, ctx, brandId, pack, g.input));
      if (result.created) {
        created++;
        orders.push(preview.orders.find((o) => o.rows[0] === g.rows[0])!);
      } else if (g.input.externalId) {
        preview.alreadyImported.push({
          number: g.input.number,
          externalId: g.input.externalId,
          rows: g.rows,
        });
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      preview.problems.push({
        row: g.rows[0]!,
        kind: 'conflict',
        message: `Row ${g.rows[0]}: ${error.message}`,
      });
    }
  }
  preview.problems.sort((a, b) => a.row - b.row);
  const { ready: _ready, ...rest } = preview;
  return { ...rest, orders, created };
}
