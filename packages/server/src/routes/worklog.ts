import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps, RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { tickets } from '../db/schema';
import { errors } from '../errors';
import { authorize, type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import { recordTicketActivity, TICKET_BEAT_GAP_SECONDS } from '../worklog/automatic';
import {
  addManualEntry,
  correctEntry,
  entryForUpdate,
  lockedThrough,
  lockTimesheet,
  removeEntry,
  runningTimer,
  startTimer,
  stopTimer,
  type WorkLogScope,
} from '../worklog/commands';
import { dayOf, type WorkLogEntryRow } from '../worklog/ledger';
import { entriesOf, type TimesheetEntry, teamTimesheet, ticketTime, totalsOf } from '../worklog/timesheet';
import { brandParams, errorResponses, uuidParam } from './schemas';

const entrySchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  source: z.enum(['ticket', 'reply', 'note', 'tracker', 'approval', 'timer', 'manual']),
  category: z.string().nullable(),
  channel: z.string().nullable(),
  queueId: z.uuid().nullable(),
  queueName: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  ticketNumber: z.number().nullable(),
  day: z.string().describe('The day the work counts on, in the brand’s time zone'),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  seconds: z.number(),
  running: z.boolean().describe('A timer that has not been stopped'),
  note: z.string().nullable(),
  locked: z.boolean(),
  allowed: z.array(z.enum(['edit', 'delete'])),
});

const sumSchema = z.object({ seconds: z.number(), entries: z.number() });
const totalsSchema = sumSchema.extend({
  days: z.array(sumSchema.extend({ day: z.string() })),
  categories: z.array(sumSchema.extend({ category: z.string().nullable() })),
  dayCategories: z.array(sumSchema.extend({ day: z.string(), category: z.string().nullable() })),
});

const dateString = (field: string) =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${field} must be a date YYYY-MM-DD` });
const periodQuery = z.strictObject({
  from: dateString('from').optional(),
  to: dateString('to').optional(),
});
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const minutes = z
  .number()
  .int({ error: 'must be a whole number of minutes' })
  .min(1, { error: 'must be at least 1' })
  .max(1440, { error: 'must be at most 1440 (24 hours)' });

const entryParams = z.strictObject({ entryId: uuidParam('entryId') });
const ticketParams = z.strictObject({ ticketId: uuidParam('ticketId') });

const toDate = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export const worklogRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const scopeOf = (access: BrandAccess): WorkLogScope => ({
      brandId: access.brand.id,
      pack: deps.packs.get(access.brand.packId)!,
    });
    const timeZoneOf = (access: BrandAccess) => scopeOf(access).pack.manifest.calendar.timezone;
    const userIdOf = (ctx: RequestContext) => (ctx.actor.kind === 'user' ? ctx.actor.userId : '');

    /** Whether the caller may correct the entry: their own with worklog.log, anyone's with worklog.review. */
    const mayCorrect = (access: BrandAccess, ctx: RequestContext, entry: { userId: string }) =>
      entry.userId === userIdOf(ctx) ? can(access, 'worklog.log') : can(access, 'worklog.review');

    function present(
      access: BrandAccess,
      ctx: RequestContext,
      entry: WorkLogEntryRow | TimesheetEntry,
      lock: string | null,
    ): z.infer<typeof entrySchema> {
      const day = 'day' in entry ? entry.day : dayOf(entry.startedAt, timeZoneOf(access));
      const locked = entry.lockedAt !== null || (lock !== null && day <= lock);
      return {
        id: entry.id,
        userId: entry.userId,
        source: entry.source,
        category: entry.category,
        channel: entry.channel,
        queueId: entry.queueId,
        queueName: 'queueName' in entry ? entry.queueName : null,
        ticketId: entry.ticketId,
        ticketNumber: 'ticketNumber' in entry ? entry.ticketNumber : null,
        day,
        startedAt: entry.startedAt.toISOString(),
        endedAt: entry.endedAt?.toISOString() ?? null,
        seconds: entry.seconds,
        running: entry.source === 'timer' && entry.endedAt === null,
        note: entry.note,
        locked,
        allowed: !locked && mayCorrect(access, ctx, entry) ? ['edit', 'delete'] : [],
      };
    }

    /** The period asked for, or the current week (Monday to Sunday) in the brand's time zone. */
    function periodOf(
      access: BrandAccess,
      now: Date,
      query: { from?: string | undefined; to?: string | undefined },
    ) {
      const today = dayOf(now, timeZoneOf(access));
      const d = new Date(`${today}T00:00:00Z`);
      const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000);
      const from = query.from ?? monday.toISOString().slice(0, 10);
      const to = query.to ?? new Date(monday.getTime() + 6 * 86_400_000).toISOString().slice(0, 10);
      if (to < from)
        throw errors.validation([{ field: 'to', in: 'query', problem: 'must not be before from' }]);
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366)
        throw errors.validation([
          { field: 'to', in: 'query', problem: 'a period may span at most 366 days' },
        ]);
      return { from, to };
    }

    /** The entry and the caller's access to its brand, refusing what they may not correct. */
    async function entryToCorrect(tx: Queryable, ctx: RequestContext, entryId: string) {
      const entry = await entryForUpdate(tx, entryId);
      const access = await requireBrandOf(tx, ctx.actor, entry?.brandId, 'work log entry');
      authorize(access, entry!.userId === userIdOf(ctx) ? 'worklog.log' : 'worklog.review');
      return { access, entry: entry! };
    }

    app.post(
      '/tickets/:ticketId/activity',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary: `Heartbeat from the ticket view while the agent works the ticket (every 30 s while the tab is visible and in use): extends the caller’s time on the ticket when the previous beat was at most ${TICKET_BEAT_GAP_SECONDS} s ago, else starts a new entry (capabilities tickets.work and worklog.log)`,
          params: ticketParams,
          body: z.strictObject({}).optional(),
          response: {
            200: z.object({
              data: z.object({
                entry: entrySchema,
                ticketSeconds: z.number().describe('Everyone’s time on the ticket'),
                mySeconds: z.number().describe('The caller’s time on the ticket'),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [ticket] = await db
          .select({
            id: tickets.id,
            brandId: tickets.brandId,
            category: tickets.category,
            channel: tickets.channel,
            queueId: tickets.queueId,
          })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        const access = await requireBrandOf(db, ctx.actor, ticket?.brandId, 'ticket', 'tickets.work');
        authorize(access, 'worklog.log');
        const scope = scopeOf(access);
        const entry = await db.transaction((tx) =>
          recordTicketActivity(tx, ctx, { ...scope, userId: userIdOf(ctx), ticket: ticket! }),
        );
        const time = await ticketTime(db, ticket!.id);
        return {
          data: {
            entry: present(access, ctx, entry, null),
            ticketSeconds: time.seconds,
            mySeconds: time.people.find((p) => p.userId === userIdOf(ctx))?.seconds ?? 0,
          },
        };
      },
    );

    app.get(
      '/tickets/:ticketId/worklog',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary: 'The time logged on a ticket, in all and per person (capability tickets.work)',
          params: ticketParams,
          response: {
            200: z.object({
              data: z.object({
                seconds: z.number(),
                people: z.array(
                  z.object({ userId: z.uuid(), name: z.string(), seconds: z.number(), entries: z.number() }),
                ),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [ticket] = await db
          .select({ brandId: tickets.brandId })
          .from(tickets)
          .where(eq(tickets.id, request.params.ticketId));
        await requireBrandOf(db, ctx.actor, ticket?.brandId, 'ticket', 'tickets.work');
        return { data: await ticketTime(db, request.params.ticketId) };
      },
    );

    app.get(
      '/brands/:brandId/worklog/categories',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary: 'The brand’s task categories (from its pack) that work is logged under',
          params: brandParams,
          response: {
            200: z.object({ data: z.array(z.object({ name: z.string(), description: z.string() })) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const { categories } = scopeOf(access).pack.manifest;
        return {
          data: Object.entries(categories).map(([name, c]) => ({ name, description: c.description })),
        };
      },
    );

    app.get(
      '/brands/:brandId/worklog/timer',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary: 'The caller’s running timer, or null (capability worklog.log)',
          params: brandParams,
          response: { 200: z.object({ data: entrySchema.nullable() }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'worklog.log');
        const timer = await runningTimer(db, access.brand.id, userIdOf(ctx));
        return { data: timer ? present(access, ctx, timer, null) : null };
      },
    );

    app.post(
      '/brands/:brandId/worklog/timer',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'Starts the caller’s timer for work under a task category; one timer runs per person, a second is 409 (capability worklog.log)',
          params: brandParams,
          body: z.strictObject({
            category: text(200),
            channel: optionalText(100),
            note: optionalText(2000),
            ticketId: uuidParam('ticketId').nullable().optional(),
          }),
          response: { 201: z.object({ data: entrySchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, entry } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'worklog.log');
          return { access, entry: await startTimer(tx, ctx, scopeOf(access), request.body) };
        });
        return reply.status(201).send({ data: present(access, ctx, entry, null) });
      },
    );

    app.post(
      '/brands/:brandId/worklog/timer/stop',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary: 'Stops the caller’s running timer; its time is from start to now (capability worklog.log)',
          params: brandParams,
          body: z.strictObject({ note: optionalText(2000) }).optional(),
          response: { 200: z.object({ data: entrySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const { access, entry } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'worklog.log');
          return { access, entry: await stopTimer(tx, ctx, scopeOf(access), request.body ?? {}) };
        });
        return { data: present(access, ctx, entry, null) };
      },
    );

    app.post(
      '/brands/:brandId/worklog/entries',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'Logs work by hand (a voice call, portal work, spam checking...): a task category and either minutes or startedAt and endedAt. For oneself (worklog.log) or, with userId, for another member (worklog.review)',
          params: brandParams,
          body: z.strictObject({
            category: text(200),
            minutes: minutes.optional(),
            startedAt: instant.optional(),
            endedAt: instant.optional(),
            channel: optionalText(100),
            note: optionalText(2000),
            ticketId: uuidParam('ticketId').nullable().optional(),
            userId: uuidParam('userId').optional(),
          }),
          response: { 201: z.object({ data: entrySchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const body = request.body;
        const { access, entry } = await db.transaction(async (tx) => {
          const forOther = body.userId !== undefined && body.userId !== userIdOf(ctx);
          const access = await requireBrand(
            tx,
            ctx.actor,
            request.params.brandId,
            forOther ? 'worklog.review' : 'worklog.log',
          );
          const entry = await addManualEntry(tx, ctx, scopeOf(access), body.userId ?? userIdOf(ctx), {
            ...body,
            startedAt: toDate(body.startedAt),
            endedAt: toDate(body.endedAt),
          });
          return { access, entry };
        });
        return reply.status(201).send({ data: present(access, ctx, entry, null) });
      },
    );

    app.get(
      '/brands/:brandId/worklog/entries',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'A person’s timesheet for a period (default: this week, Monday to Sunday): entries with totals per day and category. One’s own (worklog.log) or, with userId, another member’s (worklog.review)',
          params: brandParams,
          querystring: periodQuery.extend({ userId: uuidParam('userId').optional() }),
          response: {
            200: z.object({
              data: z.object({
                userId: z.uuid(),
                from: z.string(),
                to: z.string(),
                today: z.string().describe('Today in the brand’s time zone'),
                lockedThrough: z.string().nullable(),
                entries: z.array(entrySchema),
                totals: totalsSchema,
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const me = userIdOf(ctx);
        const userId = request.query.userId ?? me;
        const access = await requireBrand(
          db,
          ctx.actor,
          request.params.brandId,
          userId === me ? 'worklog.log' : 'worklog.review',
        );
        const period = periodOf(access, ctx.now, request.query);
        const [entries, lock] = await Promise.all([
          entriesOf(db, access.brand.id, userId, period, timeZoneOf(access)),
          lockedThrough(db, access.brand.id, userId),
        ]);
        return {
          data: {
            userId,
            ...period,
            today: dayOf(ctx.now, timeZoneOf(access)),
            lockedThrough: lock,
            entries: entries.map((e) => present(access, ctx, e, lock)),
            totals: totalsOf(entries),
          },
        };
      },
    );

    app.patch(
      '/worklog/entries/:entryId',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'Corrects an entry that is not locked: category, channel, note, times or minutes. One’s own (worklog.log) or anyone’s in the brand (worklog.review); a locked entry is 409',
          params: entryParams,
          body: z.strictObject({
            category: text(200).nullable().optional(),
            channel: optionalText(100),
            note: optionalText(2000),
            startedAt: instant.optional(),
            endedAt: instant.optional(),
            minutes: minutes.optional(),
          }),
          response: { 200: z.object({ data: entrySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const body = request.body;
        const { access, entry } = await db.transaction(async (tx) => {
          const { access, entry } = await entryToCorrect(tx, ctx, request.params.entryId);
          const after = await correctEntry(tx, ctx, scopeOf(access), entry, {
            ...body,
            startedAt: toDate(body.startedAt),
            endedAt: toDate(body.endedAt),
          });
          return { access, entry: after };
        });
        return { data: present(access, ctx, entry, await lockedThrough(db, access.brand.id, entry.userId)) };
      },
    );

    app.delete(
      '/worklog/entries/:entryId',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'Removes an entry that is not locked. One’s own (worklog.log) or anyone’s in the brand (worklog.review); a locked entry is 409',
          params: entryParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        await db.transaction(async (tx) => {
          const { access, entry } = await entryToCorrect(tx, ctx, request.params.entryId);
          await removeEntry(tx, ctx, scopeOf(access), entry);
        });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/brands/:brandId/worklog/team',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'The team’s timesheet for a period (default: this week): each member’s totals per day and category and how far their timesheet is locked (capability worklog.review)',
          params: brandParams,
          querystring: periodQuery,
          response: {
            200: z.object({
              data: z.object({
                from: z.string(),
                to: z.string(),
                today: z.string().describe('Today in the brand’s time zone'),
                people: z.array(
                  z.object({
                    userId: z.uuid(),
                    name: z.string(),
                    email: z.string(),
                    lockedThrough: z.string().nullable(),
                    totals: totalsSchema,
                  }),
                ),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'worklog.review');
        const period = periodOf(access, ctx.now, request.query);
        return {
          data: {
            ...period,
            today: dayOf(ctx.now, timeZoneOf(access)),
            people: await teamTimesheet(db, access.brand.id, period),
          },
        };
      },
    );

    app.post(
      '/brands/:brandId/worklog/locks',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['worklog'],
          summary:
            'Locks a member’s timesheet through a date (brand time zone): their entries up to it can no longer be added, corrected or removed. The lock only moves forward (capability worklog.review)',
          params: brandParams,
          body: z.strictObject({ userId: uuidParam('userId'), through: dateString('through') }),
          response: {
            200: z.object({
              data: z.object({ userId: z.uuid(), lockedThrough: z.string(), entriesLocked: z.number() }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const data = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'worklog.review');
          return lockTimesheet(tx, ctx, scopeOf(access), request.body);
        });
        return { data };
      },
    );
  };
