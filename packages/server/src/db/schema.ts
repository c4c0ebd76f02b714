import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tsvector, updatedAt } from './columns';

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
    // Finding the orders a message names or its sender placed (ticket auto-linking).
    index('orders_brand_upper_number_idx').on(t.brandId, sql`upper(${t.number})`),
    index('orders_brand_lower_email_idx').on(t.brandId, sql`lower(${t.customerEmail})`, t.placedAt),
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

// ---------------------------------------------------------------------------------------------
// Helpdesk: customers, tickets, messages, side conversations, queues, SLAs, macros, email, jobs.
// ---------------------------------------------------------------------------------------------

/** A person who writes to the brand. Known by any of their email addresses (`customer_emails`). */
export const customers = pgTable(
  'customers',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** The address replies go to; every address (this one included) is in `customer_emails`. */
    email: text('email'),
    phone: text('phone'),
    notes: text('notes'),
    storeCreditCents: integer('store_credit_cents').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('customers_brand_name_idx').on(t.brandId, t.name)],
);

export const customerEmails = pgTable(
  'customer_emails',
  {
    brandId: uuid('brand_id').notNull(),
    /** Stored lower-cased. */
    email: text('email').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('customer_emails_brand_email_key').on(t.brandId, t.email),
    index('customer_emails_customer_idx').on(t.customerId),
  ],
);

/** Business hours and response targets a brand's tickets are measured against. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Applies to tickets of these priorities (all when empty); the lowest position wins. */
    priorities: text('priorities').array().notNull().default(sql`'{}'::text[]`),
    position: integer('position').notNull().default(0),
    firstResponseMinutes: integer('first_response_minutes'),
    nextResponseMinutes: integer('next_response_minutes'),
    resolutionMinutes: integer('resolution_minutes'),
    /** A warning is raised this many minutes before a target is due. */
    warnMinutes: integer('warn_minutes').notNull().default(60),
    /** `{ timezone, days: [1..7 ISO weekdays], start: 'HH:MM', end: 'HH:MM', holidays: ['YYYY-MM-DD'] }`, or null for 24/7. */
    businessHours: jsonb('business_hours'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('sla_policies_brand_name_key').on(t.brandId, t.name)],
);

/** Where tickets wait to be worked: the pack's escalation buckets and the brand's own queues. */
export const queues = pgTable(
  'queues',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['queue', 'escalation'] })
      .notNull()
      .default('queue'),
    description: text('description'),
    source: text('source', { enum: ['pack', 'custom'] }).notNull(),
    /** 'manual' leaves assignment to people; 'round_robin' gives each new ticket to the next member. */
    assignment: text('assignment', { enum: ['manual', 'round_robin'] })
      .notNull()
      .default('manual'),
    /** Users taking part in round-robin assignment. */
    memberIds: uuid('member_ids').array().notNull().default(sql`'{}'::uuid[]`),
    lastAssignedUserId: uuid('last_assigned_user_id'),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('queues_brand_name_key').on(t.brandId, t.name)],
);

export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 1000 });

/** A customer's case: one conversation, its status, owner and SLA clock. */
export const tickets = pgTable(
  'tickets',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    /** The number people quote ("#1042"), unique across the installation. */
    number: bigint('number', { mode: 'number' }).notNull().default(sql`nextval('ticket_number_seq')`),
    /** A random token in reply addresses and subjects so answers thread back to the ticket. */
    token: text('token').notNull(),
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    subject: text('subject').notNull(),
    status: text('status').notNull(),
    /** Whether the status is one that still needs work (open, pending or on hold), for queue lists. */
    active: boolean('active').notNull().default(true),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    queueId: uuid('queue_id').references(() => queues.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    category: text('category'),
    /** The intent an agent chose over the inferred one, for the advice panel. */
    intentOverride: text('intent_override'),
    mergedIntoId: uuid('merged_into_id'),
    /** The integration's Idempotency-Key the ticket was created with. */
    idempotencyKey: text('idempotency_key'),
    slaPolicyId: uuid('sla_policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
    nextResponseDueAt: timestamp('next_response_due_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
    /** The earliest open SLA target: what views sort by. Null when nothing is due. */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    /**
     * When an SOP follow-up came due and brought the ticket back; it sorts with the SLA targets
     * until an agent replies or changes the status.
     */
    followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }),
    /** 'ok', 'warning' or 'breached', kept current by the SLA job. */
    slaState: text('sla_state', { enum: ['ok', 'warning', 'breached'] })
      .notNull()
      .default('ok'),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { withTimezone: true }),
    lastAgentReplyAt: timestamp('last_agent_reply_at', { withTimezone: true }),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tickets_number_key').on(t.number),
    uniqueIndex('tickets_token_key').on(t.token),
    uniqueIndex('tickets_brand_idempotency_key').on(t.brandId, t.idempotencyKey),
    index('tickets_queue_sla_idx').on(t.brandId, t.queueId, t.slaDueAt, t.id).where(sql`active`),
    index('tickets_brand_sla_idx').on(t.brandId, t.slaDueAt, t.id).where(sql`active`),
    index('tickets_brand_updated_idx').on(t.brandId, t.updatedAt, t.id),
    index('tickets_brand_status_idx').on(t.brandId, t.status),
    index('tickets_brand_assignee_idx').on(t.brandId, t.assigneeId, t.status),
    index('tickets_customer_idx').on(t.customerId),
    index('tickets_tags_idx').using('gin', t.tags),
  ],
);

/** A thread with a vendor, supplier or carrier, opened from a ticket; the customer never sees it. */
export const sideConversations = pgTable(
  'side_conversations',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    withKind: text('with_kind', { enum: ['vendor', 'supplier', 'carrier'] }).notNull(),
    vendorId: uuid('vendor_id').references(() => vendors.id, { onDelete: 'set null' }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    status: text('status', { enum: ['open', 'waiting', 'closed'] })
      .notNull()
      .default('open'),
    token: text('token').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('side_conversations_token_key').on(t.token),
    index('side_conversations_ticket_idx').on(t.ticketId),
  ],
);

/**
 * A message on a ticket: a public reply or an internal note, from the customer, an agent, a vendor
 * or a supplier. Side-conversation messages carry `side_conversation_id` and never reach the customer.
 */
export const messages = pgTable(
  'messages',
  {
    id: id(),
    /** Insertion order, to keep messages of the same instant in the order they were written. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    brandId: uuid('brand_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    sideConversationId: uuid('side_conversation_id').references(() => sideConversations.id, {
      onDelete: 'cascade',
    }),
    kind: text('kind', { enum: ['reply', 'note'] }).notNull(),
    direction: text('direction', { enum: ['in', 'out', 'internal'] }).notNull(),
    authorType: text('author_type', {
      enum: ['customer', 'agent', 'vendor', 'supplier', 'carrier', 'system'],
    }).notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    fromName: text('from_name'),
    fromAddress: text('from_address'),
    toAddresses: text('to_addresses').array().notNull().default(sql`'{}'::text[]`),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    bodyText: text('body_text').notNull(),
    /** Sanitised on the way in; rendered only in a sandboxed frame. */
    bodyHtml: text('body_html'),
    /** The RFC 5322 Message-ID, ours for outbound mail, the sender's for inbound. */
    emailMessageId: text('email_message_id'),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    /** For outbound mail: 'queued', 'sent', 'kept' (no SMTP configured) or 'failed'. */
    deliveryState: text('delivery_state'),
    macroName: text('macro_name'),
    /** Set when the message was moved here by a merge or split. */
    movedFromTicketId: uuid('moved_from_ticket_id'),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`to_tsvector('english', replace(coalesce("subject", '') || ' ' || left("body_text", 100000), '<', '< '))`,
      ),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_ticket_idx').on(t.ticketId, t.createdAt),
    // Partial: most messages have neither (notes, API and web messages; the ticket's own thread),
    // and an index entry per message would be written for nothing.
    index('messages_brand_email_message_id_idx')
      .on(t.brandId, t.emailMessageId)
      .where(sql`email_message_id is not null`),
    index('messages_side_conversation_idx')
      .on(t.sideConversationId)
      .where(sql`side_conversation_id is not null`),
    index('messages_search_idx').using('gin', t.search),
    index('messages_brand_created_idx').on(t.brandId, t.createdAt),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

/** Each inbound email once: the same Message-ID with the same content is stored a single time. */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    emailMessageId: text('email_message_id').notNull(),
    contentHash: text('content_hash').notNull(),
    messageId: uuid('message_id'),
    receivedVia: text('received_via', { enum: ['smtp', 'imap'] }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('inbound_emails_key').on(t.brandId, t.emailMessageId, t.contentHash)],
);

/** Everything that happened to a ticket, in order: the ticket's own history. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actorLabel: text('actor_label').notNull(),
    data: jsonb('data').notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ticket_events_ticket_idx').on(t.ticketId, t.id),
    /** The SLA attainment report reads a brand's breaches over a period. */
    index('ticket_events_sla_breached_idx').on(t.brandId, t.at).where(sql`kind = 'sla_breached'`),
  ],
);

export const ticketOrders = pgTable(
  'ticket_orders',
  {
    brandId: uuid('brand_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    /** 'auto' when a message named the order or came from its email; 'user' when linked by hand. */
    linkedBy: text('linked_by', { enum: ['auto', 'user'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.orderId] }), index('ticket_orders_order_idx').on(t.orderId)],
);

/** Macros admins write in the UI, beside the pack's own. */
export const macros = pgTable(
  'macros',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    title: text('title'),
    body: text('body').notNull(),
    /** Actions applied with the reply: `[{ type: 'set_status', status }, ...]`. */
    actions: jsonb('actions').notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('macros_brand_name_key').on(t.brandId, t.name)],
);

/** A saved ticket list: filters and sort, shared with the brand or private to one user. */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    /** Null for a view shared with the whole brand. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    filters: jsonb('filters').notNull().default({}),
    sort: text('sort').notNull().default('sla'),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('saved_views_brand_idx').on(t.brandId)],
);

/** How a brand sends and receives mail. */
export const mailSettings = pgTable('mail_settings', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  /** The support address customers write to, e.g. `support@store.example`. */
  address: text('address').notNull(),
  fromName: text('from_name').notNull(),
  /** An IMAP mailbox to poll: `{ host, port, secure, user, password, mailbox }`, or null. */
  imap: jsonb('imap'),
  version: integer('version').notNull().default(1),
  updatedAt: updatedAt(),
});

/** Who is looking at or replying to a ticket right now, for the collision notice. */
export const ticketPresence = pgTable(
  'ticket_presence',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id').notNull(),
    mode: text('mode', { enum: ['viewing', 'replying'] }).notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/** Whether an agent followed the advice panel's action or went another way. */
export const adviceOutcomes = pgTable(
  'advice_outcomes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id'),
    rule: text('rule'),
    intent: text('intent'),
    action: jsonb('action'),
    outcome: text('outcome', { enum: ['followed', 'overridden'] }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('advice_outcomes_brand_at_idx').on(t.brandId, t.at)],
);

/**
 * The job queue and transactional outbox: a job is written in the transaction of the change that
 * needs it, and workers in any app instance claim due jobs with `FOR UPDATE SKIP LOCKED`.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id'),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    /** At most one live job per key (e.g. one follow-up per ticket and rule). */
    uniqueKey: text('unique_key'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lockedBy: text('locked_by'),
    state: text('state', { enum: ['pending', 'done', 'failed', 'canceled'] })
      .notNull()
      .default('pending'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_due_idx').on(t.runAt).where(sql`state = 'pending'`),
    uniqueIndex('jobs_unique_key').on(t.uniqueKey).where(sql`state = 'pending'`),
    index('jobs_brand_kind_idx').on(t.brandId, t.kind, t.state),
  ],
);

/** Each submission of a brand's public contact form, for rate limiting across app instances. */
export const formSubmissions = pgTable(
  'form_submissions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    ip: text('ip').notNull(),
    ticketId: uuid('ticket_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('form_submissions_ip_at_idx').on(t.ip, t.at),
    index('form_submissions_brand_at_idx').on(t.brandId, t.at),
  ],
);
export * from './schema-imports.js';
export * from './schema-money.js';
export * from './schema-trackers.js';
export * from './schema-training.js';
export * from './schema-workflow.js';
export * from './schema-worklog.js';
