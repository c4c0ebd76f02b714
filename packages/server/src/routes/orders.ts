import { checkPoStatusChange, type Pack } from '@casebook/core';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { cancelOrder } from '../commands/cancelOrder';
import { importOrder } from '../commands/importOrder';
import { setPoStatus } from '../commands/setPoStatus';
import type { Deps } from '../context';
import type { Queryable } from '../db/client';
import { orders, poStatusChanges, purchaseOrders } from '../db/schema';
import { loadOrder, type OrderAggregate, poFacts } from '../orders/aggregate';
import { type BrandAccess, requireBrand, requireBrandOf } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

const money = z.number().min(0, { error: 'must not be negative' }).max(10_000_000);
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

const orderInput = z.strictObject({
  number: text(64),
  externalId: text(128).optional(),
  channel: text(64),
  customer: z
    .strictObject({
      name: text(200).optional(),
      email: z.email({ error: 'must be an email address' }).optional(),
    })
    .optional(),
  placedAt: instant,
  shippingAddress: z
    .strictObject({
      line1: text(200),
      line2: z.string().max(200).optional(),
      city: text(100),
      region: z.string().max(100).optional(),
      postalCode: text(20),
      country: text(2).or(text(64)),
      problems: z.array(z.enum(['incorrect', 'incomplete', 'po_box'])).optional(),
    })
    .optional(),
  shippingCost: money.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be a three-letter currency code' })
    .optional(),
  items: z
    .array(
      z.strictObject({
        sku: text(64),
        name: text(300),
        qty: z.int().min(1, { error: 'must be at least 1' }),
        unitPrice: money,
        category: text(64).optional(),
        hasSerialNumber: z.boolean().optional(),
        hasModelNumber: z.boolean().optional(),
        hasPartNumber: z.boolean().optional(),
      }),
    )
    .min(1, { error: 'an order needs at least one item' }),
  purchaseOrders: z.array(
    z.strictObject({
      number: text(64),
      vendor: text(200),
      status: z.string().optional(),
      sentToVendorAt: instant.optional(),
      freight: z.boolean().optional(),
      vendorCancelOptionAvailable: z.boolean().optional(),
      items: z.array(z.strictObject({ sku: text(64), qty: z.int().min(1, { error: 'must be at least 1' }) })),
    }),
  ),
});

const nextStatusSchema = z.object({ status: z.string(), allowed: z.boolean(), reasons: z.array(z.string()) });

const orderSchema = z.object({
  id: z.uuid(),
  brandId: z.uuid(),
  number: z.string(),
  externalId: z.string().nullable(),
  channel: z.string(),
  customer: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
  placedAt: z.string(),
  shippingAddress: z.unknown(),
  shippingCost: z.number(),
  currency: z.string(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string(),
      qty: z.number(),
      unitPrice: z.number(),
      category: z.string().nullable(),
    }),
  ),
  purchaseOrders: z.array(
    z.object({
      id: z.uuid(),
      number: z.string(),
      vendor: z.string(),
      status: z.string(),
      refunded: z.boolean(),
      version: z.number(),
      items: z.array(
        z.object({
          sku: z.string(),
          qty: z.number(),
          shippedQty: z.number(),
          outOfStock: z.boolean(),
          canceled: z.boolean(),
        }),
      ),
      shipments: z.array(
        z.object({
          carrier: z.string().nullable(),
          trackingNumber: z.string(),
          events: z.array(
            z.object({ at: z.string(), status: z.string(), description: z.string().nullable() }),
          ),
        }),
      ),
      history: z.array(
        z.object({
          from: z.string().nullable(),
          to: z.string(),
          by: z.string(),
          reason: z.string().nullable(),
          at: z.string(),
        }),
      ),
      nextStatuses: z
        .array(nextStatusSchema)
        .describe('Each status the PO could move to, whether the caller may set it now, and why not'),
    }),
  ),
});

/** An order as the API shows it, with each PO's possible next statuses judged by the pack's guardrails. */
async function presentOrder(db: Queryable, pack: Pack, access: BrandAccess, agg: OrderAggregate, now: Date) {
  const poIds = agg.purchaseOrders.map((p) => p.po.id);
  const history = poIds.length
    ? await db
        .select()
        .from(poStatusChanges)
        .where(inArray(poStatusChanges.poId, poIds))
        .orderBy(poStatusChanges.id)
    : [];
  const transitions = (pack.manifest.purchaseOrders?.transitions ?? {}) as Partial<Record<string, string[]>>;
  const { order } = agg;
  return {
    id: order.id,
    brandId: order.brandId,
    number: order.number,
    externalId: order.externalId,
    channel: order.channel,
    customer: { name: order.customerName, email: order.customerEmail },
    placedAt: order.placedAt.toISOString(),
    shippingAddress: order.shippingAddress,
    shippingCost: order.shippingCostCents / 100,
    currency: order.currency,
    items: agg.items.map((i) => ({
      sku: i.sku,
      name: i.name,
      qty: i.qty,
      unitPrice: i.unitPriceCents / 100,
      category: i.category,
    })),
    purchaseOrders: agg.purchaseOrders.map(({ po, vendor, items, shipments }) => {
      const facts = poFacts(pack, agg, po.id, now);
      return {
        id: po.id,
        number: po.number,
        vendor: vendor.name,
        status: po.status,
        refunded: po.refunded,
        version: po.version,
        items: items.map((l) => ({
          sku: l.sku,
          qty: l.qty,
          shippedQty: l.shippedQty,
          outOfStock: l.outOfStock,
          canceled: l.canceled,
        })),
        shipments: shipments.map(({ shipment, events }) => ({
          carrier: shipment.carrier,
          trackingNumber: shipment.trackingNumber,
          events: events.map((e) => ({
            at: e.at.toISOString(),
            status: e.status,
            description: e.description,
          })),
        })),
        history: history
          .filter((h) => h.poId === po.id)
          .map((h) => ({
            from: h.fromStatus,
            to: h.toStatus,
            by: h.actorLabel,
            reason: h.reason,
            at: h.at.toISOString(),
          })),
        nextStatuses: (transitions[po.status] ?? []).map((status) => {
          const violations = checkPoStatusChange(pack, facts, {
            from: po.status,
            to: status,
            actor: { role: access.role.title, capabilities: access.role.capabilities },
          });
          return { status, allowed: violations.length === 0, reasons: violations.map((v) => v.message) };
        }),
      };
    }),
  };
}

export const orderRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const packOf = (access: BrandAccess) => deps.packs.get(access.brand.packId)!;

    app.post(
      '/brands/:brandId/orders',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Creates an order with its items and purchase orders (capability orders.import); idempotent on externalId',
          params: brandParams,
          body: orderInput,
          response: {
            200: z.object({ data: orderSchema }),
            201: z.object({ data: orderSchema }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const { access, result } = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'orders.import');
          return {
            access,
            result: await importOrder(tx, ctx, access.brand.id, packOf(access), request.body),
          };
        });
        const agg = (await loadOrder(db, access.brand.id, result.orderId))!;
        return reply
          .status(result.created ? 201 : 200)
          .send({ data: await presentOrder(db, packOf(access), access, agg, request.now) });
      },
    );

    app.get(
      '/brands/:brandId/orders',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary: 'The brand’s orders, newest first',
          params: brandParams,
          querystring: z.strictObject({
            limit: z.coerce.number().int().min(1).max(200, { error: 'must be at most 200' }).default(50),
            before: instant.optional().describe('Page: orders placed before this time'),
          }),
          response: {
            200: z.object({
              data: z.array(
                z.object({
                  id: z.uuid(),
                  number: z.string(),
                  channel: z.string(),
                  placedAt: z.string(),
                  customerEmail: z.string().nullable(),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(db, contextOf(request).actor, request.params.brandId);
        const rows = await db
          .select()
          .from(orders)
          .where(
            and(
              eq(orders.brandId, access.brand.id),
              request.query.before ? lt(orders.placedAt, new Date(request.query.before)) : undefined,
            ),
          )
          .orderBy(desc(orders.placedAt))
          .limit(request.query.limit);
        return {
          data: rows.map((o) => ({
            id: o.id,
            number: o.number,
            channel: o.channel,
            placedAt: o.placedAt.toISOString(),
            customerEmail: o.customerEmail,
          })),
        };
      },
    );

    app.get(
      '/orders/:orderId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary: 'One order with its items, purchase orders, shipments, tracking and PO history',
          params: z.strictObject({ orderId: uuidParam('orderId') }),
          response: { 200: z.object({ data: orderSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const [row] = await db
          .select({ brandId: orders.brandId })
          .from(orders)
          .where(eq(orders.id, request.params.orderId));
        const access = await requireBrandOf(db, actor, row?.brandId, 'order');
        const agg = (await loadOrder(db, access.brand.id, request.params.orderId))!;
        return { data: await presentOrder(db, packOf(access), access, agg, request.now) };
      },
    );

    app.post(
      '/purchase-orders/:poId/status',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Moves a purchase order to another status, through the brand pack’s guardrails (422 guardrail_violation names the rule)',
          params: z.strictObject({ poId: uuidParam('poId') }),
          body: z.strictObject({
            status: z.string().min(1, { error: 'is required' }),
            reason: z.string().max(1000).optional(),
            version: z
              .int()
              .min(1)
              .optional()
              .describe('The version you loaded; a stale one is refused with 409'),
          }),
          response: { 200: z.object({ data: orderSchema }), 422: errorResponses[400], ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: purchaseOrders.brandId, orderId: purchaseOrders.orderId })
          .from(purchaseOrders)
          .where(eq(purchaseOrders.id, request.params.poId));
        const access = await requireBrandOf(db, ctx.actor, row?.brandId, 'purchase order');
        await db.transaction((tx) =>
          setPoStatus(tx, ctx, access, packOf(access), request.params.poId, request.body),
        );
        const agg = (await loadOrder(db, access.brand.id, row!.orderId))!;
        return { data: await presentOrder(db, packOf(access), access, agg, request.now) };
      },
    );

    app.post(
      '/orders/:orderId/cancel',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Cancels the items of an order (or of the POs named) that have not shipped (capability order.cancel); outside the pack’s cancellation window an approved exception (HPER) is needed first (422 guardrail_violation names the rule)',
          params: z.strictObject({ orderId: uuidParam('orderId') }),
          body: z.strictObject({
            purchaseOrders: z
              .array(z.uuid({ error: 'must be a UUID' }))
              .min(1)
              .max(100)
              .optional(),
            reason: z.string().max(1000).optional(),
          }),
          response: { 200: z.object({ data: orderSchema }), 422: errorResponses[400], ...errorResponses },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: orders.brandId })
          .from(orders)
          .where(eq(orders.id, request.params.orderId));
        const access = await requireBrandOf(db, ctx.actor, row?.brandId, 'order', 'order.cancel');
        await db.transaction((tx) =>
          cancelOrder(tx, ctx, access, packOf(access), request.params.orderId, request.body),
        );
        const agg = (await loadOrder(db, access.brand.id, request.params.orderId))!;
        return { data: await presentOrder(db, packOf(access), access, agg, request.now) };
      },
    );
  };
