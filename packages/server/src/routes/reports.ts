import { stringify } from 'csv-stringify/sync';
import { asc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { memberships, queues, users } from '../db/schema';
import { errors } from '../errors';
import { requireBrand } from '../policies';
import { localDay, reportEnv } from '../reports/access';
import {
  checkQuery,
  drillDown,
  FILTERS,
  GRANULARITIES,
  GROUP_BYS,
  REPORT_KINDS,
  REPORT_SPECS,
  type Report,
  type ReportQuery,
  runReport,
} from '../reports/queries';
import { TICKET_CHANNELS } from '../tickets/commands';
import { brandParams, errorResponses, uuidParam } from './schemas';

const day = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date (YYYY-MM-DD)' })
    .refine(
      (v) =>
        !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
      {
        error: 'must be a date (YYYY-MM-DD)',
      },
    )
    .optional()
    .describe(`${field}: a local day of the brand, YYYY-MM-DD`);

const kindParams = brandParams.extend({
  kind: z.enum(REPORT_KINDS, { error: `must be one of ${REPORT_KINDS.join(', ')}` }),
});

const reportQuery = {
  from: day('First day (default: 29 days before to)'),
  to: day('Last day, included (default: today)'),
  granularity: z
    .enum(GRANULARITIES, { error: `must be one of ${GRANULARITIES.join(', ')}` })
    .default('week')
    .describe('Period length when grouping by period'),
  groupBy: z
    .enum(GROUP_BYS, { error: `must be one of ${GROUP_BYS.join(', ')}` })
    .optional()
    .describe('Default: the report’s first grouping'),
  queueId: uuidParam('queueId').optional(),
  agentId: uuidParam('agentId').optional(),
  category: z.string().min(1).max(200).optional(),
  channel: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(200).optional(),
};

const columnSchema = z.object({ name: z.string(), title: z.string(), unit: z.string() });
const reportSchema = z.object({
  kind: z.string(),
  title: z.string(),
  query: z.record(z.string(), z.unknown()),
  groupTitle: z.string(),
  columns: z.array(columnSchema),
  chart: z.array(z.string()),
  rows: z.array(
    z.object({ key: z.string(), label: z.string(), values: z.record(z.string(), z.number().nullable()) }),
  ),
});

const drillItemSchema = z.object({
  id: z.string(),
  ticketId: z.uuid().nullable(),
  ticketNumber: z.number().nullable(),
  recordId: z.uuid().nullable(),
  recordType: z.string().nullable(),
  number: z.number().nullable(),
  title: z.string(),
  status: z.string(),
  at: z.string(),
  detail: z.string(),
});

type RawQuery = { [K in keyof typeof reportQuery]?: unknown } & {
  from?: string;
  to?: string;
  granularity: ReportQuery['granularity'];
  groupBy?: ReportQuery['groupBy'];
};

/** The request's query with its defaults, or a 400 naming the field that does not fit the kind. */
function toReportQuery(kind: ReportQuery['kind'], raw: RawQuery, today: string): ReportQuery {
  const to = raw.to ?? today;
  const from = raw.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
  const q: ReportQuery = {
    kind,
    from,
    to,
    granularity: raw.granularity,
    groupBy: raw.groupBy ?? REPORT_SPECS[kind].groupBys[0]!,
  };
  for (const f of FILTERS) if (raw[f] !== undefined) q[f] = raw[f] as string;
  const problems = checkQuery(q);
  if (problems.length) throw errors.validation(problems.map((p) => ({ ...p, in: 'query' as const })));
  return q;
}

/** A report as CSV: the group column, then every column; formula-like cells are neutralised. */
export function reportCsv(report: Report): string {
  const header = [report.groupTitle, ...report.columns.map((c) => c.title)];
  const body = report.rows.map((r) => [r.label, ...report.columns.map((c) => r.values[c.name] ?? '')]);
  return stringify([header, ...body], { escape_formulas: true, record_delimiter: 'windows' });
}

export const reportRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    const access = (request: FastifyRequest) =>
      requireBrand(
        db,
        contextOf(request).actor,
        (request.params as { brandId: string }).brandId,
        'reports.read',
      );

    app.get(
      '/brands/:brandId/reports',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['reports'],
          summary:
            'The reports there are, what each groups and filters by, and the filter choices: queues, agents, categories, channels, types, brands to compare (capability reports.read)',
          params: brandParams,
          response: {
            200: z.object({
              kinds: z.array(
                z.object({
                  kind: z.string(),
                  title: z.string(),
                  description: z.string(),
                  groupBys: z.array(z.string()),
                  filters: z.array(z.string()),
                }),
              ),
              today: z.string(),
              options: z.object({
                queues: z.array(z.object({ id: z.string(), title: z.string() })),
                agents: z.array(z.object({ id: z.string(), name: z.string() })),
                categories: z.array(z.string()),
                channels: z.array(z.string()),
                approvalTypes: z.array(z.object({ name: z.string(), title: z.string() })),
                trackerTypes: z.array(z.object({ name: z.string(), title: z.string() })),
                brands: z.array(z.object({ id: z.string(), name: z.string() })),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const a = await access(request);
        const env = await reportEnv(db, deps, a, request.now);
        const pack = env.brand.pack;
        const [queueRows, agentRows] = await Promise.all([
          db
            .select({ id: queues.id, title: queues.title })
            .from(queues)
            .where(eq(queues.brandId, a.brand.id))
            .orderBy(asc(queues.title)),
          db
            .select({ id: users.id, name: users.name })
            .from(memberships)
            .innerJoin(users, eq(users.id, memberships.userId))
            .where(eq(memberships.brandId, a.brand.id))
            .orderBy(asc(users.name)),
        ]);
        return {
          kinds: REPORT_KINDS.map((kind) => ({
            kind,
            title: REPORT_SPECS[kind].title,
            description: REPORT_SPECS[kind].description,
            groupBys: [...REPORT_SPECS[kind].groupBys],
            filters: [...REPORT_SPECS[kind].filters],
          })),
          today: localDay(request.now, env.brand.timezone),
          options: {
            queues: queueRows,
            agents: agentRows,
            categories: Object.keys(pack.categories ?? {}),
            channels: [...TICKET_CHANNELS],
            approvalTypes: Object.entries(pack.approvals ?? {}).map(([name, t]) => ({
              name,
              title: t.title,
            })),
            trackerTypes: Object.entries(pack.trackers ?? {}).map(([name, t]) => ({ name, title: t.title })),
            brands: (env.compare ?? [env.brand]).map((b) => ({ id: b.id, name: b.name })),
          },
        };
      },
    );

    app.get(
      '/brands/:brandId/reports/:kind',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['reports'],
          summary:
            'A report: volume, handle_time, backlog, sla, approvals, trackers or adherence, grouped and filtered (capability reports.read). By brand compares the brands where the caller holds reports.read',
          params: kindParams,
          querystring: z.strictObject(reportQuery),
          response: { 200: z.object({ data: reportSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const a = await access(request);
        const env = await reportEnv(db, deps, a, request.now);
        const q = toReportQuery(
          request.params.kind,
          request.query,
          localDay(request.now, env.brand.timezone),
        );
        return { data: await runReport(db, env, q) };
      },
    );

    app.get(
      '/brands/:brandId/reports/:kind/tickets',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['reports'],
          summary:
            'The tickets (tracker records for the trackers report) behind one row of a report: the row’s key, same filters (capability reports.read)',
          params: kindParams,
          querystring: z.strictObject({
            ...reportQuery,
            key: z
              .string()
              .min(1)
              .max(200)
              .optional()
              .describe('The row’s key as the report gives it; none: the whole report'),
            limit: z.coerce.number().int().min(1).max(500, { error: 'must be at most 500' }).default(100),
          }),
          response: { 200: z.object({ data: z.array(drillItemSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const a = await access(request);
        const env = await reportEnv(db, deps, a, request.now);
        const { key, limit, ...rest } = request.query;
        const q = toReportQuery(request.params.kind, rest, localDay(request.now, env.brand.timezone));
        if (q.groupBy === 'period' && key !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(key))
          throw errors.validation([
            { field: 'key', in: 'query', problem: 'must be a period start (YYYY-MM-DD)' },
          ]);
        if (q.groupBy === 'brand' && key !== undefined && !(env.compare ?? []).some((b) => b.id === key))
          throw errors.validation([
            { field: 'key', in: 'query', problem: 'is not a brand you can read reports in' },
          ]);
        const items = await drillDown(db, env, { ...q, key, limit });
        return { data: items.map((i) => ({ ...i, at: i.at.toISOString() })) };
      },
    );

    app.get(
      '/brands/:brandId/reports/:kind/export.csv',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['reports'],
          summary:
            'A report as CSV (same query); cells a spreadsheet would run as formulas are neutralised (capability reports.read)',
          params: kindParams,
          querystring: z.strictObject(reportQuery),
        },
      },
      async (request, reply) => {
        const a = await access(request);
        const env = await reportEnv(db, deps, a, request.now);
        const q = toReportQuery(
          request.params.kind,
          request.query,
          localDay(request.now, env.brand.timezone),
        );
        const report = await runReport(db, env, q);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="${q.kind}-${q.groupBy}-${q.from}-${q.to}.csv"`,
          )
          .send(reportCsv(report));
      },
    );
  };
