// Trackers: the pack's record types as linked records (replacing the shared spreadsheets), their
// history, comments and evidence, saved views, and the company a supplier's staff account works for.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, bytea, id } from './columns';
import { brands, memberships, users, vendors } from './schema';

const brandRef = () =>
  uuid('brand_id')
    .notNull()
    .references(() => brands.id, { onDelete: 'cascade' });

export const trackerRecordNumberSeq = pgSequence('tracker_record_number_seq', { startWith: 1 });

/** One record of a pack tracker type (out of stock, item issue, chargeback...). */
export const trackerRecords = pgTable(
  'tracker_records',
  {
    id: id(),
    brandId: brandRef(),
    /** The pack's tracker type, e.g. `out_of_stock`. */
    type: text('type').notNull(),
    /** The number people quote, unique across the installation. */
    number: bigint('number', { mode: 'number' }).notNull().default(sql`nextval('tracker_record_number_seq')`),
    state: text('state').notNull(),
    /** The type's field values, checked against the pack on every write. */
    fields: jsonb('fields').$type<Record<string, string | number | boolean>>().notNull().default({}),
    /** The supplier company (a vendor of the brand) the record concerns; its staff see it. */
    vendorId: uuid('vendor_id').references(() => vendors.id, { onDelete: 'set null' }),
    /** Set on records raised by trend detection: the trend they stand for. */
    trendKey: text('trend_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdByLabel: text('created_by_label').notNull(),
    version: integer('version').notNull().default(1),
    /** The record's time (the request clock): trends and date filters read it. */
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('tracker_records_number_key').on(t.number),
    index('tracker_records_brand_type_created_idx').on(t.brandId, t.type, t.createdAt),
    index('tracker_records_vendor_idx').on(t.brandId, t.vendorId),
    index('tracker_records_trend_idx').on(t.brandId, t.type, t.trendKey),
  ],
);

/** What a record is linked to: tickets, orders, purchase orders and other records. */
export const trackerLinks = pgTable(
  'tracker_links',
  {
    brandId: uuid('brand_id').notNull(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => trackerRecords.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['ticket', 'order', 'po', 'record'] }).notNull(),
    targetId: uuid('target_id').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('tracker_links_key').on(t.recordId, t.kind, t.targetId),
    index('tracker_links_target_idx').on(t.kind, t.targetId),
  ],
);

/** Everything that happened to a record, in order: its history. */
export const trackerEvents = pgTable(
  'tracker_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    brandId: uuid('brand_id').notNull(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => trackerRecords.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actorLabel: text('actor_label').notNull(),
    data: jsonb('data').notNull().default({}),
    at: at('at').notNull(),
  },
  (t) => [index('tracker_events_record_idx').on(t.recordId, t.id)],
);

export const trackerComments = pgTable(
  'tracker_comments',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => trackerRecords.id, { onDelete: 'cascade' }),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    authorLabel: text('author_label').notNull(),
    body: text('body').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('tracker_comments_record_idx').on(t.recordId, t.createdAt)],
);

/** Photos and files proving an issue, in named albums per record; stored like ticket attachments. */
export const trackerEvidence = pgTable(
  'tracker_evidence',
  {
    id: id(),
    brandId: uuid('brand_id').notNull(),
    recordId: uuid('record_id')
      .notNull()
      .references(() => trackerRecords.id, { onDelete: 'cascade' }),
    album: text('album').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    uploadedByLabel: text('uploaded_by_label').notNull(),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('tracker_evidence_record_idx').on(t.recordId, t.album)],
);

/** A saved tracker table: filters and sort of one type, shared with the brand or private. */
export const trackerViews = pgTable(
  'tracker_views',
  {
    id: id(),
    brandId: brandRef(),
    type: text('type').notNull(),
    /** Null for a view shared with everyone who sees the type. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** The person who saved it (who may delete a shared view); null for an integration. */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    filters: jsonb('filters').notNull().default({}),
    sort: text('sort').notNull().default('-created'),
    createdAt: at('created_at').notNull(),
  },
  (t) => [index('tracker_views_brand_type_idx').on(t.brandId, t.type)],
);

/**
 * The company (a vendor of the brand) a member with an external role works for: they see only
 * that company's purchase orders, records and side conversations.
 */
export const membershipCompanies = pgTable('membership_companies', {
  membershipId: uuid('membership_id')
    .primaryKey()
    .references(() => memberships.id, { onDelete: 'cascade' }),
  brandId: uuid('brand_id').notNull(),
  vendorId: uuid('vendor_id')
    .notNull()
    .references(() => vendors.id, { onDelete: 'cascade' }),
  createdAt: at('created_at').notNull(),
});
