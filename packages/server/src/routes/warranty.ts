import { type Capability, type Pack, WARRANTY_CLAIM_REASONS } from '@casebook/core';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Actor, Deps } from '../context';
import type { Queryable } from '../db/client';
import { orders, warrantyClaims, warrantyPlans } from '../db/schema';
import {
  CLAIM_TRANSITIONS,
  createWarrantyPlan,
  fileWarrantyClaim,
  listWarrantyPlans,
  setWarrantyClaimStatus,
} from '../money/warranty';
import { type BrandAccess, can, requireBrandOf } from '../policies';
import { errorResponses, uuidParam } from './schemas';

const claimStatus = z.enum(['filed', 'approved', 'denied', 'closed']);

const warrantySchema = z.object({
  orderId: z.uuid(),
  planTypes: z
    .array(
      z.object({
        name: z.string(),
        title: z.string(),
        covers: z.string(),
        manufacturerMonths: z.number(),
        extendsManufacturerMonths: z.number(),
        excludes: z.array(z.string()),
      }),
    )
    .describe('The warranty plans the brand’s pack sells'),
  claimReasons: z.array(z.enum(WARRANTY_CLAIM_REASONS)),
  plans: z.array(
    z.object({
      id: z.uuid(),
      plan: z.string(),
      sku: z.string(),
      itemName: z.string(),
      price: z.number().nullable().describe('Minor units (cents)'),
      manufacturerMonths: z.number(),
      startsAt: z.string(),
      manufacturerEndsAt: z.string(),
      endsAt: z.string(),
      createdBy: z.string(),
      createdAt: z.string(),
      claims: z.array(
        z.object({
          id: z.uuid(),
          reason: z.enum(WARRANTY_CLAIM_REASONS),
          description: z.string(),
          status: claimStatus,
          nextStatuses: z.array(z.string()),
          ticketId: z.uuid().nullable(),
          createdBy: z.string(),
          createdAt: z.string(),
          updatedAt: z.string(),
        }),
      ),
    }),
  ),
  allowed: z.array(z.enum(['create_plan', 'file_claim'])),
});

async function presentWarranty(db: Queryable, pack: Pack, access: BrandAccess, orderId: string) {
  const plans = await listWarrantyPlans(db, orderId);
  return {
    orderId,
    planTypes: Object.entries(pack.manifest.warrantyPlans).map(([name, p]) => ({
      name,
      title: p.title,
      covers: p.covers,
      manufacturerMonths: p.manufacturerMonths,
      extendsManufacturerMonths: p.extendsManufacturerMonths,
      excludes: p.excludes,
    })),
    claimReasons: [...WARRANTY_CLAIM_REASONS],
    plans: plans.map(({ plan, sku, itemName, claims }) => ({
      id: plan.id,
      plan: plan.plan,
      sku,
      itemName,
      price: plan.priceCents,
      manufacturerMonths: plan.manufacturerMonths,
      startsAt: plan.startsAt.toISOString(),
      manufacturerEndsAt: plan.manufacturerEndsAt.toISOString(),
      endsAt: plan.endsAt.toISOString(),
      createdBy: plan.createdBy,
      createdAt: plan.createdAt.toISOString(),
      claims: claims.map((c) => ({
        id: c.id,
        reason: c.reason,
        description: c.description,
        status: c.status,
        nextStatuses: can(access, 'warranty.manage') ? (CLAIM_TRANSITIONS[c.status] ?? []) : [],
        ticketId: c.ticketId,
        createdBy: c.createdBy,
        createdAt: c.createdAt.toISOString(),
        updatedAt: c.updatedAt.toISOString(),
      })),
    })),
    allowed: (can(access, 'warranty.manage') ? ['create_plan', 'file_claim'] : []) as (
      | 'create_plan'
      | 'file_claim'
    )[],
  };
}

export const warrantyRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;

    async function accessVia<T extends { brandId: string; orderId: string }>(
      rows: T[],
      entity: string,
      actor: Actor,
      capability?: Capability,
    ) {
      const access = await requireBrandOf(db, actor, rows[0]?.brandId, entity, capability);
      return { access, orderId: rows[0]!.orderId };
    }

    const orderParams = z.strictObject({ orderId: uuidParam('orderId') });
    const orderOf = (orderId: string) =>
      db.select({ brandId: orders.brandId, orderId: orders.id }).from(orders).where(eq(orders.id, orderId));

    app.get(
      '/orders/:orderId/warranty-plans',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['warranty'],
          summary: 'The warranty plans sold with an order’s items, with their periods and claims',
          params: orderParams,
          response: { 200: z.object({ data: warrantySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const { access, orderId } = await accessVia(
          await orderOf(request.params.orderId),
          'order',
          contextOf(request).actor,
        );
        return { data: await presentWarranty(db, packOf(access), access, orderId) };
      },
    );

    app.post(
      '/orders/:orderId/warranty-plans',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['warranty'],
          summary:
            'Records a warranty plan sold with an order item (capability warranty.manage); the plan must be one the brand’s pack defines',
          params: orderParams,
          body: z.strictObject({
            sku: z.string().trim().min(1, { error: 'must not be empty' }).max(64),
            plan: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
            manufacturerMonths: z
              .int()
              .min(0, { error: 'must not be negative' })
              .max(240, { error: 'must be at most 240' })
              .optional()
              .describe('The item’s manufacturer’s warranty in months; default: the plan’s'),
            price: z
              .int()
              .min(0, { error: 'must not be negative' })
              .optional()
              .describe('Minor units (cents)'),
          }),
          response: { 201: z.object({ data: warrantySchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, orderId } = await accessVia(
          await orderOf(request.params.orderId),
          'order',
          ctx.actor,
          'warranty.manage',
        );
        await db.transaction((tx) =>
          createWarrantyPlan(tx, ctx, access.brand.id, packOf(access), orderId, request.body),
        );
        return reply.status(201).send({ data: await presentWarranty(db, packOf(access), access, orderId) });
      },
    );

    app.post(
      '/warranty-plans/:planId/claims',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['warranty'],
          summary:
            'Files a claim on a warranty plan (capability warranty.manage). A reason the plan excludes or a claim outside its period is refused: 422 guardrail_violation naming the rule',
          params: z.strictObject({ planId: uuidParam('planId') }),
          body: z.strictObject({
            reason: z.enum(WARRANTY_CLAIM_REASONS, {
              error: `must be one of: ${WARRANTY_CLAIM_REASONS.join(', ')}`,
            }),
            description: z.string().trim().min(1, { error: 'must not be empty' }).max(4000),
            ticketId: uuidParam('ticketId').optional(),
          }),
          response: { 201: z.object({ data: warrantySchema }), 422: errorResponses[400], ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const rows = await db
          .select({ brandId: warrantyPlans.brandId, orderId: warrantyPlans.orderId })
          .from(warrantyPlans)
          .where(eq(warrantyPlans.id, request.params.planId));
        const { access, orderId } = await accessVia(rows, 'warranty plan', ctx.actor, 'warranty.manage');
        await db.transaction((tx) =>
          fileWarrantyClaim(tx, ctx, access.brand.id, packOf(access), request.params.planId, request.body),
        );
        return reply.status(201).send({ data: await presentWarranty(db, packOf(access), access, orderId) });
      },
    );

    app.post(
      '/warranty-claims/:claimId/status',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['warranty'],
          summary:
            'Moves a warranty claim on: filed → approved or denied, approved → closed (capability warranty.manage)',
          params: z.strictObject({ claimId: uuidParam('claimId') }),
          body: z.strictObject({ status: claimStatus, note: z.string().trim().max(1000).optional() }),
          response: { 200: z.object({ data: warrantySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const rows = await db
          .select({ brandId: warrantyClaims.brandId, orderId: warrantyPlans.orderId })
          .from(warrantyClaims)
          .innerJoin(warrantyPlans, eq(warrantyPlans.id, warrantyClaims.planId))
          .where(eq(warrantyClaims.id, request.params.claimId));
        const { access, orderId } = await accessVia(rows, 'warranty claim', ctx.actor, 'warranty.manage');
        await db.transaction((tx) =>
          setWarrantyClaimStatus(tx, ctx, access.brand.id, request.params.claimId, request.body),
        );
        return { data: await presentWarranty(db, packOf(access), access, orderId) };
      },
    );
  };
