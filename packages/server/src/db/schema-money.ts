import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { at, id } from './columns';
import { brands, customers, orderItems, orders, purchaseOrders, tickets } from './schema';

/**
 * The money side of orders: refunds (with the items they cover), reshipments, store credit (a
 * ledger per customer, and freezes while a removal is pending) and warranty plans with claims.
 * Money is in minor units. Every record says why, who and when, and may name the ticket it came from.
 */

const brandId = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });
const ticketId = () => uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' });
/** Insertion order, so records made in the same instant still list in the order they were made. */
const seq = () => bigserial('seq', { mode: 'number' });

/** Money given back on an order: its kind, and how much of it was item cost and how much shipping. */
export const refunds = pgTable(
  'refunds',
  {
    id: id(),
    seq: seq(),
    brandId: brandId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    ticketId: ticketId(),
    kind: text('kind', { enum: ['full', 'item_cost', 'shipping_only'] }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    itemCents: integer('item_cents').notNull(),
    shippingCents: integer('shipping_cents').notNull(),
    currency: text('currency').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('refunds_order_idx').on(t.orderId, t.createdAt), index('refunds_ticket_idx').on(t.ticketId)],
);

/** The part of a refund's item cost that went to each order item. */
export const refundItems = pgTable(
  'refund_items',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    refundId: uuid('refund_id')
      .notNull()
      .references(() => refunds.id, { onDelete: 'cascade' }),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id, { onDelete: 'cascade' }),
    amountCents: integer('amount_cents').notNull(),
  },
  (t) => [index('refund_items_refund_idx').on(t.refundId), index('refund_items_item_idx').on(t.orderItemId)],
);

/** Items sent again: a new purchase order for them, with the reason. */
export const reshipments = pgTable(
  'reshipments',
  {
    id: id(),
    seq: seq(),
    brandId: brandId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** The new PO that carries the items. */
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    /** The PO whose shipment is replaced, when there was one. */
    originalPoId: uuid('original_po_id').references(() => purchaseOrders.id, { onDelete: 'set null' }),
    ticketId: ticketId(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('reshipments_order_idx').on(t.orderId, t.createdAt)],
);

/**
 * A customer's store credit ledger. `customers.store_credit_cents` is the balance; each entry is
 * one change of it (issued adds, used and removed subtract) with the balance after.
 */
export const storeCreditEntries = pgTable(
  'store_credit_entries',
  {
    id: id(),
    seq: seq(),
    brandId: brandId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['issued', 'used', 'removed'] }).notNull(),
    amountCents: integer('amount_cents').notNull(),
    balanceAfterCents: integer('balance_after_cents').notNull(),
    orderId: uuid('order_id').references(() => orders.id, { onDelete: 'set null' }),
    ticketId: ticketId(),
    /** The approval (e.g. a store credit removal) the change carries out, when there is one. */
    approvalId: text('approval_id'),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('store_credit_entries_customer_idx').on(t.customerId, t.createdAt)],
);

/** While a store credit removal is open the customer can use none of their credit. One open freeze per customer. */
export const storeCreditFreezes = pgTable(
  'store_credit_freezes',
  {
    id: id(),
    brandId: brandId(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    approvalId: text('approval_id'),
    ticketId: ticketId(),
    reason: text('reason').notNull(),
    frozenBy: text('frozen_by').notNull(),
    frozenAt: at('frozen_at').notNull(),
    releasedBy: text('released_by'),
    releasedAt: at('released_at'),
    releaseReason: text('release_reason'),
  },
  (t) => [
    uniqueIndex('store_credit_freezes_open_key').on(t.customerId).where(sql`released_at is null`),
    index('store_credit_freezes_customer_idx').on(t.customerId, t.frozenAt),
  ],
);

/** A warranty plan (a type of the brand's pack) sold with one order item, with its coverage period. */
export const warrantyPlans = pgTable(
  'warranty_plans',
  {
    id: id(),
    brandId: brandId(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    orderItemId: uuid('order_item_id')
      .notNull()
      .references(() => orderItems.id, { onDelete: 'cascade' }),
    plan: text('plan').notNull(),
    priceCents: integer('price_cents'),
    manufacturerMonths: integer('manufacturer_months').notNull(),
    startsAt: at('starts_at').notNull(),
    manufacturerEndsAt: at('manufacturer_ends_at').notNull(),
    endsAt: at('ends_at').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('warranty_plans_item_plan_key').on(t.orderItemId, t.plan),
    index('warranty_plans_order_idx').on(t.orderId),
  ],
);

/** A claim on a warranty plan. Claims the plan excludes or outside its period are refused, not stored. */
export const warrantyClaims = pgTable(
  'warranty_claims',
  {
    id: id(),
    seq: seq(),
    brandId: brandId(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => warrantyPlans.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: ['defect', 'loss', 'theft', 'accidental_damage'] }).notNull(),
    description: text('description').notNull(),
    status: text('status', { enum: ['filed', 'approved', 'denied', 'closed'] }).notNull(),
    ticketId: ticketId(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('warranty_claims_plan_idx').on(t.planId, t.createdAt)],
);
