import { addBusinessMinutes, type BusinessHours, isFinalState, type PackDefinition } from '@casebook/core';
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { rowsOf } from '../tickets/commands';

/**
 * The reports: set-based queries over a brand's tickets, work-log day sums, approvals, tracker
 * records and advice outcomes, grouped by period, category, channel, queue, agent, brand or the
 * report's own dimension. Times are counted in the brand's time zone (its pack calendar); a period
 * `from`–`to` names whole local days, both included. Handle time reads `work_log_daily` only (a
 * year is thousands of rows, not millions); its drill-down reads `work_log_entries` through the
 * (brand, started_at) index with a bounded window.
 */

export const REPORT_KINDS = [
  'volume',
  'handle_time',
  'backlog',
  'sla',
  'approvals',
  'trackers',
  'adherence',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const GROUP_BYS = [
  'period',
  'category',
  'channel',
  'queue',
  'agent',
  'brand',
  'type',
  'state',
  'rule',
] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const FILTERS = ['queueId', 'agentId', 'category', 'channel', 'type'] as const;
export type FilterName = (typeof FILTERS)[number];

/** The key of a group whose value is empty (a ticket without a category, a request of no one). */
export const NONE_KEY = '__none__';

type Unit = 'count' | 'seconds' | 'hours' | 'days' | 'percent';
export type ReportColumn = { name: string; title: string; unit: Unit };

type KindSpec = {
  title: string;
  description: string;
  groupBys: readonly GroupBy[];
  filters: readonly FilterName[];
  /** The columns the chart draws (the table shows them all). */
  chart: readonly string[];
};

const TICKET_GROUPS = ['period', 'category', 'channel', 'queue', 'agent', 'brand'] as const;
const TICKET_FILTERS = ['queueId', 'agentId', 'category', 'channel'] as const;

export const REPORT_SPECS: Record<ReportKind, KindSpec> = {
  volume: {
    title: 'Ticket volume',
    description: 'Tickets created and solved in the period.',
    groupBys: TICKET_GROUPS,
    filters: TICKET_FILTERS,
    chart: ['created', 'solved'],
  },
  handle_time: {
    title: 'Handle time',
    description:
      'Time worked from the work log (per local day), and per entry and per ticket solved in the same group.',
    groupBys: TICKET_GROUPS,
    filters: TICKET_FILTERS,
    chart: ['hours'],
  },
  backlog: {
    title: 'Backlog',
    description:
      'Tickets still open: at the end of each period, or at the end of the range by age (open = created and not yet solved or closed).',
    groupBys: TICKET_GROUPS,
    filters: TICKET_FILTERS,
    chart: ['open'],
  },
  sla: {
    title: 'SLA attainment',
    description:
      'Tickets created in the period under an SLA policy: first response and resolution targets met or breached (breaches as the SLA clock recorded them).',
    groupBys: TICKET_GROUPS,
    filters: TICKET_FILTERS,
    chart: ['firstResponsePct', 'resolutionPct'],
  },
  approvals: {
    title: 'Approval turnaround',
    description: 'Approval requests filed in the period, and the hours from filing to decision.',
    groupBys: ['type', 'period', 'agent', 'brand'],
    filters: ['type', 'agentId'],
    chart: ['medianHours', 'p90Hours'],
  },
  trackers: {
    title: 'Tracker counts and ages',
    description: 'Tracker records logged in the period, and those open now by age.',
    groupBys: ['type', 'state', 'period', 'brand'],
    filters: ['type'],
    chart: ['open'],
  },
  adherence: {
    title: 'SOP adherence',
    description: 'Advice the agents followed or overrode, by rule or by agent.',
    groupBys: ['rule', 'agent', 'period', 'brand'],
    filters: ['agentId'],
    chart: ['followed', 'overridden'],
  },
};

const COLUMNS: Record<ReportKind, (q: ReportQuery) => ReportColumn[]> = {
  volume: () => [
    { name: 'created', title: 'Created', unit: 'count' },
    { name: 'solved', title: 'Solved', unit: 'count' },
  ],
  handle_time: () => [
    { name: 'seconds', title: 'Time worked (s)', unit: 'seconds' },
    { name: 'hours', title: 'Time worked (h)', unit: 'hours' },
    { name: 'entries', title: 'Entries', unit: 'count' },
    { name: 'secondsPerEntry', title: 'Avg per entry (s)', unit: 'seconds' },
    { name: 'solved', title: 'Tickets solved', unit: 'count' },
    { name: 'secondsPerSolved', title: 'Avg per solved ticket (s)', unit: 'seconds' },
  ],
  backlog: (q) =>
    q.groupBy === 'period'
      ? [{ name: 'open', title: 'Open at period end', unit: 'count' }]
      : [
          { name: 'open', title: 'Open', unit: 'count' },
          { name: 'ageUnder1d', title: 'Under 1 day', unit: 'count' },
          { name: 'age1to3d', title: '1–3 days', unit: 'count' },
          { name: 'age3to7d', title: '3–7 days', unit: 'count' },
          { name: 'ageOver7d', title: 'Over 7 days', unit: 'count' },
        ],
  sla: () => [
    { name: 'firstResponseMet', title: 'First response met', unit: 'count' },
    { name: 'firstResponseBreached', title: 'First response breached', unit: 'count' },
    { name: 'firstResponsePct', title: 'First response %', unit: 'percent' },
    { name: 'resolutionMet', title: 'Resolution met', unit: 'count' },
    { name: 'resolutionBreached', title: 'Resolution breached', unit: 'count' },
    { name: 'resolutionPct', title: 'Resolution %', unit: 'percent' },
  ],
  approvals: () => [
    { name: 'filed', title: 'Filed', unit: 'count' },
    { name: 'decided', title: 'Decided', unit: 'count' },
    { name: 'open', title: 'Undecided', unit: 'count' },
    { name: 'medianHours', title: 'Median hours to decision', unit: 'hours' },
    { name: 'p90Hours', title: 'P90 hours to decision', unit: 'hours' },
  ],
  trackers: () => [
    { name: 'logged', title: 'Logged in period', unit: 'count' },
    { name: 'open', title: 'Open now', unit: 'count' },
    { name: 'ageUnder7d', title: 'Open under 7 days', unit: 'count' },
    { name: 'age7to30d', title: 'Open 7–30 days', unit: 'count' },
    { name: 'ageOver30d', title: 'Open over 30 days', unit: 'count' },
    { name: 'oldestDays', title: 'Oldest open (days)', unit: 'days' },
  ],
  adherence: () => [
    { name: 'followed', title: 'Followed', unit: 'count' },
    { name: 'overridden', title: 'Overridden', unit: 'count' },
    { name: 'followedPct', title: 'Followed %', unit: 'percent' },
  ],
};

export type ReportQuery = {
  kind: ReportKind;
  /** First local day, `YYYY-MM-DD`. */
  from: string;
  /** Last local day, included. */
  to: string;
  granularity: Granularity;
  groupBy: GroupBy;
  queueId?: string;
  agentId?: string;
  category?: string;
  channel?: string;
  type?: string;
};

export type ReportBrand = { id: string; name: string; timezone: string; pack: PackDefinition };

/**
 * What a report reads: the brand it is asked in, the brands it may compare (grouped by brand: the
 * caller's brands where they hold reports.read, this one first) and the request's time.
 */
export type ReportEnv = { brand: ReportBrand; compare?: ReportBrand[]; now: Date };

export type ReportRow = { key: string; label: string; values: Record<string, number | null> };
export type Report = {
  kind: ReportKind;
  title: string;
  query: ReportQuery;
  groupTitle: string;
  columns: ReportColumn[];
  chart: string[];
  rows: ReportRow[];
};

export type DrillItem = {
  /** The item's own id: the ticket's, the record's, the request's or the advice outcome's. */
  id: string;
  /** The ticket behind the row (null for a tracker record or a request without one). */
  ticketId: string | null;
  ticketNumber: number | null;
  /** A tracker record behind a trackers row. */
  recordId: string | null;
  recordType: string | null;
  number: number | null;
  title: string;
  status: string;
  at: Date;
  detail: string;
};

const GROUP_TITLES: Record<GroupBy, string> = {
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

/** A problem with the query, named by its field (`groupBy`, `to`, ...). */
export type QueryProblem = { field: string; problem: string };

const MAX_BUCKETS = 400;

/** Checks the combination of fields zod cannot see alone: the group and filters of the kind, the range. */
export function checkQuery(q: ReportQuery): QueryProblem[] {
  const spec = REPORT_SPECS[q.kind];
  const problems: QueryProblem[] = [];
  if (!spec.groupBys.includes(q.groupBy))
    problems.push({
      field: 'groupBy',
      problem: `the ${q.kind} report groups by ${spec.groupBys.join(', ')}`,
    });
  for (const f of FILTERS) {
    if (q[f] !== undefined && !spec.filters.includes(f))
      problems.push({ field: f, problem: `does not apply to the ${q.kind} report` });
  }
  if (q.to < q.from) problems.push({ field: 'to', problem: 'must not be before from' });
  else {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1;
    if (days > 731) problems.push({ field: 'to', problem: 'the period is at most 731 days' });
    const perBucket = { day: 1, week: 7, month: 28 }[q.granularity];
    if (q.groupBy === 'period' && days / perBucket > MAX_BUCKETS)
      problems.push({
        field: 'granularity',
        problem: `more than ${MAX_BUCKETS} periods: choose a longer one`,
      });
  }
  return problems;
}

const lit = (value: string) => sql`${value}`;
const addDays = (day: string, n: number) =>
  new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

/** The start of a local day of the brand as an instant. */
const dayStart = (day: string, tz: string) => sql`((${day}::date)::timestamp at time zone ${tz})`;

function brandsOf(env: ReportEnv, q: ReportQuery): ReportBrand[] {
  return q.groupBy === 'brand' ? (env.compare ?? [env.brand]) : [env.brand];
}

/** The range a row narrows the query to: a period key is one bucket of the range. */
function narrowed(q: ReportQuery, key: string | undefined): { from: string; to: string } {
  if (q.groupBy !== 'period' || key === undefined) return { from: q.from, to: q.to };
  const start = key;
  const d = new Date(`${start}T00:00:00Z`);
  if (q.granularity === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (q.granularity === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  const end = addDays(d.toISOString().slice(0, 10), -1);
  return { from: [start, q.from].sort()[1]!, to: [end, q.to].sort()[0]! };
}

/**
 * `column` within the period, in each compared brand's own time zone (one condition per brand,
 * so the (brand_id, column) indexes serve it).
 */
function inRange(brands: ReportBrand[], brandCol: SQL, column: SQL, from: string, to: string): SQL {
  const parts = brands.map(
    (b) =>
      sql`(${brandCol} = ${b.id} and ${column} >= ${dayStart(from, b.timezone)} and ${column} < ${dayStart(addDays(to, 1), b.timezone)})`,
  );
  return sql`(${sql.join(parts, sql` or `)})`;
}

function inBrands(brands: ReportBrand[], brandCol: SQL): SQL {
  return sql`${brandCol} in (${sql.join(
    brands.map((b) => lit(b.id)),
    sql`, `,
  )})`;
}

/** The range's period starts as a PostgreSQL date array literal. */
const periodArray = (q: ReportQuery) => sql`${`{${periodKeys(q).join(',')}}`}::date[]`;

/**
 * The period of an instant: its bucket number (1 = the first period of the range) among the local
 * midnights the periods start at, found by binary search (`width_bucket`) rather than by converting
 * every row to local time. `byKey` turns numbers back into period starts.
 */
const periodKey = (column: SQL, q: ReportQuery, tz: string) =>
  sql`width_bucket(${column}, (select array_agg((p::timestamp at time zone ${tz}) order by p) from unnest(${periodArray(q)}) p))`;

/** The group key of a ticket row (alias `t`), with the time column periods bucket by. */
function ticketKey(q: ReportQuery, env: ReportEnv, at: SQL): SQL {
  switch (q.groupBy) {
    case 'period':
      return periodKey(at, q, env.brand.timezone);
    case 'category':
      return sql`t.category`;
    case 'channel':
      return sql`t.channel`;
    case 'queue':
      return sql`t.queue_id::text`;
    case 'agent':
      return sql`t.assignee_id::text`;
    default:
      return sql`t.brand_id::text`;
  }
}

function ticketFilters(q: ReportQuery): SQL {
  const parts: SQL[] = [sql`t.merged_into_id is null`];
  if (q.queueId) parts.push(sql`t.queue_id = ${q.queueId}`);
  if (q.agentId) parts.push(sql`t.assignee_id = ${q.agentId}`);
  if (q.category) parts.push(sql`t.category = ${q.category}`);
  if (q.channel) parts.push(sql`t.channel = ${q.channel}`);
  return sql.join(parts, sql` and `);
}

/** A condition matching a group key (`NONE_KEY` for the empty group). */
function keyIs(expr: SQL, key: string): SQL {
  return key === NONE_KEY ? sql`${expr} is null` : sql`${expr} = ${key}`;
}

type Raw = Record<string, unknown> & { k: string | null };
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const pct = (met: number, breached: number) =>
  met + breached === 0 ? null : Math.round((1000 * met) / (met + breached)) / 10;

/** When a ticket stopped needing work: solved, or closed without being solved (its last update). */
const ENDED_AT = sql`coalesce(t.solved_at, case when not t.active then t.updated_at end)`;

async function volumeRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  const scope = sql`t.brand_id`;
  const created = inRange(brands, scope, sql`t.created_at`, q.from, q.to);
  const solved = inRange(brands, scope, sql`t.solved_at`, q.from, q.to);
  // One pass over the tickets: by period a ticket may count in two periods (created, solved).
  const result =
    q.groupBy === 'period'
      ? await db.execute(sql`
          select case when ${created} then ${ticketKey(q, env, sql`t.created_at`)} end as ck,
            case when ${solved} then ${ticketKey(q, env, sql`t.solved_at`)} end as sk, count(*)::int as n
          from tickets t
          where (${created} or ${solved}) and ${ticketFilters(q)}
          group by 1, 2`)
      : await db.execute(sql`
          select ${ticketKey(q, env, sql`t.created_at`)} as k,
            count(*) filter (where ${created})::int as created, count(*) filter (where ${solved})::int as solved
          from tickets t
          where (${created} or ${solved}) and ${ticketFilters(q)}
          group by 1`);
  if (q.groupBy !== 'period') return byKey(rowsOf<Raw>(result), q);
  // Grouped by (period created, period solved) pairs: a handful of rows, summed per period here.
  const sums = new Map<string, { k: string; created: number; solved: number }>();
  for (const r of rowsOf<{ ck: string | null; sk: string | null; n: number }>(result)) {
    for (const [k, field] of [
      [r.ck, 'created'],
      [r.sk, 'solved'],
    ] as const) {
      if (k === null) continue;
      const row = sums.get(String(k)) ?? { k: String(k), created: 0, solved: 0 };
      row[field] += num(r.n);
      sums.set(String(k), row);
    }
  }
  return byKey([...sums.values()], q);
}

function byKey(rows: Raw[], q: ReportQuery): Map<string, Raw> {
  const keys = q.groupBy === 'period' ? periodKeys(q) : null;
  return new Map(
    rows.map((r) => {
      if (keys && r.k !== null) r.k = keys[Number(r.k) - 1] ?? String(r.k);
      return [r.k ?? NONE_KEY, r];
    }),
  );
}

async function handleTimeRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  const key = {
    period: sql`width_bucket(d.day, ${periodArray(q)})`,
    category: sql`d.category`,
    channel: sql`d.channel`,
    queue: sql`d.queue_id::text`,
    agent: sql`d.user_id::text`,
    brand: sql`d.brand_id::text`,
  }[q.groupBy as (typeof TICKET_GROUPS)[number]];
  const filters: SQL[] = [];
  if (q.queueId) filters.push(sql`d.queue_id = ${q.queueId}`);
  if (q.agentId) filters.push(sql`d.user_id = ${q.agentId}`);
  if (q.category) filters.push(sql`d.category = ${q.category}`);
  if (q.channel) filters.push(sql`d.channel = ${q.channel}`);
  const [worked, volume] = await Promise.all([
    db.execute(sql`
      select ${key} as k, sum(d.seconds)::bigint as seconds, sum(d.entries)::bigint as entries
      from work_log_daily d
      where ${inBrands(brands, sql`d.brand_id`)} and d.day >= ${q.from}::date and d.day <= ${q.to}::date
        ${filters.length ? sql`and ${sql.join(filters, sql` and `)}` : sql``}
      group by 1`),
    volumeRows(db, env, q),
  ]);
  const out = byKey(rowsOf<Raw>(worked), q);
  for (const [k, v] of volume) {
    const row = out.get(k) ?? { k: v.k, seconds: 0, entries: 0 };
    row.solved = v.solved;
    out.set(k, row);
  }
  for (const row of out.values()) {
    const seconds = num(row.seconds);
    const entries = num(row.entries);
    const solved = num(row.solved);
    row.seconds = seconds;
    row.hours = Math.round((seconds / 3600) * 100) / 100;
    row.entries = entries;
    row.secondsPerEntry = entries ? Math.round(seconds / entries) : null;
    row.solved = solved;
    row.secondsPerSolved = solved ? Math.round(seconds / solved) : null;
  }
  return out;
}

/** The moment "open" is measured at: the end of the range, or now when that is still to come. */
function asOf(env: ReportEnv, brand: ReportBrand, to: string): SQL {
  return sql`least(${dayStart(addDays(to, 1), brand.timezone)}, ${env.now.toISOString()}::timestamptz)`;
}

async function backlogRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  if (q.groupBy === 'period') {
    // Each ticket adds one when created and takes one away when it ended; events before the range
    // count in its first period, so the running sum is the number open at each period's end.
    const bucket = (at: SQL) => sql`greatest(1, ${periodKey(at, q, env.brand.timezone)})`;
    const end = asOf(env, env.brand, q.to);
    // Grouped by (period created, period ended) pairs, then summed per period here.
    const result = await db.execute(sql`
      select ${bucket(sql`t.created_at`)} as ck, case when ${ENDED_AT} < ${end} then ${bucket(ENDED_AT)} end as ek,
        count(*)::int as n
      from tickets t
      where t.brand_id = ${env.brand.id} and t.created_at < ${end} and ${ticketFilters(q)}
        and (${ENDED_AT} is null or ${ENDED_AT} >= ${dayStart(periodKeys(q)[0]!, env.brand.timezone)})
      group by 1, 2`);
    const keys = periodKeys(q);
    const deltas = new Map<string, number>();
    for (const r of rowsOf<{ ck: number; ek: number | null; n: number }>(result)) {
      const c = keys[Number(r.ck) - 1]!;
      deltas.set(c, (deltas.get(c) ?? 0) + num(r.n));
      if (r.ek === null) continue;
      const e = keys[Number(r.ek) - 1]!;
      deltas.set(e, (deltas.get(e) ?? 0) - num(r.n));
    }
    const out = new Map<string, Raw>();
    let open = 0;
    for (const k of periodKeys(q)) {
      open += deltas.get(k) ?? 0;
      if (k > env.now.toISOString().slice(0, 10)) break;
      out.set(k, { k, open });
    }
    return out;
  }
  const parts = brands.map((b) => {
    const at = asOf(env, b, q.to);
    return sql`(t.brand_id = ${b.id} and t.created_at < ${at} and (${ENDED_AT} is null or ${ENDED_AT} >= ${at}))`;
  });
  const age = sql`(${asOf(env, env.brand, q.to)} - t.created_at)`;
  const result = await db.execute(sql`
    select ${ticketKey(q, env, sql`t.created_at`)} as k, count(*)::int as open,
      count(*) filter (where ${age} < interval '1 day')::int as "ageUnder1d",
      count(*) filter (where ${age} >= interval '1 day' and ${age} < interval '3 days')::int as "age1to3d",
      count(*) filter (where ${age} >= interval '3 days' and ${age} < interval '7 days')::int as "age3to7d",
      count(*) filter (where ${age} >= interval '7 days')::int as "ageOver7d"
    from tickets t
    where (${sql.join(parts, sql` or `)}) and ${ticketFilters(q)}
    group by 1`);
  return byKey(rowsOf<Raw>(result), q);
}

/** The period keys of the range, in order (the local date each bucket starts on). */
export function periodKeys(q: Pick<ReportQuery, 'from' | 'to' | 'granularity'>): string[] {
  const d = new Date(`${q.from}T00:00:00Z`);
  if (q.granularity === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (q.granularity === 'month') d.setUTCDate(1);
  const keys: string[] = [];
  while (d.toISOString().slice(0, 10) <= q.to && keys.length <= MAX_BUCKETS) {
    keys.push(d.toISOString().slice(0, 10));
    if (q.granularity === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (q.granularity === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return keys;
}

/**
 * Per ticket created in the period under an SLA policy, how its targets fared. The SLA clock
 * records an `sla_breached` ticket event each time the earliest open target passes:
 *
 * - first response: breached when such an event came before the first reply (before it, the first
 *   response is the earliest target); met when the reply came without one; else still running.
 * - resolution: breached when a breach after the first reply was the resolution target (with no
 *   next-response target in the policy every later breach is; otherwise the recorded due time is
 *   compared with the resolution target in the policy's business hours), or when the ticket is
 *   still open past its resolution due time; met when solved without; else still running.
 */
function slaTicketsSql(
  env: ReportEnv,
  q: ReportQuery,
  range: { from: string; to: string },
  options: { extra?: SQL; detail: boolean },
): SQL {
  const { extra, detail } = options;
  const brands = brandsOf(env, q);
  const firstFrom = brands.map((b) => dayStart(range.from, b.timezone));
  const firstBreached = sql`br.first_at is not null and br.first_at < coalesce(t.first_responded_at, 'infinity')`;
  const lateBreach = sql`t.first_responded_at is not null and br.last_at >= t.first_responded_at`;
  const overdue = sql`t.active and t.resolution_due_at <= ${env.now.toISOString()}::timestamptz`;
  return sql`
    with br as (
      select e.ticket_id, min(e.at) as first_at, max(e.at) as last_at
      from ticket_events e
      where ${inBrands(brands, sql`e.brand_id`)} and e.kind = 'sla_breached' and e.at >= least(${sql.join(firstFrom, sql`, `)})
      group by e.ticket_id
    )
    select ${detail ? sql`t.id, t.number, t.subject, t.status, t.created_at, t.solved_at is not null as solved,` : sql``}
      ${ticketKey(q, env, sql`t.created_at`)} as k,
      case when p.first_response_minutes is null then null
        when ${firstBreached} then 'breached'
        when t.first_responded_at is not null then 'met' else 'running' end as first_state,
      case when p.resolution_minutes is null then null
        when ${lateBreach} and p.next_response_minutes is null then 'breached'
        when ${overdue} then 'breached'
        when ${lateBreach} then 'check'
        when t.solved_at is not null then 'met' else 'running' end as resolution_state
    from tickets t
    join sla_policies p on p.id = t.sla_policy_id
    left join br on br.ticket_id = t.id
    where ${inRange(brands, sql`t.brand_id`, sql`t.created_at`, range.from, range.to)} and ${ticketFilters(q)}
      ${extra ? sql`and ${extra}` : sql``}`;
}

type SlaState = 'met' | 'breached' | 'running' | 'check' | null;
type SlaTicket = {
  id: string;
  number: number;
  subject: string;
  status: string;
  created_at: Date | string;
  solved: boolean;
  k: string | null;
  first_state: SlaState;
  resolution_state: SlaState;
};

/**
 * Settles the resolution of tickets whose breach after the first reply may have been a
 * next-response target (`check`): a breach due at or after the resolution target in the policy's
 * business hours was the resolution's.
 */
async function settleResolution(db: Queryable, tickets: SlaTicket[]): Promise<void> {
  const pending = tickets.filter((t) => t.resolution_state === 'check');
  for (let i = 0; i < pending.length; i += 1000) {
    const batch = pending.slice(i, i + 1000);
    const result = await db.execute(sql`
      select t.id, t.created_at, p.resolution_minutes, p.business_hours, e.data->>'dueAt' as due_at
      from tickets t join sla_policies p on p.id = t.sla_policy_id
      join ticket_events e on e.ticket_id = t.id and e.kind = 'sla_breached' and e.at >= t.first_responded_at
      where t.id in (${sql.join(
        batch.map((t) => lit(t.id)),
        sql`, `,
      )})`);
    const breached = new Set<string>();
    for (const r of rowsOf<{
      id: string;
      created_at: Date | string;
      resolution_minutes: number;
      business_hours: BusinessHours | null;
      due_at: string | null;
    }>(result)) {
      if (!r.due_at) continue;
      const due = addBusinessMinutes(new Date(r.created_at), r.resolution_minutes, r.business_hours);
      if (Date.parse(r.due_at) >= due.getTime() - 1000) breached.add(r.id);
    }
    for (const t of batch)
      t.resolution_state = breached.has(t.id) ? 'breached' : t.solved ? 'met' : 'running';
  }
}

async function slaRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const tickets = slaTicketsSql(env, q, q, { detail: false });
  const counted = await db.execute(sql`
      select s.k,
        count(*) filter (where s.first_state = 'met')::int as "firstResponseMet",
        count(*) filter (where s.first_state = 'breached')::int as "firstResponseBreached",
        count(*) filter (where s.resolution_state = 'met')::int as "resolutionMet",
        count(*) filter (where s.resolution_state = 'breached')::int as "resolutionBreached",
        count(*) filter (where s.resolution_state = 'check')::int as checks
      from (${tickets}) s group by s.k`);
  const out = byKey(rowsOf<Raw>(counted), q);
  const settle = [...out.values()].some((r) => num(r.checks) > 0)
    ? rowsOf<SlaTicket>(
        await db.execute(
          sql`select s.* from (${slaTicketsSql(env, q, q, { detail: true })}) s where s.resolution_state = 'check'`,
        ),
      )
    : [];
  await settleResolution(db, settle);
  const keys = q.groupBy === 'period' ? periodKeys(q) : null;
  for (const t of settle) {
    const key = t.k === null ? NONE_KEY : keys ? keys[Number(t.k) - 1]! : t.k;
    const row = out.get(key);
    if (!row) continue;
    if (t.resolution_state === 'met') row.resolutionMet = num(row.resolutionMet) + 1;
    if (t.resolution_state === 'breached') row.resolutionBreached = num(row.resolutionBreached) + 1;
  }
  for (const row of out.values()) {
    row.firstResponsePct = pct(num(row.firstResponseMet), num(row.firstResponseBreached));
    row.resolutionPct = pct(num(row.resolutionMet), num(row.resolutionBreached));
  }
  return out;
}

function approvalKey(q: ReportQuery, env: ReportEnv): SQL {
  switch (q.groupBy) {
    case 'period':
      return periodKey(sql`a.created_at`, q, env.brand.timezone);
    case 'agent':
      return sql`a.requested_by::text`;
    case 'brand':
      return sql`a.brand_id::text`;
    default:
      return sql`a.type`;
  }
}

function approvalFilters(q: ReportQuery): SQL {
  const parts: SQL[] = [sql`true`];
  if (q.type) parts.push(sql`a.type = ${q.type}`);
  if (q.agentId) parts.push(sql`a.requested_by = ${q.agentId}`);
  return sql.join(parts, sql` and `);
}

async function approvalRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  const hours = sql`extract(epoch from (a.decided_at - a.created_at)) / 3600`;
  const result = await db.execute(sql`
    select ${approvalKey(q, env)} as k, count(*)::int as filed, count(a.decided_at)::int as decided,
      count(*) filter (where a.decided_at is null)::int as open,
      round((percentile_cont(0.5) within group (order by ${hours}))::numeric, 1) as "medianHours",
      round((percentile_cont(0.9) within group (order by ${hours}))::numeric, 1) as "p90Hours"
    from approval_requests a
    where ${inRange(brands, sql`a.brand_id`, sql`a.created_at`, q.from, q.to)} and ${approvalFilters(q)}
    group by 1`);
  const out = byKey(rowsOf<Raw>(result), q);
  for (const row of out.values()) {
    row.medianHours = numOrNull(row.medianHours);
    row.p90Hours = numOrNull(row.p90Hours);
  }
  return out;
}

/** `type<US>state` of every final tracker state in the compared brands' packs. */
function finalStates(brands: ReportBrand[]): string[] {
  const out = new Set<string>();
  for (const b of brands)
    for (const [type, def] of Object.entries(b.pack.trackers ?? {}))
      for (const state of def.states) if (isFinalState(def, state)) out.add(`${type}\u001f${state}`);
  return [...out];
}

function trackerOpen(brands: ReportBrand[]): SQL {
  const finals = finalStates(brands);
  return finals.length
    ? sql`(r.type || chr(31) || r.state) not in (${sql.join(
        finals.map((f) => lit(f)),
        sql`, `,
      )})`
    : sql`true`;
}

function trackerKey(q: ReportQuery, env: ReportEnv): SQL {
  switch (q.groupBy) {
    case 'period':
      return periodKey(sql`r.created_at`, q, env.brand.timezone);
    case 'state':
      return sql`r.state`;
    case 'brand':
      return sql`r.brand_id::text`;
    default:
      return sql`r.type`;
  }
}

async function trackerRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  const open = trackerOpen(brands);
  const now = sql`${env.now.toISOString()}::timestamptz`;
  const age = sql`(${now} - r.created_at)`;
  const logged = inRange(brands, sql`r.brand_id`, sql`r.created_at`, q.from, q.to);
  const result = await db.execute(sql`
    select ${trackerKey(q, env)} as k,
      count(*) filter (where ${logged})::int as logged,
      count(*) filter (where ${open})::int as open,
      count(*) filter (where ${open} and ${age} < interval '7 days')::int as "ageUnder7d",
      count(*) filter (where ${open} and ${age} >= interval '7 days' and ${age} < interval '30 days')::int as "age7to30d",
      count(*) filter (where ${open} and ${age} >= interval '30 days')::int as "ageOver30d",
      floor(extract(epoch from max(${age}) filter (where ${open})) / 86400)::int as "oldestDays"
    from tracker_records r
    where ${inBrands(brands, sql`r.brand_id`)} and (${logged} or ${open})
      ${q.type ? sql`and r.type = ${q.type}` : sql``}
      ${q.groupBy === 'period' ? sql`and ${logged}` : sql``}
    group by 1`);
  const out = byKey(rowsOf<Raw>(result), q);
  for (const row of out.values()) row.oldestDays = numOrNull(row.oldestDays);
  return out;
}

function adherenceKey(q: ReportQuery, env: ReportEnv): SQL {
  switch (q.groupBy) {
    case 'period':
      return periodKey(sql`o.at`, q, env.brand.timezone);
    case 'agent':
      return sql`o.user_id::text`;
    case 'brand':
      return sql`o.brand_id::text`;
    default:
      return sql`o.rule`;
  }
}

async function adherenceRows(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Map<string, Raw>> {
  const brands = brandsOf(env, q);
  const result = await db.execute(sql`
    select ${adherenceKey(q, env)} as k,
      count(*) filter (where o.outcome = 'followed')::int as followed,
      count(*) filter (where o.outcome = 'overridden')::int as overridden
    from advice_outcomes o
    where ${inRange(brands, sql`o.brand_id`, sql`o.at`, q.from, q.to)}
      ${q.agentId ? sql`and o.user_id = ${q.agentId}` : sql``}
    group by 1`);
  const out = byKey(rowsOf<Raw>(result), q);
  for (const row of out.values()) row.followedPct = pct(num(row.followed), num(row.overridden));
  return out;
}

const ROWS: Record<ReportKind, (db: Queryable, env: ReportEnv, q: ReportQuery) => Promise<Map<string, Raw>>> =
  {
    volume: volumeRows,
    handle_time: handleTimeRows,
    backlog: backlogRows,
    sla: slaRows,
    approvals: approvalRows,
    trackers: trackerRows,
    adherence: adherenceRows,
  };

/** Readable labels for group keys that are ids (agents, queues, brands) or pack names. */
async function labels(
  db: Queryable,
  env: ReportEnv,
  q: ReportQuery,
  keys: string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const ids = keys.filter((k) => k !== NONE_KEY);
  if (q.groupBy === 'brand') for (const b of brandsOf(env, q)) out.set(b.id, b.name);
  if ((q.groupBy === 'agent' || q.groupBy === 'queue') && ids.length) {
    const table = q.groupBy === 'agent' ? sql`users` : sql`queues`;
    const name = q.groupBy === 'agent' ? sql`name` : sql`title`;
    const result = await db.execute(
      sql`select id::text as id, ${name} as name from ${table} where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    for (const r of rowsOf<{ id: string; name: string }>(result)) out.set(r.id, r.name);
  }
  const pack = env.brand.pack;
  if (q.groupBy === 'type' && q.kind === 'approvals')
    for (const k of ids) out.set(k, pack.approvals?.[k]?.title ?? k);
  if (q.groupBy === 'type' && q.kind === 'trackers')
    for (const k of ids) out.set(k, pack.trackers?.[k]?.title ?? k);
  return out;
}

const NONE_LABELS: Partial<Record<GroupBy, string>> = {
  category: '(no category)',
  channel: '(no channel)',
  queue: '(no queue)',
  agent: '(unassigned)',
  rule: '(no rule)',
};

export async function runReport(db: Queryable, env: ReportEnv, q: ReportQuery): Promise<Report> {
  // Hash aggregates over a year of tickets and their SLA breaches outgrow the default work_mem
  // (4 MB) and spill to disk; the report's own read-only transaction gives them room.
  const raw = await db.transaction(async (tx) => {
    await tx.execute(sql`set local work_mem = '64MB'`);
    return ROWS[q.kind](tx, env, q);
  });
  const columns = COLUMNS[q.kind](q);
  const keys =
    q.groupBy === 'period'
      ? periodKeys(q).filter((k) => raw.has(k) || q.kind !== 'backlog')
      : [...raw.keys()];
  const names = await labels(db, env, q, keys);
  const rows: ReportRow[] = keys.map((k) => {
    const r = raw.get(k);
    const values: Record<string, number | null> = {};
    for (const c of columns) {
      const v = r?.[c.name];
      values[c.name] =
        v === undefined ? (c.unit === 'count' || c.unit === 'seconds' ? 0 : null) : numOrNull(v);
    }
    if (!r && q.kind === 'handle_time') {
      values.secondsPerEntry = null;
      values.secondsPerSolved = null;
    }
    const label = k === NONE_KEY ? (NONE_LABELS[q.groupBy] ?? '(none)') : (names.get(k) ?? k);
    return { key: k, label, values };
  });
  if (q.groupBy !== 'period') {
    const first = columns[0]!.name;
    rows.sort((a, b) => num(b.values[first]) - num(a.values[first]) || a.label.localeCompare(b.label));
  }
  return {
    kind: q.kind,
    title: REPORT_SPECS[q.kind].title,
    query: q,
    groupTitle: GROUP_TITLES[q.groupBy],
    columns,
    chart: [...REPORT_SPECS[q.kind].chart],
    rows,
  };
}

export type DrillQuery = ReportQuery & { key?: string; limit: number };

const ticketItem = (r: {
  id: string;
  number: number | string;
  subject: string;
  status: string;
  at: Date | string;
  detail?: string | null;
  item_id?: string | number;
}): DrillItem => ({
  id: String(r.item_id ?? r.id),
  ticketId: r.id,
  ticketNumber: Number(r.number),
  recordId: null,
  recordType: null,
  number: Number(r.number),
  title: r.subject,
  status: r.status,
  at: new Date(r.at),
  detail: r.detail ?? '',
});

/** The condition a row's key puts on tickets (alias `t`); periods narrow the range instead. */
function ticketKeyCondition(q: DrillQuery): SQL | undefined {
  if (q.key === undefined || q.groupBy === 'period') return undefined;
  const expr = {
    category: sql`t.category`,
    channel: sql`t.channel`,
    queue: sql`t.queue_id::text`,
    agent: sql`t.assignee_id::text`,
    brand: sql`t.brand_id::text`,
  }[q.groupBy as 'category'];
  return expr ? keyIs(expr, q.key) : undefined;
}

/**
 * The tickets (or records) behind one row of a report — `key` as the row gives it, none for the
 * whole report — newest first, at most `limit`.
 */
export async function drillDown(db: Queryable, env: ReportEnv, q: DrillQuery): Promise<DrillItem[]> {
  const range = narrowed(q, q.key);
  const brands = brandsOf(env, q).filter(
    (b) => q.groupBy !== 'brand' || q.key === undefined || b.id === q.key,
  );
  const qb = { ...q, ...range };
  const keyCond = ticketKeyCondition(q);
  const where = (extra: SQL) =>
    sql`${extra} and ${ticketFilters(q)} ${keyCond ? sql`and ${keyCond}` : sql``}`;
  switch (q.kind) {
    case 'volume': {
      const result = await db.execute(sql`
        select t.id, t.number, t.subject, t.status, t.created_at as at,
          case when ${inRange(brands, sql`t.brand_id`, sql`t.solved_at`, range.from, range.to)} then 'solved' else 'created' end as detail
        from tickets t
        where ${where(sql`(${inRange(brands, sql`t.brand_id`, sql`t.created_at`, range.from, range.to)} or ${inRange(brands, sql`t.brand_id`, sql`t.solved_at`, range.from, range.to)})`)}
        order by t.created_at desc limit ${q.limit}`);
      return rowsOf<Parameters<typeof ticketItem>[0]>(result).map(ticketItem);
    }
    case 'handle_time': {
      const conds: SQL[] = [inRange(brands, sql`w.brand_id`, sql`w.started_at`, range.from, range.to)];
      if (q.queueId) conds.push(sql`w.queue_id = ${q.queueId}`);
      if (q.agentId) conds.push(sql`w.user_id = ${q.agentId}`);
      if (q.category) conds.push(sql`w.category = ${q.category}`);
      if (q.channel) conds.push(sql`w.channel = ${q.channel}`);
      if (q.key !== undefined && q.groupBy !== 'period') {
        const expr = {
          category: sql`w.category`,
          channel: sql`w.channel`,
          queue: sql`w.queue_id::text`,
          agent: sql`w.user_id::text`,
          brand: sql`w.brand_id::text`,
        }[q.groupBy as 'category'];
        if (expr) conds.push(keyIs(expr, q.key));
      }
      // The newest entries first, through the (brand_id, started_at) index, in a bounded window.
      const result = await db.execute(sql`
        with w as (
          select w.ticket_id, w.seconds, w.started_at from work_log_entries w
          where ${sql.join(conds, sql` and `)}
          order by w.started_at desc limit ${q.limit * 50}
        )
        select t.id, t.number, t.subject, t.status, max(w.started_at) as at,
          sum(w.seconds)::bigint || ' s in ' || count(*) || ' entries' as detail
        from w join tickets t on t.id = w.ticket_id
        group by t.id order by max(w.started_at) desc limit ${q.limit}`);
      return rowsOf<Parameters<typeof ticketItem>[0]>(result).map(ticketItem);
    }
    case 'backlog': {
      const parts = brands.map((b) => {
        const at = asOf(env, b, range.to);
        return sql`(t.brand_id = ${b.id} and t.created_at < ${at} and (${ENDED_AT} is null or ${ENDED_AT} >= ${at}))`;
      });
      const result = await db.execute(sql`
        select t.id, t.number, t.subject, t.status, t.created_at as at, '' as detail from tickets t
        where ${where(sql`(${sql.join(parts, sql` or `)})`)}
        order by t.created_at asc limit ${q.limit}`);
      return rowsOf<Parameters<typeof ticketItem>[0]>(result).map(ticketItem);
    }
    case 'sla': {
      const tickets = rowsOf<SlaTicket>(
        await db.execute(sql`
          select s.* from (${slaTicketsSql(env, qb, range, { extra: keyCond, detail: true })}) s
          order by (s.first_state = 'breached' or s.resolution_state in ('breached', 'check')) desc, s.created_at desc
          limit ${q.limit}`),
      );
      await settleResolution(db, tickets);
      return tickets.map((t) => {
        const parts = [
          t.first_state ? `first response ${t.first_state}` : null,
          t.resolution_state ? `resolution ${t.resolution_state}` : null,
        ].filter(Boolean);
        return ticketItem({ ...t, at: t.created_at, detail: parts.join(', ') });
      });
    }
    case 'approvals': {
      const conds: SQL[] = [
        inRange(brands, sql`a.brand_id`, sql`a.created_at`, range.from, range.to),
        approvalFilters(q),
      ];
      if (q.key !== undefined && q.groupBy !== 'period') {
        const expr = { agent: sql`a.requested_by::text`, brand: sql`a.brand_id::text`, type: sql`a.type` }[
          q.groupBy as 'type'
        ];
        if (expr) conds.push(keyIs(expr, q.key));
      }
      const result = await db.execute(sql`
        select a.id as request_id, a.type, a.state, a.created_at, a.decided_at, t.id, t.number, t.subject
        from approval_requests a left join tickets t on t.id = a.ticket_id
        where ${sql.join(conds, sql` and `)}
        order by a.created_at desc limit ${q.limit}`);
      return rowsOf<{
        request_id: string;
        type: string;
        state: string;
        created_at: Date | string;
        decided_at: Date | string | null;
        id: string | null;
        number: number | string | null;
        subject: string | null;
      }>(result).map((r) => ({
        id: r.request_id,
        ticketId: r.id,
        ticketNumber: r.number === null ? null : Number(r.number),
        recordId: null,
        recordType: null,
        number: r.number === null ? null : Number(r.number),
        title: r.subject ?? env.brand.pack.approvals?.[r.type]?.title ?? r.type,
        status: r.state,
        at: new Date(r.created_at),
        detail: `${env.brand.pack.approvals?.[r.type]?.title ?? r.type}${
          r.decided_at
            ? `, decided after ${Math.round(((new Date(r.decided_at).getTime() - new Date(r.created_at).getTime()) / 3_600_000) * 10) / 10} h`
            : ', undecided'
        }`,
      }));
    }
    case 'trackers': {
      const open = trackerOpen(brands);
      const logged = inRange(brands, sql`r.brand_id`, sql`r.created_at`, range.from, range.to);
      const conds: SQL[] = [
        inBrands(brands, sql`r.brand_id`),
        q.groupBy === 'period' ? logged : sql`(${logged} or ${open})`,
      ];
      if (q.type) conds.push(sql`r.type = ${q.type}`);
      if (q.key !== undefined && q.groupBy !== 'period') {
        const expr = { state: sql`r.state`, brand: sql`r.brand_id::text`, type: sql`r.type` }[
          q.groupBy as 'type'
        ];
        if (expr) conds.push(keyIs(expr, q.key));
      }
      const result = await db.execute(sql`
        select r.id, r.type, r.number, r.state, r.created_at, ${open} as open from tracker_records r
        where ${sql.join(conds, sql` and `)}
        order by r.created_at desc limit ${q.limit}`);
      return rowsOf<{
        id: string;
        type: string;
        number: number | string;
        state: string;
        created_at: Date | string;
        open: boolean;
      }>(result).map((r) => ({
        id: r.id,
        ticketId: null,
        ticketNumber: null,
        recordId: r.id,
        recordType: r.type,
        number: Number(r.number),
        title: env.brand.pack.trackers?.[r.type]?.title ?? r.type,
        status: r.state,
        at: new Date(r.created_at),
        detail: r.open ? 'open' : 'closed',
      }));
    }
    case 'adherence': {
      const conds: SQL[] = [inRange(brands, sql`o.brand_id`, sql`o.at`, range.from, range.to)];
      if (q.agentId) conds.push(sql`o.user_id = ${q.agentId}`);
      if (q.key !== undefined && q.groupBy !== 'period') {
        const expr = { agent: sql`o.user_id::text`, brand: sql`o.brand_id::text`, rule: sql`o.rule` }[
          q.groupBy as 'rule'
        ];
        if (expr) conds.push(keyIs(expr, q.key));
      }
      const result = await db.execute(sql`
        select o.id as item_id, t.id, t.number, t.subject, t.status, o.at, o.outcome || coalesce(' (' || o.rule || ')', '') as detail
        from advice_outcomes o join tickets t on t.id = o.ticket_id
        where ${sql.join(conds, sql` and `)}
        order by o.at desc limit ${q.limit}`);
      return rowsOf<Parameters<typeof ticketItem>[0]>(result).map(ticketItem);
    }
  }
}
