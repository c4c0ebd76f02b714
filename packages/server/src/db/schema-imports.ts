import {
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
import { brands, vendors } from './schema';

/**
 * A CSV import applied in the background (tracking or orders): the file, who started it, how far
 * it got and what it did. The browser polls it for the progress bar; the job `imports.apply`
 * works through the file in batches, each batch its own transaction, so progress is visible and a
 * retried job skips the rows it already applied.
 */
export const importRuns = pgTable(
  'import_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['tracking', 'orders'] }).notNull(),
    state: text('state', { enum: ['queued', 'running', 'done', 'failed'] })
      .notNull()
      .default('queued'),
    /** SHA-256 of the file, so the list can say when the same file came twice. */
    fileHash: text('file_hash').notNull(),
    csv: text('csv').notNull(),
    /** Who started it, as the audit entries of its changes name them. */
    actor: jsonb('actor').notNull(),
    rows: integer('rows').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    result: jsonb('result'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_runs_brand_created_idx').on(t.brandId, t.createdAt)],
);

/**
 * A brand's own settings for one of its vendors, over the pack's `vendors.yaml` (which stays the
 * default): every policy column left null reads the pack's value. Contact emails are where side
 * conversations to the vendor go (the first one by default).
 */
export const vendorSettings = pgTable(
  'vendor_settings',
  {
    vendorId: uuid('vendor_id')
      .primaryKey()
      .references(() => vendors.id, { onDelete: 'cascade' }),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    contactEmails: text('contact_emails').array().notNull().default([]),
    addressChangeAllowed: boolean('address_change_allowed'),
    cancelWholeOrderWhenSkuOutOfStock: boolean('cancel_whole_order_when_sku_out_of_stock'),
    cancelVia: text('cancel_via', { enum: ['side_conversation', 'portal'] }),
    processingDaysMin: integer('processing_days_min'),
    processingDaysMax: integer('processing_days_max'),
    freight: boolean('freight'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('vendor_settings_brand_vendor_key').on(t.brandId, t.vendorId)],
);
