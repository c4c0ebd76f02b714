import { type Capability, REFUND_KINDS } from '@casebook/core';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Actor, Deps } from '../context';
import type { Queryable } from '../db/client';
import { customers, orders } from '../db/schema';
import { feedFinanceTracker } from '../money/finance';
import { issueRefund, listRefunds, refundState } from '../money/refunds';
import { createReshipment, listReshipments } from '../money/reshipments';
import {
  findOrderCustomer,
  issueStoreCredit,
  storeCreditAccount,
  useStoreCredit,
} from '../money/storeCredit';
import { loadOrder, type OrderAggregate } from '../orders/aggregate';
import { type BrandAccess, can, requireBrandOf } from '../policies';
import { errorResponses, uuidParam } from './schemas';

const minor = z
  .int({ error: 'must be a whole number of minor units (cents)' })
  .min(1, { error: 'must be more than 0' })
  .max(1_000_000_000, { error: 'is too large' });
const reason = z.string().trim().min(1, { error: 'must not be empty' }).max(1000);
const sku = z.string().trim().min(1, { error: 'must not be empty' }).max(64);
const ticketId = uuidParam('ticketId').optional().describe('The ticket the change was made from');

const refundInput = z.strictObject({
  kind: z.enum(REFUND_KINDS, { error: `must be one of: ${REFUND_KINDS.join(', ')}` }),
  amount: minor
    .optional()
    .describe('In minor units (cents); omitted: everything of this kind still refundable'),
  items: z
    .array(z.strictObject({ sku, amount: minor.optional().describe('In minor units (cents)') }))
    .min(1, { error: 'must name at least one item' })
    .optional()
    .describe('item_cost only: the items refunded (default: every item)'),
  reason,
  ticketId,
});

const reshipmentInput = z.strictObject({
  items: z
    .array(z.strictObject({ sku, qty: z.int().min(1, { error: 'must be at least 1' }) }))
    .min(1, { error: 'must name at least one item' }),
  reason,
  originalPoId: uuidParam('originalPoId').optional().describe('The PO whose shipment this replaces'),
  vendor: z.string().trim().min(1).max(200).optional().describe('Default: the original PO’s vendor'),
  number: z.string().trim().min(1).max(64).optional().describe('The new PO’s number (default: <PO>-R<n>)'),
  ticketId,
});

const storeCreditInput = z.strictObject({
  kind: z.enum(['issue', 'use'], { error: 'must be issue or use' }),
  amount: minor.describe('In minor units (cents)'),
  reason,
  orderId: uuidParam('orderId').optional(),
  ticketId,
});

const moneySchema = z.object({
  orderId: z.uuid(),
  currency: z.string(),
  state: z.enum(['paid', 'partially_refunded', 'refunded']),
  totals: z
    .object({
      items: z.number(),
      shipping: z.number(),
      refundedItems: z.number(),
      refundedShipping: z.number(),
      refundable: z.object({ full: z.number(), item_cost: z.number(), shipping_only: z.number() }),
    })
    .describe('Minor units (cents)'),
  items: z.array(z.object({ sku: z.string(), name: z.string(), total: z.number(), refunded: z.number() })),
  refunds: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(REFUND_KINDS),
      amount: z.number(),
      itemAmount: z.number(),
      shippingAmount: z.number(),
      currency: z.string(),
      items: z.array(z.object({ sku: z.string(), amount: z.number() })),
      reason: z.string(),
      ticketId: z.uuid().nullable(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  reshipments: z.array(
    z.object({
      id: z.uuid(),
      reason: z.string(),
      po: z.object({
        id: z.uuid(),
        number: z.string(),
        status: z.string(),
        vendor: z.string(),
        items: z.array(z.object({ sku: z.string(), qty: z.number() })),
      }),
      originalPoNumber: z.string().nullable(),
      ticketId: z.uuid().nullable(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  customer: z
    .object({ id: z.uuid(), name: z.string().nullable(), storeCredit: z.number(), frozen: z.boolean() })
    .nullable()
    .describe('The customer the order’s email belongs to, with their store credit (minor units)'),
  allowed: z.array(z.enum(['refund', 'reship', 'store_credit'])),
});

const storeCreditSchema = z.object({
  customerId: z.uuid(),
  balance: z.number().describe('Minor units (cents)'),
  totals: z.object({ issued: z.number(), used: z.number(), removed: z.number() }),
  frozen: z
    .object({ since: z.string(), reason: z.string(), by: z.string(), approvalId: z.string().nullable() })
    .nullable()
    .describe('Set while a store credit removal is open: no credit can be used'),
  entries: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(['issued', 'used', 'removed']),
      amount: z.number(),
      balanceAfter: z.number(),
      reason: z.string(),
      orderId: z.uuid().nullable(),
      ticketId: z.uuid().nullable(),
      approvalId: z.string().nullable(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
  allowed: z.array(z.enum(['issue', 'use'])),
});

const orderParams = z.strictObject({ orderId: uuidParam('orderId') });
const customerParams = z.strictObject({ customerId: uuidParam('customerId') });

/** The money side of one order as the API shows it: totals, refunds, reshipments, the customer's credit. */
async function presentMoney(db: Queryable, access: BrandAccess, agg: OrderAggregate) {
  const [state, refundRows, reshipRows, customer] = await Promise.all([
    refundState(db, agg),
    listRefunds(db, agg),
    listReshipments(db, agg),
    findOrderCustomer(db, agg.order.brandId, agg.order.id),
  ]);
  const account = customer ? await storeCreditAccount(db, agg.order.brandId, customer.id, 0) : null;
  const itemsLeft = state.itemsTotal - state.refundedItems;
  const shippingLeft = state.shippingTotal - state.refundedShipping;
  return {
    orderId: agg.order.id,
    currency: state.currency,
    state: state.state,
    totals: {
      items: state.itemsTotal,
      shipping: state.shippingTotal,
      refundedItems: state.refundedItems,
      refundedShipping: state.refundedShipping,
      refundable: { full: itemsLeft + shippingLeft, item_cost: itemsLeft, shipping_only: shippingLeft },
    },
    items: agg.items.map((i) => ({
      sku: i.sku,
      name: i.name,
      total: i.qty * i.unitPriceCents,
      refunded: state.refundedByItem.get(i.id) ?? 0,
    })),
    refunds: refundRows.map((r) => ({
      id: r.id,
      kind: r.kind,
      amount: r.amountCents,
      itemAmount: r.itemCents,
      shippingAmount: r.shippingCents,
      currency: r.currency,
      items: r.items.map((l) => ({ sku: l.sku, amount: l.amountCents })),
      reason: r.reason,
      ticketId: r.ticketId,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    })),
    reshipments: reshipRows.map((r) => ({
      id: r.id,
      reason: r.reason,
      po: r.po,
      originalPoNumber: r.originalPoNumber,
      ticketId: r.ticketId,
      createdBy: r.createdBy,
      createdAt: r.createdAt.toISOString(),
    })),
    customer:
      customer && account
        ? {
            id: customer.id,
            name: customer.name,
            storeCredit: account.balance,
            frozen: account.freeze !== null,
          }
        : null,
    allowed: [
      ...(can(access, 'refund.issue') ? (['refund', 'store_credit'] as const) : []),
      ...(can(access, 'reshipments.create') ? (['reship'] as const) : []),
    ],
  };
}

async function presentStoreCredit(db: Queryable, access: BrandAccess, customerId: string) {
  const account = await storeCreditAccount(db, access.brand.id, customerId);
  return {
    customerId,
    balance: account.balance,
    totals: account.totals,
    frozen: account.freeze
      ? {
          since: account.freeze.frozenAt.toISOString(),
          reason: account.freeze.reason,
          by: account.freeze.frozenBy,
          approvalId: account.freeze.approvalId,
        }
      : null,
    entries: account.entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      amount: e.amountCents,
      balanceAfter: e.balanceAfterCents,
      reason: e.reason,
      orderId: e.orderId,
      ticketId: e.ticketId,
      approvalId: e.approvalId,
      createdBy: e.createdBy,
      createdAt: e.createdAt.toISOString(),
    })),
    allowed: can(access, 'refund.issue')
      ? account.freeze
        ? ['issue' as const]
        : ['issue' as const, 'use' as const]
      : [],
  };
}

export const moneyRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    /** Access to the brand of an order (another brand's is "No such order"), with a capability when given. */
    async function orderAccess(orderId: string, actor: Actor, capability?: Capability) {
      const [row] = await db.select({ brandId: orders.brandId }).from(orders).where(eq(orders.id, orderId));
      return requireBrandOf(db, actor, row?.brandId, 'order', capability);
    }

    async function customerAccess(customerId: string, actor: Actor, capability?: Capability) {
      const [row] = await db
        .select({ brandId: customers.brandId })
        .from(customers)
        .where(eq(customers.id, customerId));
      return requireBrandOf(db, actor, row?.brandId, 'customer', capability);
    }

    app.get(
      '/orders/:orderId/money',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['money'],
          summary:
            'An order’s money: what it cost, what was refunded and is still refundable, reshipments, the customer’s store credit',
          params: orderParams,
          response: { 200: z.object({ data: moneySchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await orderAccess(request.params.orderId, contextOf(request).actor);
        const agg = (await loadOrder(db, access.brand.id, request.params.orderId))!;
        return { data: await presentMoney(db, access, agg) };
      },
    );

    app.post(
      '/orders/:orderId/refunds',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['money'],
          summary:
            'Issues a refund on an order (capability refund.issue): full, item cost only or shipping only. 422 guardrail_violation when a pack rule refuses the kind (details.rule) or the amount is more than what is refundable (details.field)',
          params: orderParams,
          body: refundInput,
          response: { 201: z.object({ data: moneySchema }), 422: errorResponses[400], ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await orderAccess(request.params.orderId, ctx.actor, 'refund.issue');
        const pack = deps.packs.get(access.brand.packId)!;
        await db.transaction(async (tx) => {
          const refund = await issueRefund(tx, ctx, access, pack, request.params.orderId, request.body);
          await feedFinanceTracker(tx, ctx, access, pack, 'refund', {
            orderId: request.params.orderId,
            amountCents: refund.amountCents,
            reason: request.body.reason,
            ticketId: request.body.ticketId,
          });
        });
        const agg = (await loadOrder(db, access.brand.id, request.params.orderId))!;
        return reply.status(201).send({ data: await presentMoney(db, access, agg) });
      },
    );

    app.post(
      '/orders/:orderId/reshipments',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['money'],
          summary:
            'Reships items of an order (capability reshipments.create): a new purchase order for them, with the reason',
          params: orderParams,
          body: reshipmentInput,
          response: { 201: z.object({ data: moneySchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await orderAccess(request.params.orderId, ctx.actor, 'reshipments.create');
        const pack = deps.packs.get(access.brand.packId)!;
        await db.transaction(async (tx) => {
          await createReshipment(tx, ctx, access.brand.id, pack, request.params.orderId, request.body);
          await feedFinanceTracker(tx, ctx, access, pack, 'reshipment', {
            orderId: request.params.orderId,
            items: request.body.items,
            reason: request.body.reason,
            ticketId: request.body.ticketId,
          });
        });
        const agg = (await loadOrder(db, access.brand.id, request.params.orderId))!;
        return reply.status(201).send({ data: await presentMoney(db, access, agg) });
      },
    );

    app.get(
      '/customers/:customerId/store-credit',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['money'],
          summary:
            'A customer’s store credit: balance, whether it is frozen, totals and the ledger (newest first)',
          params: customerParams,
          response: { 200: z.object({ data: storeCreditSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await customerAccess(request.params.customerId, contextOf(request).actor);
        return { data: await presentStoreCredit(db, access, request.params.customerId) };
      },
    );

    app.post(
      '/customers/:customerId/store-credit',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['money'],
          summary:
            'Issues or uses store credit (capability refund.issue). Using it is refused (422) while a store credit removal is open or above the balance',
          params: customerParams,
          body: storeCreditInput,
          response: {
            201: z.object({ data: storeCreditSchema }),
            422: errorResponses[400],
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const access = await customerAccess(request.params.customerId, ctx.actor, 'refund.issue');
        await db.transaction(async (tx) => {
          const { kind, ...change } = request.body;
          const input = { ...change, brandId: access.brand.id, customerId: request.params.customerId };
          if (kind === 'issue') {
            await issueStoreCredit(tx, ctx, input);
            if (input.orderId)
              await feedFinanceTracker(
                tx,
                ctx,
                access,
                deps.packs.get(access.brand.packId)!,
                'store_credit',
                {
                  orderId: input.orderId,
                  amountCents: input.amount,
                  reason: input.reason,
                  ticketId: input.ticketId,
                },
              );
          } else await useStoreCredit(tx, ctx, input);
        });
        return reply
          .status(201)
          .send({ data: await presentStoreCredit(db, access, request.params.customerId) });
      },
    );
  };
