import { approvalSteps, canViewApprovals, requestRefusal } from '@casebook/core';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { addCodes, mayAddCodes, poolCounts, poolType, takeCode } from '../approvals/coupons';
import { approvalHistory, presentApproval } from '../approvals/present';
import { approvalActor, createApproval, lockApproval, takeStep, viewableTypes } from '../approvals/service';
import type { Deps } from '../context';
import { approvalRequests } from '../db/schema';
import { errors } from '../errors';
import { type BrandAccess, requireBrand, requireBrandOf } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

const approvalSchema = z.object({
  id: z.uuid(),
  brandId: z.uuid(),
  type: z.string(),
  typeTitle: z.string(),
  state: z.string(),
  fields: z.record(z.string(), z.unknown()),
  ticketId: z.uuid().nullable(),
  parentId: z.uuid().nullable(),
  requestedBy: z.object({ id: z.uuid().nullable(), name: z.string() }),
  decidedBy: z.object({ id: z.uuid().nullable(), name: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  steps: z.array(z.object({ name: z.string(), title: z.string(), note: z.enum(['required', 'optional']) })),
  allowed: z.array(z.string()).describe('The steps the caller may take on the request now'),
});

const historySchema = z.array(
  z.object({
    action: z.string(),
    from: z.string().nullable(),
    to: z.string(),
    by: z.string(),
    note: z.string().nullable(),
    data: z.unknown(),
    at: z.string(),
  }),
);

const followOnSchema = z.object({
  kind: z.string(),
  detail: z.string(),
  id: z.string().optional(),
  /** The tracker type of a record the step logged (`kind: record`). */
  tracker: z.string().optional(),
});

const typeSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  states: z.array(z.string()),
  fields: z.array(
    z.object({
      name: z.string(),
      type: z.string(),
      label: z.string(),
      required: z.boolean(),
      options: z.array(z.string()).nullable(),
    }),
  ),
  steps: z.array(
    z.object({ name: z.string(), title: z.string(), note: z.string(), by: z.array(z.string()) }),
  ),
  request: z.array(z.string()),
  decide: z.array(z.string()),
  notice: z.string().nullable(),
  pool: z.boolean().describe('Whether this type refills a coupon pool (see /coupon-pools)'),
  allowed: z.array(z.enum(['request'])),
});

const idParams = z.strictObject({ approvalId: uuidParam('approvalId') });

export const approvalRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;

    app.get(
      '/brands/:brandId/approval-types',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary: 'The pack’s approval types the caller may see or request, with their fields and steps',
          params: brandParams,
          response: { 200: z.object({ data: z.array(typeSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const actor = approvalActor(access);
        const data = Object.entries(packOf(access).manifest.approvals)
          .filter(([name, def]) => canViewApprovals(name, def, actor))
          .map(([name, def]) => ({
            name,
            title: def.title,
            description: def.description ?? null,
            states: def.states,
            fields: Object.entries(def.fields).map(([f, fd]) => ({
              name: f,
              type: fd.type,
              label: fd.label ?? f,
              required: fd.required,
              options: fd.options ?? null,
            })),
            steps: Object.entries(approvalSteps(def)).map(([s, sd]) => ({
              name: s,
              title: sd.title,
              note: sd.note,
              by: sd.by ?? def.decide,
            })),
            request: def.request,
            decide: def.decide,
            notice: def.notice ?? null,
            pool: def.pool !== undefined,
            allowed: requestRefusal(name, def, actor) === null ? (['request'] as const) : [],
          }));
        return { data: data.map((d) => ({ ...d, allowed: [...d.allowed] })) };
      },
    );

    app.get(
      '/brands/:brandId/approvals',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary: 'Approval requests of the types the caller may see, newest first',
          params: brandParams,
          querystring: z.strictObject({
            type: z.string().optional(),
            state: z.string().optional(),
            ticketId: z.uuid({ error: 'must be a UUID' }).optional(),
            before: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional(),
            limit: z.coerce.number().int().min(1).max(200, { error: 'must be at most 200' }).default(50),
          }),
          response: { 200: z.object({ data: z.array(approvalSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const pack = packOf(access);
        const types = viewableTypes(pack, access).filter(
          (t) => !request.query.type || t === request.query.type,
        );
        if (!types.length) return { data: [] };
        const rows = await db
          .select()
          .from(approvalRequests)
          .where(
            and(
              eq(approvalRequests.brandId, access.brand.id),
              inArray(approvalRequests.type, types),
              request.query.state ? eq(approvalRequests.state, request.query.state) : undefined,
              request.query.ticketId ? eq(approvalRequests.ticketId, request.query.ticketId) : undefined,
              request.query.before
                ? lt(approvalRequests.createdAt, new Date(request.query.before))
                : undefined,
            ),
          )
          .orderBy(desc(approvalRequests.createdAt))
          .limit(request.query.limit);
        return { data: rows.map((r) => presentApproval(pack, access, r)) };
      },
    );

    app.post(
      '/brands/:brandId/approvals',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary:
            'Requests an approval of one of the pack’s types; only the type’s requesters may, fields are checked against the type',
          params: brandParams,
          body: z.strictObject({
            type: z.string().min(1, { error: 'is required' }),
            fields: z.record(z.string(), z.unknown()).default({}),
            ticketId: z.uuid({ error: 'must be a UUID' }).nullable().optional(),
          }),
          response: {
            201: z.object({ data: approvalSchema, notice: z.string().nullable() }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, row } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId);
          const row = await createApproval(tx, ctx, access, packOf(access), request.body);
          return { access, row };
        });
        const pack = packOf(access);
        return reply.status(201).send({
          data: presentApproval(pack, access, row),
          notice: pack.manifest.approvals[row.type]?.notice ?? null,
        });
      },
    );

    app.get(
      '/approvals/:approvalId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary: 'One approval request with its history and the steps the caller may take',
          params: idParams,
          response: {
            200: z.object({ data: approvalSchema.extend({ history: historySchema }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const [row] = await db
          .select()
          .from(approvalRequests)
          .where(eq(approvalRequests.id, request.params.approvalId));
        const access = await requireBrandOf(db, contextOf(request).actor, row?.brandId, 'approval request');
        const pack = packOf(access);
        if (!viewableTypes(pack, access).includes(row!.type)) throw errors.notFound('approval request');
        return {
          data: { ...presentApproval(pack, access, row!), history: await approvalHistory(db, row!.id) },
        };
      },
    );

    app.post(
      '/approvals/:approvalId/steps',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary:
            'Takes a step of a request (approve, deny, process…) with its follow-ons in one transaction; nobody decides their own request',
          params: idParams,
          body: z.strictObject({
            step: z.string().min(1, { error: 'is required' }),
            note: z.string().max(5000, { error: 'must be at most 5000 characters' }).optional(),
            version: z
              .int()
              .min(1)
              .optional()
              .describe('The version you loaded; a stale one is refused with 409'),
          }),
          response: {
            200: z.object({
              data: approvalSchema,
              followOns: z.array(followOnSchema),
              notice: z.string().nullable(),
            }),
            422: errorResponses[400],
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [found] = await db
          .select({ brandId: approvalRequests.brandId, type: approvalRequests.type })
          .from(approvalRequests)
          .where(eq(approvalRequests.id, request.params.approvalId));
        const access = await requireBrandOf(db, ctx.actor, found?.brandId, 'approval request');
        const pack = packOf(access);
        if (!viewableTypes(pack, access).includes(found!.type)) throw errors.notFound('approval request');
        const result = await db.transaction(async (tx) => {
          const row = await lockApproval(tx, access.brand.id, request.params.approvalId);
          return takeStep(tx, ctx, access, pack, row, request.body);
        });
        return {
          data: presentApproval(pack, access, result.request),
          followOns: result.followOns,
          notice: result.notice,
        };
      },
    );

    const poolSchema = z.object({ pool: z.string(), free: z.number(), used: z.number() });

    app.get(
      '/brands/:brandId/coupon-pools',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary: 'The brand’s coupon pools with how many codes are free and used',
          params: brandParams,
          response: {
            200: z.object({ data: z.array(poolSchema), lowAt: z.number(), allowed: z.array(z.string()) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const pack = packOf(access);
        const { pool } = poolType(pack);
        return {
          data: await poolCounts(db, access.brand.id),
          lowAt: pool.lowAt,
          allowed: ['take', ...(mayAddCodes(pack, access) ? ['add_codes'] : [])],
        };
      },
    );

    app.post(
      '/brands/:brandId/coupon-pools/:pool/codes',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary: 'Adds codes to a coupon pool (the deciders of the pack’s coupon code requests: leads)',
          params: z.strictObject({
            brandId: uuidParam('brandId'),
            pool: z.string().min(1).max(100),
          }),
          body: z.strictObject({
            codes: z
              .array(z.string().max(100, { error: 'must be at most 100 characters' }))
              .min(1, { error: 'must hold at least one code' })
              .max(1000, { error: 'must hold at most 1000 codes' }),
          }),
          response: {
            200: z.object({ data: z.object({ added: z.number(), skipped: z.number() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId);
          return {
            data: await addCodes(tx, ctx, access, packOf(access), request.params.pool, request.body.codes),
          };
        });
      },
    );

    app.post(
      '/brands/:brandId/coupon-pools/:pool/take',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['approvals'],
          summary:
            'Hands out the next free code of a pool (capability tickets.work); the leads are told when the pool runs low',
          params: z.strictObject({
            brandId: uuidParam('brandId'),
            pool: z.string().min(1).max(100),
          }),
          body: z.strictObject({ ticketId: z.uuid({ error: 'must be a UUID' }).nullable().optional() }),
          response: {
            200: z.object({
              data: z.object({ code: z.string(), remaining: z.number(), alerted: z.boolean() }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'tickets.work');
          return {
            data: await takeCode(
              tx,
              ctx,
              access,
              packOf(access),
              request.params.pool,
              request.body.ticketId ?? null,
            ),
          };
        });
      },
    );
  };
