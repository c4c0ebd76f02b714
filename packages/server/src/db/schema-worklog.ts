import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { at, createdAt, id, updatedAt } from './columns';
import { brands, queues, tickets, users } from './schema';

/**
 * Work logging: what each person worked on, for how long, under which of the pack's task
 * categories. Entries come from Casebook itself (time with a ticket open and active, replies,
 * notes, tracker records, approvals) and from the person (a start/stop timer, manual entries for
 * work outside tickets). `work_log_daily` keeps the sums per day for the reports; it changes in the
 * same transaction as the entries it sums.
 */

export const WORK_LOG_SOURCES = [
  'ticket',
  'reply',
  'note',
  'tracker',
  'approval',
  'timer',
  'manual',
] as const;
export type WorkLogSource = (typeof WORK_LOG_SOURCES)[number];

export const workLogEntries = pgTable(
  'work_log_entries',
  {
    id: id(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** One of the pack's task categories; null until someone categorises the work. */
    category: text('category'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** What produced the entry: Casebook (`ticket` time, `reply`, `note`, `tracker`, `approval`) or the person (`timer`, `manual`). */
    source: text('source', { enum: WORK_LOG_SOURCES }).notNull(),
    /** The ticket's channel when logged, or the channel of work outside tickets (phone, chat...). */
    channel: text('channel'),
    queueId: uuid('queue_id').references(() => queues.id, { onDelete: 'set null' }),
    startedAt: at('started_at').notNull(),
    /** Null while a timer runs or ticket time is still being extended. */
    endedAt: at('ended_at'),
    /** Time worked; 0 for an action counted without time (a reply, a note, a record). */
    seconds: integer('seconds').notNull().default(0),
    note: text('note'),
    /** Set when a lead locks the entry (or the lock period passes); no correction after that. */
    lockedAt: at('locked_at'),
    lockedBy: uuid('locked_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('work_log_entries_brand_started_idx').on(t.brandId, t.startedAt),
    index('work_log_entries_user_started_idx').on(t.userId, t.startedAt),
    index('work_log_entries_ticket_idx').on(t.ticketId),
    /** At most one running timer per person. */
    uniqueIndex('work_log_entries_running_timer_idx')
      .on(t.userId)
      .where(sql`${t.endedAt} is null and ${t.source} = 'timer'`),
  ],
);

/**
 * Sums of `work_log_entries` per brand, day (in the brand's time zone), person, category, channel
 * and queue: what the reports read, so a report over millions of entries reads thousands of rows.
 */
export const workLogDaily = pgTable(
  'work_log_daily',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    day: date('day').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    category: text('category'),
    channel: text('channel'),
    queueId: uuid('queue_id'),
    seconds: bigint('seconds', { mode: 'number' }).notNull().default(0),
    entries: integer('entries').notNull().default(0),
  },
  (t) => [
    unique('work_log_daily_key')
      .on(t.brandId, t.day, t.userId, t.category, t.channel, t.queueId)
      .nullsNotDistinct(),
  ],
);

/**
 * How far a person's timesheet is locked: entries on days up to `locked_through` (the brand's time
 * zone) are locked, and no entry may be added, corrected or removed there. A lead sets it.
 */
export const workLogLocks = pgTable(
  'work_log_locks',
  {
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lockedThrough: date('locked_through').notNull(),
    lockedBy: uuid('locked_by').references(() => users.id, { onDelete: 'set null' }),
    lockedAt: at('locked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.brandId, t.userId] })],
);
