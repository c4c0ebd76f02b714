import { isFinalState, nextStates, recordLabel, type TrackerType } from '@casebook/core';
import { stringify } from 'csv-stringify/sync';
import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import {
  orders,
  purchaseOrders,
  tickets,
  trackerComments,
  trackerEvents,
  trackerEvidence,
  trackerLinks,
  trackerRecords,
} from '../db/schema';
import { errors } from '../errors';
import { permissionsFor, type TrackerAccess } from './access';
import type { RecordRow } from './commands';

/** Filters of a tracker table; the same shape is stored in saved views. */
export type RecordFilters = {
  state?: string[] | undefined;
  /** Text anywhere in the field values. */
  q?: string | undefined;
  /** `YYYY-MM-DD` (inclusive) or an ISO date-time, on the record's time. */
  from?: string | undefined;
  to?: string | undefined;
  /** `name:value`: choice, boolean, number and date fields match exactly, others contain the value. */
  field?: string[] | undefined;
};

export const SORTS = ['created', 'updated', 'number', 'state'] as const;

/** The WHERE clause of a tracker table: brand, type, the caller's company, and the filters. */
export function recordConditions(
  access: TrackerAccess,
  type: string,
  def: TrackerType,
  filters: RecordFilters,
): SQL {
  const parts: (SQL | undefined)[] = [
    eq(trackerRecords.brandId, access.brand.id),
    eq(trackerRecords.type, type),
    access.company ? eq(trackerRecords.vendorId, access.company) : undefined,
  ];
  if (filters.state?.length) parts.push(inArray(trackerRecords.state, filters.state));
  if (filters.q) {
    // Values only: a search for "sku" should not match every record that has a sku field.
    parts.push(
      sql`exists (select 1 from jsonb_each_text(${trackerRecords.fields}) as f where f.value ilike ${`%${escapeLike(filters.q)}%`})`,
    );
  }
  if (filters.from) parts.push(gte(trackerRecords.createdAt, instant(filters.from, 'from', false)));
  if (filters.to) parts.push(lt(trackerRecords.createdAt, instant(filters.to, 'to', true)));
  for (const f of filters.field ?? []) {
    const i = f.indexOf(':');
    const name = i > 0 ? f.slice(0, i) : '';
    const value = f.slice(i + 1);
    const field = def.fields[name];
    if (!field)
      throw errors.validation([
        { field: 'field', in: 'query', problem: `"${name}" is not a field of ${def.title}` },
      ]);
    const exact = ['choice', 'boolean', 'number', 'money', 'date'].includes(field.type);
    parts.push(
      exact
        ? sql`${trackerRecords.fields}->>${name} = ${value}`
        : sql`${trackerRecords.fields}->>${name} ilike ${`%${escapeLike(value)}%`}`,
    );
  }
  return and(...parts)!;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function instant(value: string, field: string, endOfDay: boolean): Date {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime()))
    throw errors.validation([
      { field, in: 'query', problem: 'must be a date YYYY-MM-DD or an ISO date-time' },
    ]);
  return day && endOfDay ? new Date(d.getTime() + 86_400_000) : d;
}

/** ORDER BY for a sort such as `-created`, `number` or `field.sku`. */
export function recordOrder(def: TrackerType, sort: string): SQL[] {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const dir = descending ? desc : asc;
  if (key.startsWith('field.')) {
    const name = key.slice(6);
    const field = def.fields[name];
    if (!field)
      throw errors.validation([
        { field: 'sort', in: 'query', problem: `"${name}" is not a field of ${def.title}` },
      ]);
    const expr = ['number', 'money'].includes(field.type)
      ? sql`(${trackerRecords.fields}->>${name})::numeric`
      : sql`${trackerRecords.fields}->>${name}`;
    return [
      descending ? sql`${expr} desc nulls last` : sql`${expr} asc nulls last`,
      dir(trackerRecords.number),
    ];
  }
  const column = {
    created: trackerRecords.createdAt,
    updated: trackerRecords.updatedAt,
    number: trackerRecords.number,
    state: trackerRecords.state,
  }[key as (typeof SORTS)[number]];
  if (!column)
    throw errors.validation([
      {
        field: 'sort',
        in: 'query',
        problem: `must be one of ${SORTS.join(', ')} or field.<name>, with - for descending`,
      },
    ]);
  return [dir(column), dir(trackerRecords.number)];
}

export async function listRecords(
  db: Queryable,
  access: TrackerAccess,
  type: string,
  def: TrackerType,
  filters: RecordFilters,
  sort: string,
  page: { limit: number; offset: number },
) {
  const where = recordConditions(access, type, def, filters);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(trackerRecords)
      .where(where)
      .orderBy(...recordOrder(def, sort))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(trackerRecords).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** Allowed actions on a record for the caller, so the UI shows only what the API accepts. */
export function recordActions(access: TrackerAccess, record: RecordRow): string[] {
  const p = permissionsFor(access, record.type);
  const out = ['comment', 'add_evidence'];
  if (p.log || p.resolve) out.push('update');
  if (p.resolve) out.push('move');
  if (!access.company) out.push('link');
  return out;
}

/** A row of a tracker table. */
export function presentSummary(access: TrackerAccess, record: RecordRow) {
  const def = access.pack.manifest.trackers[record.type]!;
  return {
    id: record.id,
    type: record.type,
    number: record.number,
    label: recordLabel(def, record.number),
    state: record.state,
    final: isFinalState(def, record.state),
    fields: record.fields,
    raisedByTrend: record.trendKey !== null,
    createdBy: record.createdByLabel,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    version: record.version,
  };
}

/** A record with its links, comments, evidence and history. */
export async function presentRecord(db: Queryable, access: TrackerAccess, record: RecordRow) {
  const def = access.pack.manifest.trackers[record.type]!;
  const [links, comments, evidence, history] = await Promise.all([
    db.select().from(trackerLinks).where(eq(trackerLinks.recordId, record.id)),
    db
      .select()
      .from(trackerComments)
      .where(eq(trackerComments.recordId, record.id))
      .orderBy(asc(trackerComments.createdAt)),
    db
      .select({
        id: trackerEvidence.id,
        album: trackerEvidence.album,
        filename: trackerEvidence.filename,
        contentType: trackerEvidence.contentType,
        size: trackerEvidence.size,
        uploadedBy: trackerEvidence.uploadedByLabel,
        createdAt: trackerEvidence.createdAt,
      })
      .from(trackerEvidence)
      .where(eq(trackerEvidence.recordId, record.id))
      .orderBy(asc(trackerEvidence.createdAt)),
    db
      .select()
      .from(trackerEvents)
      .where(eq(trackerEvents.recordId, record.id))
      .orderBy(asc(trackerEvents.id)),
  ]);
  return {
    ...presentSummary(access, record),
    title: def.title,
    nextStates: nextStates(def, record.state),
    links: await presentLinks(db, access, record, links),
    comments: comments.map((c) => ({
      id: c.id,
      author: c.authorLabel,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
    })),
    evidence: evidence.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
    history: history.map((e) => ({
      id: e.id,
      kind: e.kind,
      by: e.actorLabel,
      data: e.data,
      at: e.at.toISOString(),
    })),
    allowed: recordActions(access, record),
  };
}

/**
 * The record's links with labels. A supplier's staff see only links to their own orders and POs
 * and to records they may see; tickets stay internal.
 */
async function presentLinks(
  db: Queryable,
  access: TrackerAccess,
  record: RecordRow,
  links: (typeof trackerLinks.$inferSelect)[],
) {
  const ids = (kind: string) => links.filter((l) => l.kind === kind).map((l) => l.targetId);
  const [ticketRows, orderRows, poRows, recordRows] = await Promise.all([
    ids('ticket').length && !access.company
      ? db
          .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
          .from(tickets)
          .where(inArray(tickets.id, ids('ticket')))
      : [],
    ids('order').length
      ? db
          .select({ id: orders.id, number: orders.number })
          .from(orders)
          .where(inArray(orders.id, ids('order')))
      : [],
    ids('po').length
      ? db
          .select({ id: purchaseOrders.id, number: purchaseOrders.number, vendorId: purchaseOrders.vendorId })
          .from(purchaseOrders)
          .where(inArray(purchaseOrders.id, ids('po')))
      : [],
    ids('record').length
      ? db
          .select()
          .from(trackerRecords)
          .where(inArray(trackerRecords.id, ids('record')))
      : [],
  ]);
  const out: { kind: string; id: string; label: string }[] = [];
  for (const t of ticketRows) out.push({ kind: 'ticket', id: t.id, label: `#${t.number} ${t.subject}` });
  for (const o of orderRows) out.push({ kind: 'order', id: o.id, label: o.number });
  for (const p of poRows)
    if (!access.company || p.vendorId === access.company) out.push({ kind: 'po', id: p.id, label: p.number });
  for (const r of recordRows) {
    const def = access.pack.manifest.trackers[r.type];
    if (!def || !permissionsFor(access, r.type).see || (access.company && r.vendorId !== access.company))
      continue;
    out.push({ kind: 'record', id: r.id, label: recordLabel(def, r.number) });
  }
  // Records that link to this one (a raised incident, for the records it was raised from).
  const back = await db
    .select({ record: trackerRecords })
    .from(trackerLinks)
    .innerJoin(trackerRecords, eq(trackerRecords.id, trackerLinks.recordId))
    .where(and(eq(trackerLinks.kind, 'record'), eq(trackerLinks.targetId, record.id)));
  for (const { record: r } of back) {
    const def = access.pack.manifest.trackers[r.type];
    if (!def || !permissionsFor(access, r.type).see || (access.company && r.vendorId !== access.company))
      continue;
    out.push({ kind: 'record', id: r.id, label: recordLabel(def, r.number) });
  }
  return out;
}

/**
 * The table as CSV: number, state, time, who logged it and every field of the type. Cells that a
 * spreadsheet would read as a formula (=, +, -, @, tab, CR first) are prefixed with a quote.
 */
export function recordsCsv(def: TrackerType, rows: RecordRow[]): string {
  const names = Object.keys(def.fields);
  const header = [
    'Number',
    'State',
    'Logged at',
    'Logged by',
    ...names.map((n) => def.fields[n]!.label ?? n),
  ];
  const body = rows.map((r) => [
    r.number,
    r.state,
    r.createdAt.toISOString(),
    r.createdByLabel,
    ...names.map((n) => {
      const v = r.fields[n];
      return v === undefined ? '' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
    }),
  ]);
  return stringify([header, ...body], { escape_formulas: true, record_delimiter: 'windows' });
}
