import { and, asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import {
  memberships,
  queues,
  tickets,
  users,
  workLogDaily,
  workLogEntries,
  workLogLocks,
} from '../db/schema';
import type { WorkLogEntryRow } from './ledger';

/**
 * Reading the work log: one person's timesheet (their entries with totals per day and category),
 * the team's timesheet for leads (from the per-day sums), and the time logged on one ticket.
 */

export type Period = { from: string; to: string };

/** The entries' day in the brand's time zone, as SQL. */
const dayExpr = (timeZone: string) =>
  sql<string>`to_char(${workLogEntries.startedAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;

export type TimesheetEntry = WorkLogEntryRow & {
  day: string;
  ticketNumber: number | null;
  queueName: string | null;
};

/** A person's entries whose day is in the period, oldest first (at most 5000). */
export async function entriesOf(
  db: Queryable,
  brandId: string,
  userId: string,
  period: Period,
  timeZone: string,
): Promise<TimesheetEntry[]> {
  const day = dayExpr(timeZone);
  const rows = await db
    .select({ entry: workLogEntries, day, ticketNumber: tickets.number, queueName: queues.name })
    .from(workLogEntries)
    .leftJoin(tickets, eq(tickets.id, workLogEntries.ticketId))
    .leftJoin(queues, eq(queues.id, workLogEntries.queueId))
    .where(
      and(
        eq(workLogEntries.brandId, brandId),
        eq(workLogEntries.userId, userId),
        sql`(${workLogEntries.startedAt} at time zone ${timeZone})::date between ${period.from}::date and ${period.to}::date`,
      ),
    )
    .orderBy(asc(workLogEntries.startedAt), asc(workLogEntries.createdAt))
    .limit(5000);
  return rows.map((r) => ({ ...r.entry, day: r.day, ticketNumber: r.ticketNumber, queueName: r.queueName }));
}

export type Totals = {
  seconds: number;
  entries: number;
  days: { day: string; seconds: number; entries: number }[];
  categories: { category: string | null; seconds: number; entries: number }[];
  dayCategories: { day: string; category: string | null; seconds: number; entries: number }[];
};

/** Sums of entries per day, per category and per day and category. */
export function totalsOf(
  rows: { day: string; category: string | null; seconds: number; entries?: number }[],
): Totals {
  const days = new Map<string, { seconds: number; entries: number }>();
  const categories = new Map<string | null, { seconds: number; entries: number }>();
  const both = new Map<string, { day: string; category: string | null; seconds: number; entries: number }>();
  let seconds = 0;
  let entries = 0;
  for (const row of rows) {
    const n = row.entries ?? 1;
    seconds += row.seconds;
    entries += n;
    const d = days.get(row.day) ?? { seconds: 0, entries: 0 };
    d.seconds += row.seconds;
    d.entries += n;
    days.set(row.day, d);
    const c = categories.get(row.category) ?? { seconds: 0, entries: 0 };
    c.seconds += row.seconds;
    c.entries += n;
    categories.set(row.category, c);
    const key = `${row.day}\u0000${row.category ?? ''}\u0000${row.category === null ? 'n' : 'c'}`;
    const b = both.get(key) ?? { day: row.day, category: row.category, seconds: 0, entries: 0 };
    b.seconds += row.seconds;
    b.entries += n;
    both.set(key, b);
  }
  return {
    seconds,
    entries,
    days: [...days].map(([day, v]) => ({ day, ...v })).sort((a, b) => a.day.localeCompare(b.day)),
    categories: [...categories]
      .map(([category, v]) => ({ category, ...v }))
      .sort((a, b) => b.seconds - a.seconds || (a.category ?? '').localeCompare(b.category ?? '')),
    dayCategories: [...both.values()].sort(
      (a, b) => a.day.localeCompare(b.day) || (a.category ?? '').localeCompare(b.category ?? ''),
    ),
  };
}

/** Every member of the brand with their sums in the period (read from `work_log_daily`) and lock. */
export async function teamTimesheet(db: Queryable, brandId: string, period: Period) {
  const members = await db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      lockedThrough: workLogLocks.lockedThrough,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(workLogLocks, and(eq(workLogLocks.brandId, brandId), eq(workLogLocks.userId, users.id)))
    .where(eq(memberships.brandId, brandId))
    .orderBy(asc(users.name))
    .limit(1000);
  const sums = await db
    .select({
      userId: workLogDaily.userId,
      day: sql<string>`to_char(${workLogDaily.day}, 'YYYY-MM-DD')`,
      category: workLogDaily.category,
      seconds: sql<number>`sum(${workLogDaily.seconds})::float8`,
      entries: sql<number>`sum(${workLogDaily.entries})::int`,
    })
    .from(workLogDaily)
    .where(
      and(
        eq(workLogDaily.brandId, brandId),
        sql`${workLogDaily.day} between ${period.from}::date and ${period.to}::date`,
      ),
    )
    .groupBy(workLogDaily.userId, workLogDaily.day, workLogDaily.category);
  return members.map((m) => ({
    ...m,
    totals: totalsOf(
      sums
        .filter((s) => s.userId === m.userId)
        .map((s) => ({ ...s, seconds: Number(s.seconds), entries: Number(s.entries) })),
    ),
  }));
}

/** The time logged on a ticket, per person. */
export async function ticketTime(db: Queryable, ticketId: string) {
  const rows = await db
    .select({
      userId: workLogEntries.userId,
      name: users.name,
      seconds: sql<number>`sum(${workLogEntries.seconds})::int`,
      entries: sql<number>`count(*)::int`,
    })
    .from(workLogEntries)
    .innerJoin(users, eq(users.id, workLogEntries.userId))
    .where(eq(workLogEntries.ticketId, ticketId))
    .groupBy(workLogEntries.userId, users.name)
    .orderBy(asc(users.name));
  const people = rows.map((r) => ({ ...r, seconds: Number(r.seconds), entries: Number(r.entries) }));
  return { seconds: people.reduce((n, p) => n + p.seconds, 0), people };
}
