import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { workLogEntries } from '../db/schema';

/**
 * The only writer of `work_log_entries`. Every insert, correction and removal of an entry changes
 * the per-day sums in `work_log_daily` in the caller's transaction, so the sums the reports read
 * always equal the entries they sum. Nothing else writes either table.
 *
 * An entry counts on the day its work started, in the brand's time zone (the pack's calendar).
 */

export type WorkLogEntryRow = typeof workLogEntries.$inferSelect;

export type NewWorkLogEntry = {
  brandId: string;
  userId: string;
  source: WorkLogEntryRow['source'];
  category?: string | null | undefined;
  ticketId?: string | null | undefined;
  channel?: string | null | undefined;
  queueId?: string | null | undefined;
  startedAt: Date;
  endedAt?: Date | null | undefined;
  seconds?: number | undefined;
  note?: string | null | undefined;
  lockedAt?: Date | null | undefined;
  lockedBy?: string | null | undefined;
};

/** What an entry may be corrected in; fields left out keep their value. */
export type WorkLogChanges = Partial<
  Pick<
    WorkLogEntryRow,
    | 'category'
    | 'channel'
    | 'queueId'
    | 'startedAt'
    | 'endedAt'
    | 'seconds'
    | 'note'
    | 'lockedAt'
    | 'lockedBy'
  >
>;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayOf(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** The key of the per-day row an entry counts in. */
type DailyKey = Pick<WorkLogEntryRow, 'brandId' | 'userId' | 'category' | 'channel' | 'queueId'> & {
  day: string;
};

function keyOf(entry: WorkLogEntryRow, timeZone: string): DailyKey {
  return {
    brandId: entry.brandId,
    userId: entry.userId,
    category: entry.category,
    channel: entry.channel,
    queueId: entry.queueId,
    day: dayOf(entry.startedAt, timeZone),
  };
}

const sameKey = (a: DailyKey, b: DailyKey) =>
  a.brandId === b.brandId &&
  a.userId === b.userId &&
  a.category === b.category &&
  a.channel === b.channel &&
  a.queueId === b.queueId &&
  a.day === b.day;

/** Adds (or, with negative numbers, takes away) seconds and entries from one per-day row. */
async function addToDaily(tx: Queryable, key: DailyKey, seconds: number, entries: number): Promise<void> {
  if (seconds === 0 && entries === 0) return;
  await tx.execute(sql`
    insert into work_log_daily (brand_id, day, user_id, category, channel, queue_id, seconds, entries)
    values (${key.brandId}, ${key.day}, ${key.userId}, ${key.category}, ${key.channel}, ${key.queueId},
            ${seconds}, ${entries})
    on conflict on constraint work_log_daily_key do update
      set seconds = work_log_daily.seconds + excluded.seconds,
          entries = work_log_daily.entries + excluded.entries`);
  if (entries < 0) {
    // A row that no longer sums any entry goes, so the table holds only days with work.
    await tx.execute(sql`
      delete from work_log_daily
      where brand_id = ${key.brandId} and day = ${key.day} and user_id = ${key.userId}
        and category is not distinct from ${key.category}
        and channel is not distinct from ${key.channel}
        and queue_id is not distinct from ${key.queueId}
        and entries = 0 and seconds = 0`);
  }
}

/** Writes a new entry and counts it in its day. */
export async function insertEntry(
  tx: Queryable,
  timeZone: string,
  entry: NewWorkLogEntry,
): Promise<WorkLogEntryRow> {
  const [row] = await tx
    .insert(workLogEntries)
    .values({
      brandId: entry.brandId,
      userId: entry.userId,
      source: entry.source,
      category: entry.category ?? null,
      ticketId: entry.ticketId ?? null,
      channel: entry.channel ?? null,
      queueId: entry.queueId ?? null,
      startedAt: entry.startedAt,
      endedAt: entry.endedAt ?? null,
      seconds: entry.seconds ?? 0,
      note: entry.note ?? null,
      lockedAt: entry.lockedAt ?? null,
      lockedBy: entry.lockedBy ?? null,
      createdAt: entry.startedAt,
      updatedAt: entry.startedAt,
    })
    .returning();
  await addToDaily(tx, keyOf(row!, timeZone), row!.seconds, 1);
  return row!;
}

/**
 * Corrects an entry (`before` is its current row, read in this transaction) and moves its
 * seconds between per-day rows when its day, category, channel or queue changed.
 */
export async function updateEntry(
  tx: Queryable,
  timeZone: string,
  before: WorkLogEntryRow,
  changes: WorkLogChanges,
  now: Date,
): Promise<WorkLogEntryRow> {
  const [after] = await tx
    .update(workLogEntries)
    .set({ ...changes, updatedAt: now })
    .where(eq(workLogEntries.id, before.id))
    .returning();
  const from = keyOf(before, timeZone);
  const to = keyOf(after!, timeZone);
  if (sameKey(from, to)) {
    await addToDaily(tx, to, after!.seconds - before.seconds, 0);
  } else {
    await addToDaily(tx, from, -before.seconds, -1);
    await addToDaily(tx, to, after!.seconds, 1);
  }
  return after!;
}

/** Removes an entry and takes it out of its day. */
export async function deleteEntry(tx: Queryable, timeZone: string, entry: WorkLogEntryRow): Promise<void> {
  await tx.delete(workLogEntries).where(eq(workLogEntries.id, entry.id));
  await addToDaily(tx, keyOf(entry, timeZone), -entry.seconds, -1);
}

/**
 * Locks a person's entries on days up to `through` (inclusive): a change of `locked_at` only, which
 * no per-day sum depends on. A running timer stays open so it can still be stopped.
 */
export async function lockEntriesThrough(
  tx: Queryable,
  timeZone: string,
  scope: { brandId: string; userId: string; through: string; lockedBy: string | null },
  now: Date,
): Promise<number> {
  const locked = await tx
    .update(workLogEntries)
    .set({ lockedAt: now, lockedBy: scope.lockedBy, updatedAt: now })
    .where(
      sql`${workLogEntries.brandId} = ${scope.brandId} and ${workLogEntries.userId} = ${scope.userId}
        and ${workLogEntries.lockedAt} is null
        and not (${workLogEntries.source} = 'timer' and ${workLogEntries.endedAt} is null)
        and (${workLogEntries.startedAt} at time zone ${timeZone})::date <= ${scope.through}::date`,
    )
    .returning({ id: workLogEntries.id });
  return locked.length;
}
