import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A person who signs in. Brand access comes only from memberships. */
export const users = pgTable(
  'users',
  {
    id: id(),
    /** Stored lower-cased; unique across the organization. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** Organization admins create brands and accounts; brand access still needs a membership. */
    isOrgAdmin: boolean('is_org_admin').notNull().default(false),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email)],
);

/** A store (or client of an outsourcing firm) with its own SOP pack. Every business row has one. */
export const brands = pgTable(
  'brands',
  {
    id: id(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    packId: text('pack_id').notNull(),
    packVersion: text('pack_version').notNull(),
    /**
     * The key integrations sign webhooks with (HMAC-SHA256), e.g. tracking events. Random per
     * brand; admins read and rotate it.
     */
    webhookSecret: text('webhook_secret')
      .notNull()
      .default(sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('brands_slug_key').on(t.slug)],
);

/** A named set of capabilities in one brand: from the brand's pack, or made by a brand admin. */
export const roles = pgTable(
  'roles',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    capabilities: text('capabilities').array().notNull().default(sql`'{}'::text[]`),
    external: boolean('external').notNull().default(false),
    /** 'pack' roles follow the pack and cannot be edited; 'custom' roles belong to the brand. */
    source: text('source', { enum: ['pack', 'custom'] }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('roles_brand_name_key').on(t.brandId, t.name)],
);

/** A user's place in a brand, with exactly one role there. */
export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('memberships_brand_user_key').on(t.brandId, t.userId),
    index('memberships_user_idx').on(t.userId),
  ],
);

/** A signed-in browser. Only a keyed hash of the cookie value is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** A credential for an integration, bound to one brand and one role there. Shown once, stored hashed. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The first characters of the token, so people can tell tokens apart. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_key').on(t.tokenHash),
    index('api_tokens_brand_idx').on(t.brandId),
  ],
);

/** Every sign-in attempt, kept for rate limiting across app instances. */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    email: text('email').notNull(),
    ip: text('ip').notNull(),
    succeeded: boolean('succeeded').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('login_attempts_email_at_idx').on(t.email, t.at),
    index('login_attempts_ip_at_idx').on(t.ip, t.at),
  ],
);

/**
 * Append-only record of every state change, written in the transaction of the change.
 * A trigger refuses UPDATE and DELETE (see the migration `audit_log_append_only`).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for organization-level changes (accounts, brands being created). */
    brandId: uuid('brand_id'),
    actorType: text('actor_type', { enum: ['user', 'api_token', 'system'] }).notNull(),
    actorId: uuid('actor_id'),
    actorLabel: text('actor_label').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_brand_at_idx').on(t.brandId, t.at),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
  ],
);

/** A vendor or supplier of a brand, fulfilling purchase orders. Policies come from the pack by name. */
export const vendors = pgTable(
  'vendors',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    contactEmail: text('contact_email'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('vendors_brand_name_key').on(t.brandId, t.name)],
);

/** A customer's order, as the store or marketplace placed it. Money is in minor units (cents). */
export const orders = pgTable(
  'orders',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    /** The order number people use ("A1007"); unique in the brand. */
    number: text('number').notNull(),
    /** The id in the system the order came from, for idempotent imports. */
    externalId: text('external_id'),
    channel: text('channel').notNull(),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    shippingAddress: jsonb('shipping_address'),
    shippingCostCents: integer('shipping_cost_cents').notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_brand_number_key').on(t.brandId, t.number),
    uniqueIndex('orders_brand_external_id_key').on(t.brandId, t.externalId),
    index('orders_brand_placed_idx').on(t.brandId, t.placedAt),
    index('orders_brand_customer_email_idx').on(t.brandId, t.customerEmail),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    qty: integer('qty').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    category: text('category'),
    hasSerialNumber: boolean('has_serial_number'),
    hasModelNumber: boolean('has_model_number'),
    hasPartNumber: boolean('has_part_number'),
  },
  (t) => [index('order_items_order_idx').on(t.orderId)],
);

/** The part of an order one vendor fulfils. Its status moves only through the pack's guardrails. */
export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** The PO number people use ("PO-7"); unique in the brand. */
    number: text('number').notNull(),
    vendorId: uuid('vendor_id')
      .notNull()
      .references(() => vendors.id),
    status: text('status').notNull(),
    refunded: boolean('refunded').notNull().default(false),
    sentToVendorAt: timestamp('sent_to_vendor_at', { withTimezone: true }),
    vendorCancelOptionAvailable: boolean('vendor_cancel_option_available'),
    freight: boolean('freight').notNull().default(false),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('purchase_orders_brand_number_key').on(t.brandId, t.number),
    index('purchase_orders_order_idx').on(t.orderId),
  ],
);

export const poItems = pgTable(
  'po_items',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    qty: integer('qty').notNull(),
    shippedQty: integer('shipped_qty').notNull().default(0),
    outOfStock: boolean('out_of_stock').notNull().default(false),
    canceled: boolean('canceled').notNull().default(false),
  },
  (t) => [index('po_items_po_idx').on(t.poId)],
);

export const shipments = pgTable(
  'shipments',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    carrier: text('carrier'),
    trackingNumber: text('tracking_number').notNull(),
    returnedToSenderReason: text('returned_to_sender_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('shipments_brand_tracking_key').on(t.brandId, t.trackingNumber),
    index('shipments_po_idx').on(t.poId),
  ],
);

export const trackingEvents = pgTable(
  'tracking_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    description: text('description'),
    /** The sender's id for the event, so a replayed delivery is stored once. */
    externalId: text('external_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('tracking_events_brand_external_key').on(t.brandId, t.externalId),
    index('tracking_events_shipment_at_idx').on(t.shipmentId, t.at),
  ],
);

/** Every status a PO has had: who moved it, from what, to what and why. */
export const poStatusChanges = pgTable(
  'po_status_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorLabel: text('actor_label').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('po_status_changes_po_idx').on(t.poId, t.at)],
);
