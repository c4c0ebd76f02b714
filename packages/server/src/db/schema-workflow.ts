// Workflow: approvals, coupon pools, Kanban boards, in-app notifications and outbound webhooks.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, id } from './columns';
import { brands, tickets, users } from './schema';

const brandRef = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });

/** A request of one of the pack's approval types (HPER, MRR, proof of purchase…) and its decision. */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: id(),
    brandId: brandRef(),
    /** The pack's approval type, e.g. `proof_of_purchase`. */
    type: text('type').notNull(),
    /** One of the type's states (pack data); `requested` first. */
    state: text('state').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** Open requests of a deduplicated type with the same key are one request. */
    dedupeKey: text('dedupe_key'),
    /** The request this one follows from (an MRR after a store credit removal). */
    parentId: uuid('parent_id'),
    requestedBy: uuid('requested_by').references(() => users.id, { onDelete: 'set null' }),
    requestedByName: text('requested_by_name').notNull(),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedByName: text('decided_by_name'),
    decidedAt: at('decided_at'),
    decisionNote: text('decision_note'),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('approval_requests_brand_state_idx').on(t.brandId, t.state, t.createdAt),
    index('approval_requests_brand_type_idx').on(t.brandId, t.type, t.createdAt),
    index('approval_requests_ticket_idx').on(t.ticketId),
  ],
);

/** Each step of an approval request: requested, decided, processed, follow-ons. */
export const approvalEvents = pgTable(
  'approval_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: brandRef(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => approvalRequests.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    note: text('note'),
    data: jsonb('data').notNull().default({}),
    at: at('at').notNull(),
  },
  (t) => [index('approval_events_request_idx').on(t.requestId, t.id)],
);

/** One code of a brand's coupon pool; used codes keep who used them. */
export const couponCodes = pgTable(
  'coupon_codes',
  {
    id: id(),
    brandId: brandRef(),
    pool: text('pool').notNull(),
    code: text('code').notNull(),
    addedBy: text('added_by').notNull(),
    usedAt: at('used_at'),
    usedBy: text('used_by'),
    ticketId: uuid('ticket_id'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('coupon_codes_brand_pool_code_key').on(t.brandId, t.pool, t.code),
    index('coupon_codes_free_idx').on(t.brandId, t.pool).where(sql`used_at is null`),
  ],
);

/** A card on one of the pack's Kanban boards, linked to a ticket and/or an approval request. */
export const boardCards = pgTable(
  'board_cards',
  {
    id: id(),
    brandId: brandRef(),
    board: text('board').notNull(),
    column: text('column').notNull(),
    /** Order within the column, ascending. */
    position: integer('position').notNull().default(0),
    title: text('title').notNull(),
    /** Free references shown on the card and used by templates (`v_number`, `s_number`). */
    refs: jsonb('refs').$type<Record<string, string>>().notNull().default({}),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    approvalId: uuid('approval_id').references(() => approvalRequests.id, { onDelete: 'set null' }),
    /** Another kind of record (a tracker entry): `type:id`. */
    recordRef: text('record_ref'),
    /** When the card entered its column (timers count from here). */
    enteredColumnAt: at('entered_column_at').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    index('board_cards_board_idx').on(t.brandId, t.board, t.column, t.position),
    index('board_cards_ticket_idx').on(t.ticketId),
    index('board_cards_approval_idx').on(t.approvalId),
  ],
);

/** A comment on a card, by a person or by Casebook (a timer's "Reminder sent …"). */
export const boardCardComments = pgTable(
  'board_card_comments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: brandRef(),
    cardId: uuid('card_id')
      .notNull()
      .references(() => boardCards.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    authorId: uuid('author_id'),
    authorName: text('author_name').notNull(),
    at: at('at').notNull(),
  },
  (t) => [index('board_card_comments_card_idx').on(t.cardId, t.id)],
);

/** A message posted to one of the pack's channels; members read it in the app. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: brandRef(),
    channel: text('channel').notNull(),
    template: text('template').notNull(),
    text: text('text').notNull(),
    link: text('link'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('notifications_brand_idx').on(t.brandId, t.id)],
);

/** Which user has read which notification. */
export const notificationReads = pgTable(
  'notification_reads',
  {
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    readAt: at('read_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.userId] }),
    index('notification_reads_user_idx').on(t.userId),
  ],
);

/** Where a channel's posts go outside Casebook: a Slack-compatible or an HMAC-signed webhook. */
export const notificationWebhooks = pgTable(
  'notification_webhooks',
  {
    id: id(),
    brandId: brandRef(),
    channel: text('channel').notNull(),
    kind: text('kind', { enum: ['slack', 'generic'] }).notNull(),
    url: text('url').notNull(),
    /** HMAC-SHA256 key of generic webhooks (random, shown to admins). */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('notification_webhooks_brand_channel_idx').on(t.brandId, t.channel)],
);

/** One notification to one webhook: sent by the `notifications.deliver` job, with retries. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    brandId: brandRef(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => notificationWebhooks.id, { onDelete: 'cascade' }),
    notificationId: bigint('notification_id', { mode: 'number' })
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: at('delivered_at'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_notification_idx').on(t.notificationId),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

/** A brand's notification settings (admins only). */
export const notificationSettings = pgTable('notification_settings', {
  brandId: uuid('brand_id')
    .primaryKey()
    .references(() => brands.id, { onDelete: 'cascade' }),
  /** Webhooks may point at private, loopback or link-local addresses (an internal relay). */
  allowPrivateWebhookAddresses: boolean('allow_private_webhook_addresses').notNull().default(false),
  updatedAt: at('updated_at').notNull(),
});
