import type { Pack } from '@casebook/core';
import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../audit';
import type { RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { memberships, tickets, workLogEntries, workLogLocks } from '../db/schema';
import { errors, type FieldProblem } from '../errors';
import {
  dayOf,
  deleteEntry,
  insertEntry,
  lockEntriesThrough,
  updateEntry,
  type WorkLogChanges,
  type WorkLogEntryRow,
} from './ledger';

/**
 * What people do with their work log: the start/stop timer, manual entries for work outside
 * tickets, corrections and removals until the timesheet is locked, and a lead's lock. Each change
 * is audited in its transaction; the per-day sums follow through the ledger.
 *
 * Locking: a lead locks a person's timesheet through a date. Entries on days up to that date are
 * stamped `locked_at`; nothing on those days can be added, corrected or removed afterwards, by
 * anyone. The lock only moves forward. Work Casebook logs by itself (ticket time, counted actions)
 * is still recorded on a locked day, since it follows from what the person did.
 */

export type WorkLogScope = { brandId: string; pack: Pack };

const timeZone = (scope: WorkLogScope) => scope.pack.manifest.calendar.timezone;

function userIdOf(ctx: RequestContext): string {
  if (ctx.actor.kind !== 'user') throw errors.forbidden('Only people keep a work log.');
  return ctx.actor.userId;
}

/** The category must be one of the pack's task categories (when the pack lists any). */
export function checkCategory(pack: Pack, category: string, field = 'category'): FieldProblem | null {
  const names = Object.keys(pack.manifest.categories);
  if (names.length && !Object.hasOwn(pack.manifest.categories, category)) {
    return { field, in: 'body', problem: `"${category}" is not a task category of this brand` };
  }
  return null;
}

/** The date through which a person's timesheet is locked, or null. */
export async function lockedThrough(tx: Queryable, brandId: string, userId: string): Promise<string | null> {
  const [row] = await tx
    .select({ through: workLogLocks.lockedThrough })
    .from(workLogLocks)
    .where(and(eq(workLogLocks.brandId, brandId), eq(workLogLocks.userId, userId)));
  return row?.through ?? null;
}

async function assertDayOpen(tx: Queryable, scope: WorkLogScope, userId: string, at: Date): Promise<void> {
  const through = await lockedThrough(tx, scope.brandId, userId);
  const day = dayOf(at, timeZone(scope));
  if (through && day <= through) {
    throw errors.conflict(
      `The timesheet is locked through ${through}; work on ${day} can no longer be added or changed.`,
      { lockedThrough: through, day },
    );
  }
}

function assertEntryOpen(entry: WorkLogEntryRow): void {
  if (entry.lockedAt) {
    throw errors.conflict(
      'This work log entry is locked (its timesheet was locked by a lead); it can no longer be changed.',
      { lockedAt: entry.lockedAt.toISOString() },
    );
  }
}

/** The ticket a manual entry or timer is about: its channel and queue, checked to be the brand's. */
async function ticketOf(tx: Queryable, brandId: string, ticketId: string | null | undefined) {
  if (!ticketId) return null;
  const [row] = await tx
    .select({ id: tickets.id, channel: tickets.channel, queueId: tickets.queueId })
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), eq(tickets.brandId, brandId)));
  if (!row) throw errors.field('ticketId', 'is not a ticket of this brand');
  return row;
}

function auditEntry(entry: WorkLogEntryRow, action: string, before?: WorkLogEntryRow) {
  return {
    brandId: entry.brandId,
    entityType: 'work_log_entry',
    entityId: entry.id,
    action,
    ...(before ? { before: snapshot(before) } : {}),
    ...(action === 'delete' ? {} : { after: snapshot(entry) }),
  };
}

function snapshot(e: WorkLogEntryRow) {
  return {
    userId: e.userId,
    source: e.source,
    category: e.category,
    channel: e.channel,
    ticketId: e.ticketId,
    startedAt: e.startedAt.toISOString(),
    endedAt: e.endedAt?.toISOString() ?? null,
    seconds: e.seconds,
    note: e.note,
  };
}

export type TimerInput = {
  category: string;
  channel?: string | null | undefined;
  note?: string | null | undefined;
  ticketId?: string | null | undefined;
};

/** The caller's running timer, if any. */
export async function runningTimer(db: Queryable, brandId: string, userId: string) {
  const [row] = await db
    .select()
    .from(workLogEntries)
    .where(
      and(
        eq(workLogEntries.brandId, brandId),
        eq(workLogEntries.userId, userId),
        eq(workLogEntries.source, 'timer'),
        isNull(workLogEntries.endedAt),
      ),
    );
  return row ?? null;
}

/** Starts the caller's timer; a person has at most one running (in any brand). */
export async function startTimer(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  input: TimerInput,
): Promise<WorkLogEntryRow> {
  const userId = userIdOf(ctx);
  const problem = checkCategory(scope.pack, input.category);
  if (problem) throw errors.validation([problem]);
  const ticket = await ticketOf(tx, scope.brandId, input.ticketId);
  await assertDayOpen(tx, scope, userId, ctx.now);
  const [running] = await tx
    .select({ id: workLogEntries.id, startedAt: workLogEntries.startedAt })
    .from(workLogEntries)
    .where(
      and(
        eq(workLogEntries.userId, userId),
        eq(workLogEntries.source, 'timer'),
        isNull(workLogEntries.endedAt),
      ),
    );
  const alreadyRunning = (startedAt: Date | null) =>
    errors.conflict(
      `A timer is already running${startedAt ? ` (since ${startedAt.toISOString()})` : ''}; stop it before starting another.`,
      running ? { timerId: running.id } : {},
    );
  if (running) throw alreadyRunning(running.startedAt);
  let entry: WorkLogEntryRow;
  try {
    entry = await insertEntry(tx, timeZone(scope), {
      brandId: scope.brandId,
      userId,
      source: 'timer',
      category: input.category,
      channel: input.channel ?? ticket?.channel ?? null,
      queueId: ticket?.queueId ?? null,
      ticketId: ticket?.id ?? null,
      note: input.note ?? null,
      startedAt: ctx.now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyRunning(null);
    throw error;
  }
  await audit(tx, ctx, auditEntry(entry, 'start_timer'));
  return entry;
}

/** Stops the caller's running timer: its seconds are the time from start to now. */
export async function stopTimer(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  input: { note?: string | null | undefined },
): Promise<WorkLogEntryRow> {
  const userId = userIdOf(ctx);
  const [running] = await tx
    .select()
    .from(workLogEntries)
    .where(
      and(
        eq(workLogEntries.brandId, scope.brandId),
        eq(workLogEntries.userId, userId),
        eq(workLogEntries.source, 'timer'),
        isNull(workLogEntries.endedAt),
      ),
    )
    .for('update');
  if (!running) throw errors.conflict('No timer is running.');
  const seconds = Math.max(0, Math.round((ctx.now.getTime() - running.startedAt.getTime()) / 1000));
  const changes: WorkLogChanges = { endedAt: ctx.now, seconds };
  if (input.note !== undefined) changes.note = input.note;
  const stopped = await updateEntry(tx, timeZone(scope), running, changes, ctx.now);
  await audit(tx, ctx, auditEntry(stopped, 'stop_timer', running));
  return stopped;
}

export type ManualEntryInput = {
  category: string;
  startedAt?: Date | undefined;
  endedAt?: Date | undefined;
  minutes?: number | undefined;
  channel?: string | null | undefined;
  note?: string | null | undefined;
  ticketId?: string | null | undefined;
};

const MAX_ENTRY_SECONDS = 24 * 3600;

/**
 * The start and length of manual work: `startedAt` and `endedAt`, or `minutes` (ending at
 * `endedAt`, or starting at `startedAt`, or ending now). Never in the future, never a day long.
 */
function manualSpan(
  input: Pick<ManualEntryInput, 'startedAt' | 'endedAt' | 'minutes'>,
  now: Date,
): { startedAt: Date; endedAt: Date; seconds: number } {
  const problems: FieldProblem[] = [];
  let startedAt: Date;
  let endedAt: Date;
  if (input.minutes !== undefined) {
    const ms = input.minutes * 60_000;
    if (input.startedAt && input.endedAt) {
      problems.push({
        field: 'minutes',
        in: 'body',
        problem: 'give minutes or startedAt and endedAt, not both',
      });
    }
    if (input.startedAt) {
      startedAt = input.startedAt;
      endedAt = new Date(startedAt.getTime() + ms);
    } else {
      endedAt = input.endedAt ?? now;
      startedAt = new Date(endedAt.getTime() - ms);
    }
  } else if (input.startedAt && input.endedAt) {
    startedAt = input.startedAt;
    endedAt = input.endedAt;
    if (endedAt.getTime() <= startedAt.getTime())
      problems.push({ field: 'endedAt', in: 'body', problem: 'must be after startedAt' });
  } else {
    throw errors.field('minutes', 'give the minutes worked, or startedAt and endedAt');
  }
  const seconds = Math.round((endedAt.getTime() - startedAt.getTime()) / 1000);
  if (endedAt.getTime() > now.getTime())
    problems.push({ field: 'endedAt', in: 'body', problem: 'must not be in the future' });
  if (seconds > MAX_ENTRY_SECONDS)
    problems.push({ field: 'minutes', in: 'body', problem: 'an entry may cover at most 24 hours' });
  if (problems.length) throw errors.validation(problems);
  return { startedAt, endedAt, seconds };
}

/** A manual entry for work outside tickets (a voice call, portal work, spam checking...). */
export async function addManualEntry(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  userId: string,
  input: ManualEntryInput,
): Promise<WorkLogEntryRow> {
  const problem = checkCategory(scope.pack, input.category);
  if (problem) throw errors.validation([problem]);
  const span = manualSpan(input, ctx.now);
  const ticket = await ticketOf(tx, scope.brandId, input.ticketId);
  await assertDayOpen(tx, scope, userId, span.startedAt);
  const entry = await insertEntry(tx, timeZone(scope), {
    brandId: scope.brandId,
    userId,
    source: 'manual',
    category: input.category,
    channel: input.channel ?? ticket?.channel ?? null,
    queueId: ticket?.queueId ?? null,
    ticketId: ticket?.id ?? null,
    note: input.note ?? null,
    ...span,
  });
  await audit(tx, ctx, auditEntry(entry, 'create'));
  return entry;
}

/** Loads an entry for a correction, locked for the rest of the transaction. */
export async function entryForUpdate(tx: Queryable, entryId: string): Promise<WorkLogEntryRow | null> {
  const [row] = await tx.select().from(workLogEntries).where(eq(workLogEntries.id, entryId)).for('update');
  return row ?? null;
}

export type EntryCorrection = {
  category?: string | null | undefined;
  channel?: string | null | undefined;
  note?: string | null | undefined;
  startedAt?: Date | undefined;
  endedAt?: Date | undefined;
  minutes?: number | undefined;
};

/**
 * Corrects an entry that is not locked: its category, channel, note, and its times or minutes
 * (not those of a running timer). The entry's day, old and new, must not be locked either.
 */
export async function correctEntry(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  entry: WorkLogEntryRow,
  input: EntryCorrection,
): Promise<WorkLogEntryRow> {
  assertEntryOpen(entry);
  await assertDayOpen(tx, scope, entry.userId, entry.startedAt);
  const changes: WorkLogChanges = {};
  const problems: FieldProblem[] = [];
  if (input.category !== undefined) {
    if (input.category === null && (entry.source === 'manual' || entry.source === 'timer'))
      problems.push({ field: 'category', in: 'body', problem: 'is required for a timer or manual entry' });
    const problem = input.category === null ? null : checkCategory(scope.pack, input.category);
    if (problem) problems.push(problem);
    changes.category = input.category;
  }
  if (input.channel !== undefined) changes.channel = input.channel;
  if (input.note !== undefined) changes.note = input.note;
  const timed = input.startedAt !== undefined || input.endedAt !== undefined || input.minutes !== undefined;
  if (timed) {
    if (entry.source === 'timer' && entry.endedAt === null) {
      problems.push({ field: 'minutes', in: 'body', problem: 'stop the timer before correcting its time' });
    } else {
      // Minutes alone keep the entry's end and move its start, as when the entry was logged.
      const endedAt = entry.endedAt ?? new Date(entry.startedAt.getTime() + entry.seconds * 1000);
      const span =
        input.minutes !== undefined
          ? input.startedAt
            ? { startedAt: input.startedAt, minutes: input.minutes }
            : { endedAt: input.endedAt ?? endedAt, minutes: input.minutes }
          : { startedAt: input.startedAt ?? entry.startedAt, endedAt: input.endedAt ?? endedAt };
      Object.assign(changes, manualSpan(span, ctx.now));
    }
  }
  if (problems.length) throw errors.validation(problems);
  if (changes.startedAt) await assertDayOpen(tx, scope, entry.userId, changes.startedAt);
  const after = await updateEntry(tx, timeZone(scope), entry, changes, ctx.now);
  await audit(tx, ctx, auditEntry(after, 'update', entry));
  return after;
}

/** Removes an entry that is not locked. */
export async function removeEntry(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  entry: WorkLogEntryRow,
): Promise<void> {
  assertEntryOpen(entry);
  await assertDayOpen(tx, scope, entry.userId, entry.startedAt);
  await deleteEntry(tx, timeZone(scope), entry);
  await audit(tx, ctx, auditEntry(entry, 'delete', entry));
}

/**
 * Locks a member's timesheet through a date (in the brand's time zone): their entries on those
 * days are stamped locked, and nothing can be added or changed there afterwards.
 */
export async function lockTimesheet(
  tx: Queryable,
  ctx: RequestContext,
  scope: WorkLogScope,
  input: { userId: string; through: string },
): Promise<{ userId: string; lockedThrough: string; entriesLocked: number }> {
  const [member] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.brandId, scope.brandId), eq(memberships.userId, input.userId)));
  if (!member) throw errors.field('userId', 'is not a member of this brand');
  const today = dayOf(ctx.now, timeZone(scope));
  if (input.through > today) throw errors.field('through', `must not be after today (${today})`);
  const previous = await lockedThrough(tx, scope.brandId, input.userId);
  if (previous && previous >= input.through) {
    throw errors.conflict(`This timesheet is already locked through ${previous}.`, {
      lockedThrough: previous,
    });
  }
  const lockedBy = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  await tx
    .insert(workLogLocks)
    .values({
      brandId: scope.brandId,
      userId: input.userId,
      lockedThrough: input.through,
      lockedBy,
      lockedAt: ctx.now,
    })
    .onConflictDoUpdate({
      target: [workLogLocks.brandId, workLogLocks.userId],
      set: { lockedThrough: input.through, lockedBy, lockedAt: ctx.now },
    });
  const entriesLocked = await lockEntriesThrough(
    tx,
    timeZone(scope),
    { brandId: scope.brandId, userId: input.userId, through: input.through, lockedBy },
    ctx.now,
  );
  await audit(tx, ctx, {
    brandId: scope.brandId,
    entityType: 'work_log_lock',
    entityId: input.userId,
    action: 'lock',
    before: { lockedThrough: previous },
    after: { lockedThrough: input.through, entriesLocked },
  });
  return { userId: input.userId, lockedThrough: input.through, entriesLocked };
}
