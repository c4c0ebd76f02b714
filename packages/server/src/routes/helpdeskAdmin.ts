import { isKnownPlaceholder, placeholdersOf } from '@casebook/core';
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { macros, mailSettings, messages, queues, savedViews, slaPolicies, tickets } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, can, requireBrand, requireBrandOf } from '../policies';
import { forgetQueueNames, ticketWorkers } from '../tickets/commands';
import { forgetMailDomain } from '../tickets/env';
import { brandParams, email, errorResponses, uuidParam } from './schemas';

const name = z.string().trim().min(1, { error: 'must not be empty' }).max(200);
const version = z.int().min(1).optional().describe('The version you loaded; a stale one is refused with 409');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a time HH:MM' });

const businessHours = z
  .strictObject({
    timezone: z.string().refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { error: 'is not an IANA time zone' },
    ),
    days: z.array(z.int().min(1).max(7)).min(1, { error: 'name at least one business day' }),
    start: hhmm,
    end: hhmm,
    holidays: z
      .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' }))
      .default([]),
  })
  .refine((h) => h.start < h.end, { error: 'start must be before end', path: ['end'] })
  .nullable()
  .describe('Business hours the targets count in; null for around the clock');

const minutes = z.int().min(1).max(525_600).nullable();
const slaInput = z.strictObject({
  name,
  priorities: z.array(z.enum(['low', 'normal', 'high', 'urgent'])).default([]),
  position: z.int().min(0).max(1000).default(0),
  firstResponseMinutes: minutes.default(null),
  nextResponseMinutes: minutes.default(null),
  resolutionMinutes: minutes.default(null),
  warnMinutes: z.int().min(0).max(10_080).default(60),
  businessHours: businessHours.default(null),
});

const slaSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  priorities: z.array(z.string()),
  position: z.number(),
  firstResponseMinutes: z.number().nullable(),
  nextResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  warnMinutes: z.number(),
  businessHours: z.unknown(),
  version: z.number(),
  allowed: z.array(z.string()),
});

const queueSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  title: z.string(),
  kind: z.enum(['queue', 'escalation']),
  description: z.string().nullable(),
  source: z.enum(['pack', 'custom']),
  assignment: z.enum(['manual', 'round_robin']),
  memberIds: z.array(z.uuid()),
  version: z.number(),
  allowed: z.array(z.string()),
});

const macroAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('set_status'), status: name }),
  z.strictObject({ type: z.literal('add_tag'), tag: name }),
  z.strictObject({ type: z.literal('set_po_status'), status: name }),
  z.strictObject({
    type: z.literal('follow_up'),
    after: z.string().regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/, {
      error: 'must be an ISO 8601 duration such as P7D or PT24H',
    }),
  }),
  z.strictObject({ type: z.literal('set_queue'), queue: name }),
]);
export type MacroAction = z.infer<typeof macroAction>;

const macroInput = z.strictObject({
  name,
  title: z.string().trim().max(300).optional(),
  body: z.string().trim().min(1, { error: 'must not be empty' }).max(50_000),
  actions: z.array(macroAction).max(20).default([]),
});

const macroSchema = z.object({
  id: z.string().describe('The macro id, or the macro name for a pack macro'),
  name: z.string(),
  title: z.string().nullable(),
  body: z.string(),
  actions: z.array(z.record(z.string(), z.unknown())),
  source: z.enum(['pack', 'custom']),
  version: z.number().nullable(),
  allowed: z.array(z.string()),
});

const viewInput = z.strictObject({
  name,
  shared: z.boolean().default(false).describe('Shared with the whole brand (needs helpdesk.manage)'),
  filters: z
    .strictObject({
      status: z.string().max(500).optional(),
      queue: z.string().max(200).optional(),
      assignee: z.string().max(64).optional(),
      tag: z.string().max(64).optional(),
    })
    .default({}),
  sort: z.enum(['sla', 'updated', 'created']).default('sla'),
  position: z.int().min(0).max(1000).default(0),
});

const viewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  shared: z.boolean(),
  filters: z.record(z.string(), z.string()),
  sort: z.string(),
  position: z.number(),
  allowed: z.array(z.string()),
});

const manageActions = (access: BrandAccess) => (can(access, 'helpdesk.manage') ? ['update', 'delete'] : []);

function conflictOnName(error: unknown, what: string, value: string): never {
  if (isUniqueViolation(error))
    throw errors.conflict(`name: a ${what} named "${value}" already exists.`, { field: 'name' });
  throw error;
}

function checkVersion(row: { version: number }, version: number | undefined, what: string) {
  if (version !== undefined && version !== row.version) {
    throw errors.conflict(
      `The ${what} changed since you loaded it (version ${row.version}, yours ${version}); reload it.`,
      {
        current: { version: row.version },
      },
    );
  }
}

export const helpdeskAdminRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    // --- Queues ---------------------------------------------------------------------------------

    const presentQueue = (access: BrandAccess, q: typeof queues.$inferSelect) => ({
      id: q.id,
      name: q.name,
      title: q.title,
      kind: q.kind,
      description: q.description,
      source: q.source,
      assignment: q.assignment,
      memberIds: q.memberIds,
      version: q.version,
      allowed: can(access, 'helpdesk.manage')
        ? q.source === 'pack'
          ? ['update']
          : ['update', 'delete']
        : [],
    });

    async function checkMembers(tx: Queryable, brandId: string, ids: string[]) {
      const found = await ticketWorkers(tx, brandId, ids, { includeDisabled: true });
      const i = ids.findIndex((id) => !found.has(id));
      if (i >= 0) throw errors.field(`memberIds.${i}`, 'is not a member of this brand who works tickets');
    }

    app.get(
      '/brands/:brandId/queues',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'The brand’s queues: the pack’s escalation buckets and its own',
          params: brandParams,
          response: { 200: z.object({ data: z.array(queueSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const rows = await db
          .select()
          .from(queues)
          .where(eq(queues.brandId, access.brand.id))
          .orderBy(asc(queues.name));
        return { data: rows.map((q) => presentQueue(access, q)) };
      },
    );

    app.post(
      '/brands/:brandId/queues',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Adds a queue (capability helpdesk.manage)',
          params: brandParams,
          body: z.strictObject({
            name,
            title: name.optional(),
            kind: z.enum(['queue', 'escalation']).default('queue'),
            description: z.string().max(2000).optional(),
            assignment: z.enum(['manual', 'round_robin']).default('manual'),
            memberIds: z.array(uuidParam('memberIds')).max(200).default([]),
          }),
          response: { 201: z.object({ data: queueSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'helpdesk.manage');
        const b = request.body;
        const row = await db.transaction(async (tx) => {
          await checkMembers(tx, access.brand.id, b.memberIds);
          const [row] = await tx
            .insert(queues)
            .values({
              brandId: access.brand.id,
              name: b.name,
              title: b.title ?? b.name,
              kind: b.kind,
              description: b.description ?? null,
              source: 'custom',
              assignment: b.assignment,
              memberIds: b.memberIds,
              createdAt: ctx.now,
              updatedAt: ctx.now,
            })
            .returning()
            .catch((e: unknown) => conflictOnName(e, 'queue', b.name));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'queue',
            entityId: row!.id,
            action: 'create',
            after: row,
          });
          return row!;
        });
        return reply.status(201).send({ data: presentQueue(access, row) });
      },
    );

    app.patch(
      '/queues/:queueId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Changes a queue’s title, description or assignment (a pack queue keeps its name and kind)',
          params: z.strictObject({ queueId: uuidParam('queueId') }),
          body: z.strictObject({
            version,
            title: name.optional(),
            description: z.string().max(2000).nullable().optional(),
            assignment: z.enum(['manual', 'round_robin']).optional(),
            memberIds: z.array(uuidParam('memberIds')).max(200).optional(),
          }),
          response: { 200: z.object({ data: queueSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [found] = await db.select().from(queues).where(eq(queues.id, request.params.queueId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'queue', 'helpdesk.manage');
        const row = await db.transaction(async (tx) => {
          const [current] = await tx
            .select()
            .from(queues)
            .where(eq(queues.id, request.params.queueId))
            .for('update');
          checkVersion(current!, request.body.version, 'queue');
          const { version: _v, ...changes } = request.body;
          if (changes.memberIds) await checkMembers(tx, access.brand.id, changes.memberIds);
          const [row] = await tx
            .update(queues)
            .set({ ...changes, version: current!.version + 1, updatedAt: ctx.now })
            .where(eq(queues.id, current!.id))
            .returning();
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'queue',
            entityId: current!.id,
            action: 'update',
            before: current,
            after: changes,
          });
          return row!;
        });
        forgetQueueNames(access.brand.id);
        return { data: presentQueue(access, row) };
      },
    );

    app.delete(
      '/queues/:queueId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Deletes a brand-made queue with no tickets waiting in it',
          params: z.strictObject({ queueId: uuidParam('queueId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [found] = await db.select().from(queues).where(eq(queues.id, request.params.queueId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'queue', 'helpdesk.manage');
        if (found!.source === 'pack')
          throw errors.forbidden('This queue comes from the brand’s SOP pack and follows it.');
        await db.transaction(async (tx) => {
          const [waiting] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(tickets)
            .where(and(eq(tickets.queueId, found!.id), eq(tickets.active, true)));
          if ((waiting?.n ?? 0) > 0)
            throw errors.conflict(`${waiting!.n} ticket(s) still wait in this queue; move them first.`);
          await tx.delete(queues).where(eq(queues.id, found!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'queue',
            entityId: found!.id,
            action: 'delete',
            before: found,
          });
        });
        forgetQueueNames(access.brand.id);
        return reply.status(204).send(null);
      },
    );

    // --- SLA policies ---------------------------------------------------------------------------

    const presentSla = (access: BrandAccess, p: typeof slaPolicies.$inferSelect) => ({
      id: p.id,
      name: p.name,
      priorities: p.priorities,
      position: p.position,
      firstResponseMinutes: p.firstResponseMinutes,
      nextResponseMinutes: p.nextResponseMinutes,
      resolutionMinutes: p.resolutionMinutes,
      warnMinutes: p.warnMinutes,
      businessHours: p.businessHours,
      version: p.version,
      allowed: manageActions(access),
    });

    app.get(
      '/brands/:brandId/sla-policies',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'The brand’s SLA policies in the order they are matched',
          params: brandParams,
          response: { 200: z.object({ data: z.array(slaSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const rows = await db
          .select()
          .from(slaPolicies)
          .where(eq(slaPolicies.brandId, access.brand.id))
          .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
        return { data: rows.map((p) => presentSla(access, p)) };
      },
    );

    app.post(
      '/brands/:brandId/sla-policies',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Adds an SLA policy (capability helpdesk.manage); it applies to tickets changed from now on',
          params: brandParams,
          body: slaInput,
          response: { 201: z.object({ data: slaSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'helpdesk.manage');
        const row = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(slaPolicies)
            .values({ ...request.body, brandId: access.brand.id, createdAt: ctx.now, updatedAt: ctx.now })
            .returning()
            .catch((e: unknown) => conflictOnName(e, 'SLA policy', request.body.name));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'sla_policy',
            entityId: row!.id,
            action: 'create',
            after: row,
          });
          return row!;
        });
        return reply.status(201).send({ data: presentSla(access, row) });
      },
    );

    app.patch(
      '/sla-policies/:policyId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Changes an SLA policy',
          params: z.strictObject({ policyId: uuidParam('policyId') }),
          body: slaInput.partial().extend({ version }),
          response: { 200: z.object({ data: slaSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [found] = await db
          .select()
          .from(slaPolicies)
          .where(eq(slaPolicies.id, request.params.policyId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'SLA policy', 'helpdesk.manage');
        const row = await db.transaction(async (tx) => {
          const [current] = await tx
            .select()
            .from(slaPolicies)
            .where(eq(slaPolicies.id, found!.id))
            .for('update');
          checkVersion(current!, request.body.version, 'SLA policy');
          const { version: _v, ...changes } = request.body;
          const [row] = await tx
            .update(slaPolicies)
            .set({ ...changes, version: current!.version + 1, updatedAt: ctx.now })
            .where(eq(slaPolicies.id, found!.id))
            .returning()
            .catch((e: unknown) => conflictOnName(e, 'SLA policy', changes.name ?? ''));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'sla_policy',
            entityId: found!.id,
            action: 'update',
            before: current,
            after: changes,
          });
          return row!;
        });
        return { data: presentSla(access, row) };
      },
    );

    app.delete(
      '/sla-policies/:policyId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Deletes an SLA policy; tickets it measured are measured by the next matching one when they change',
          params: z.strictObject({ policyId: uuidParam('policyId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [found] = await db
          .select()
          .from(slaPolicies)
          .where(eq(slaPolicies.id, request.params.policyId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'SLA policy', 'helpdesk.manage');
        await db.transaction(async (tx) => {
          await tx.delete(slaPolicies).where(eq(slaPolicies.id, found!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'sla_policy',
            entityId: found!.id,
            action: 'delete',
            before: found,
          });
        });
        return reply.status(204).send(null);
      },
    );

    // --- Macros ---------------------------------------------------------------------------------

    app.get(
      '/brands/:brandId/macros',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'The pack’s macros and the brand’s own',
          params: brandParams,
          response: { 200: z.object({ data: z.array(macroSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'tickets.work',
        );
        const pack = deps.packs.get(access.brand.packId)!;
        const custom = await db
          .select()
          .from(macros)
          .where(eq(macros.brandId, access.brand.id))
          .orderBy(asc(macros.name));
        return {
          data: [
            ...Object.entries(pack.manifest.macros).map(([macroName, m]) => ({
              id: macroName,
              name: macroName,
              title: m.title ?? null,
              body: m.body,
              actions: [],
              source: 'pack' as const,
              version: null,
              allowed: [],
            })),
            ...custom.map((m) => ({
              id: m.id,
              name: m.name,
              title: m.title,
              body: m.body,
              actions: m.actions as Record<string, unknown>[],
              source: 'custom' as const,
              version: m.version,
              allowed: manageActions(access),
            })),
          ],
        };
      },
    );

    app.post(
      '/brands/:brandId/macros',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Adds a macro (capability helpdesk.manage); placeholders must be ones Casebook can fill',
          params: brandParams,
          body: macroInput,
          response: { 201: z.object({ data: macroSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'helpdesk.manage');
        const pack = deps.packs.get(access.brand.packId)!;
        if (Object.hasOwn(pack.manifest.macros, request.body.name)) {
          throw errors.conflict(`name: the pack already has a macro named "${request.body.name}".`, {
            field: 'name',
          });
        }
        checkPlaceholders(request.body.body);
        const row = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(macros)
            .values({
              ...request.body,
              title: request.body.title ?? null,
              brandId: access.brand.id,
              createdAt: ctx.now,
              updatedAt: ctx.now,
            })
            .returning()
            .catch((e: unknown) => conflictOnName(e, 'macro', request.body.name));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'macro',
            entityId: row!.id,
            action: 'create',
            after: row,
          });
          return row!;
        });
        return reply.status(201).send({
          data: {
            ...row,
            actions: row.actions as Record<string, unknown>[],
            source: 'custom' as const,
            allowed: manageActions(access),
          },
        });
      },
    );

    app.patch(
      '/macros/:macroId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Changes a brand macro',
          params: z.strictObject({ macroId: uuidParam('macroId') }),
          body: macroInput.partial().extend({ version }),
          response: { 200: z.object({ data: macroSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [found] = await db.select().from(macros).where(eq(macros.id, request.params.macroId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'macro', 'helpdesk.manage');
        if (request.body.body) checkPlaceholders(request.body.body);
        const row = await db.transaction(async (tx) => {
          const [current] = await tx.select().from(macros).where(eq(macros.id, found!.id)).for('update');
          checkVersion(current!, request.body.version, 'macro');
          const { version: _v, ...changes } = request.body;
          const [row] = await tx
            .update(macros)
            .set({ ...changes, version: current!.version + 1, updatedAt: ctx.now })
            .where(eq(macros.id, found!.id))
            .returning()
            .catch((e: unknown) => conflictOnName(e, 'macro', changes.name ?? ''));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'macro',
            entityId: found!.id,
            action: 'update',
            before: current,
            after: changes,
          });
          return row!;
        });
        return {
          data: {
            ...row,
            actions: row.actions as Record<string, unknown>[],
            source: 'custom' as const,
            allowed: manageActions(access),
          },
        };
      },
    );

    app.delete(
      '/macros/:macroId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Deletes a brand macro',
          params: z.strictObject({ macroId: uuidParam('macroId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [found] = await db.select().from(macros).where(eq(macros.id, request.params.macroId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'macro', 'helpdesk.manage');
        await db.transaction(async (tx) => {
          await tx.delete(macros).where(eq(macros.id, found!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'macro',
            entityId: found!.id,
            action: 'delete',
            before: found,
          });
        });
        return reply.status(204).send(null);
      },
    );

    // --- Saved views ----------------------------------------------------------------------------

    const presentView = (access: BrandAccess, v: typeof savedViews.$inferSelect) => ({
      id: v.id,
      name: v.name,
      shared: v.userId === null,
      filters: v.filters as Record<string, string>,
      sort: v.sort,
      position: v.position,
      allowed: v.userId === null ? manageActions(access) : ['update', 'delete'],
    });

    app.get(
      '/brands/:brandId/views',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['helpdesk'],
          summary: 'The caller’s saved ticket views and the brand’s shared ones',
          params: brandParams,
          response: { 200: z.object({ data: z.array(viewSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const access = await requireBrand(db, actor, request.params.brandId, 'tickets.work');
        const userId = actor.kind === 'user' ? actor.userId : null;
        const rows = await db
          .select()
          .from(savedViews)
          .where(
            and(
              eq(savedViews.brandId, access.brand.id),
              or(isNull(savedViews.userId), eq(savedViews.userId, userId ?? '')),
            ),
          )
          .orderBy(asc(savedViews.position), asc(savedViews.name));
        return { data: rows.map((v) => presentView(access, v)) };
      },
    );

    app.post(
      '/brands/:brandId/views',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Saves a ticket view: private, or shared with the brand (capability helpdesk.manage)',
          params: brandParams,
          body: viewInput,
          response: { 201: z.object({ data: viewSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await requireBrand(
          db,
          ctx.actor,
          request.params.brandId,
          request.body.shared ? 'helpdesk.manage' : 'tickets.work',
        );
        const { shared, ...view } = request.body;
        const row = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(savedViews)
            .values({
              ...view,
              brandId: access.brand.id,
              userId: shared || ctx.actor.kind !== 'user' ? null : ctx.actor.userId,
              createdAt: ctx.now,
              updatedAt: ctx.now,
            })
            .returning();
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'view',
            entityId: row!.id,
            action: 'create',
            after: row,
          });
          return row!;
        });
        return reply.status(201).send({ data: presentView(access, row) });
      },
    );

    app.delete(
      '/views/:viewId',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Deletes a saved view (your own, or a shared one with helpdesk.manage)',
          params: z.strictObject({ viewId: uuidParam('viewId') }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [found] = await db.select().from(savedViews).where(eq(savedViews.id, request.params.viewId));
        const mine = found && ctx.actor.kind === 'user' && found.userId === ctx.actor.userId;
        const visible = found && (found.userId === null || mine);
        const access = await requireBrandOf(
          db,
          ctx.actor,
          visible ? found.brandId : undefined,
          'view',
          mine ? 'tickets.work' : 'helpdesk.manage',
        );
        await db.transaction(async (tx) => {
          await tx.delete(savedViews).where(eq(savedViews.id, found!.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'view',
            entityId: found!.id,
            action: 'delete',
            before: found,
          });
        });
        return reply.status(204).send(null);
      },
    );

    // --- Email settings and the local mailbox ---------------------------------------------------

    const mailSchema = z.object({
      address: z.string(),
      fromName: z.string(),
      imap: z
        .object({
          host: z.string(),
          port: z.number(),
          secure: z.boolean(),
          user: z.string(),
          mailbox: z.string(),
          passwordSet: z.boolean(),
        })
        .nullable(),
      outbound: z
        .enum(['smtp', 'local'])
        .describe('smtp when SMTP_URL is configured; otherwise mail is kept in the local mailbox'),
      version: z.number(),
    });
    type Imap = {
      host: string;
      port: number;
      secure: boolean;
      user: string;
      password: string;
      mailbox: string;
    };
    const presentMail = (row: typeof mailSettings.$inferSelect) => {
      const imap = row.imap as Imap | null;
      return {
        address: row.address,
        fromName: row.fromName,
        imap: imap
          ? {
              host: imap.host,
              port: imap.port,
              secure: imap.secure,
              user: imap.user,
              mailbox: imap.mailbox,
              passwordSet: Boolean(imap.password),
            }
          : null,
        outbound: deps.config.smtpUrl ? ('smtp' as const) : ('local' as const),
        version: row.version,
      };
    };

    app.get(
      '/brands/:brandId/mail-settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'How the brand sends and receives mail (capability helpdesk.manage); the IMAP password is never returned',
          params: brandParams,
          response: { 200: z.object({ data: mailSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'helpdesk.manage',
        );
        const [row] = await db.select().from(mailSettings).where(eq(mailSettings.brandId, access.brand.id));
        if (!row) throw errors.notFound('mail settings');
        return { data: presentMail(row) };
      },
    );

    app.patch(
      '/brands/:brandId/mail-settings',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary: 'Changes the support address, sender name or IMAP mailbox',
          params: brandParams,
          body: z.strictObject({
            version,
            address: email.optional(),
            fromName: z
              .string()
              .trim()
              .min(1, { error: 'must not be empty' })
              .max(100)
              .regex(/^[^\r\n"<>]*$/, { error: 'must not contain line breaks, quotes or angle brackets' })
              .optional(),
            imap: z
              .strictObject({
                host: z.string().trim().min(1).max(255),
                port: z.int().min(1).max(65535).default(993),
                secure: z.boolean().default(true),
                user: z.string().min(1).max(255),
                password: z.string().max(1000).optional().describe('Leave out to keep the stored password'),
                mailbox: z.string().min(1).max(255).default('INBOX'),
              })
              .nullable()
              .optional(),
          }),
          response: { 200: z.object({ data: mailSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const access = await requireBrand(db, ctx.actor, request.params.brandId, 'helpdesk.manage');
        const row = await db.transaction(async (tx) => {
          const [current] = await tx
            .select()
            .from(mailSettings)
            .where(eq(mailSettings.brandId, access.brand.id))
            .for('update');
          if (!current) throw errors.notFound('mail settings');
          checkVersion(current, request.body.version, 'mail settings');
          const { version: _v, imap, ...changes } = request.body;
          let nextImap = current.imap as Imap | null;
          if (imap === null) nextImap = null;
          else if (imap) {
            const password = imap.password ?? (current.imap as Imap | null)?.password;
            if (!password) throw errors.field('imap.password', 'is required for a new IMAP mailbox');
            nextImap = { ...imap, password };
          }
          if (changes.address) {
            const [taken] = await tx
              .select({ brandId: mailSettings.brandId })
              .from(mailSettings)
              .where(
                and(
                  eq(mailSettings.address, changes.address.toLowerCase()),
                  sql`${mailSettings.brandId} <> ${access.brand.id}`,
                ),
              );
            if (taken)
              throw errors.conflict('address: another brand receives mail at this address.', {
                field: 'address',
              });
          }
          const [row] = await tx
            .update(mailSettings)
            .set({
              ...changes,
              ...(changes.address ? { address: changes.address.toLowerCase() } : {}),
              imap: nextImap,
              version: current.version + 1,
              updatedAt: ctx.now,
            })
            .where(eq(mailSettings.brandId, access.brand.id))
            .returning();
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'mail_settings',
            entityId: access.brand.id,
            action: 'update',
            before: current,
            after: row,
          });
          return row!;
        });
        forgetMailDomain(access.brand.id);
        return { data: presentMail(row) };
      },
    );

    app.get(
      '/brands/:brandId/outbox',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['helpdesk'],
          summary:
            'Outbound mail of the brand, newest first, with its delivery state; without SMTP this is the local mailbox',
          params: brandParams,
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.uuid(),
                  ticketId: z.uuid(),
                  to: z.array(z.string()),
                  subject: z.string().nullable(),
                  bodyText: z.string(),
                  emailMessageId: z.string().nullable(),
                  inReplyTo: z.string().nullable(),
                  deliveryState: z.string().nullable(),
                  createdAt: z.string(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'helpdesk.manage',
        );
        const rows = await db
          .select()
          .from(messages)
          .where(
            and(
              eq(messages.brandId, access.brand.id),
              eq(messages.direction, 'out'),
              sql`${messages.deliveryState} is not null`,
            ),
          )
          .orderBy(desc(messages.createdAt))
          .limit(request.query.limit);
        return {
          data: rows.map((m) => ({
            id: m.id,
            ticketId: m.ticketId,
            to: m.toAddresses,
            subject: m.subject,
            bodyText: m.bodyText,
            emailMessageId: m.emailMessageId,
            inReplyTo: m.inReplyTo,
            deliveryState: m.deliveryState,
            createdAt: m.createdAt.toISOString(),
          })),
        };
      },
    );
  };

/** Refuses a macro body with a placeholder Casebook cannot fill, naming it. */
function checkPlaceholders(body: string) {
  const unknown = placeholdersOf(body).filter((p) => !isKnownPlaceholder(p));
  if (unknown.length) {
    throw errors.field(
      'body',
      `unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}; see the placeholder list in the macro editor`,
    );
  }
}
