import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { notify } from '../db/notify';
import { jobs } from '../db/schema';

/** Workers listen here; the payload is the job kind. */
export const JOBS_CHANNEL = 'casebook_jobs';

export type NewJob = {
  kind: string;
  payload?: unknown;
  /** When the job becomes due, by the application clock. */
  runAt: Date;
  brandId?: string | null;
  /** At most one pending job per key: a second enqueue while one is pending does nothing. */
  uniqueKey?: string;
  /** Tries before the job is `failed` (default 8). */
  maxAttempts?: number;
};

const pending = sql`state = 'pending'`;

/**
 * Adds a job in the caller's transaction, so it exists exactly when the change that needs it
 * commits (the transactional outbox). Returns null when `uniqueKey` already has a pending job.
 * A job due now wakes idle workers on commit; later ones are found by their polling.
 */
export async function enqueue(tx: Queryable, job: NewJob, now: Date): Promise<{ id: number } | null> {
  const [row] = await enqueueStatement(tx, jobValues(job, now)).returning({ id: jobs.id });
  if (!row) return null;
  if (job.runAt.getTime() <= now.getTime()) await notify(tx, JOBS_CHANNEL, job.kind);
  return row;
}

/** The row of a new job. */
export function jobValues(job: NewJob, now: Date) {
  return {
    kind: job.kind,
    payload: job.payload ?? {},
    runAt: job.runAt,
    brandId: job.brandId ?? null,
    uniqueKey: job.uniqueKey ?? null,
    maxAttempts: job.maxAttempts ?? 8,
    createdAt: now,
  } satisfies typeof jobs.$inferInsert;
}

/** The columns `jobValues` fills, for statements built once with placeholders. */
export const jobKeys = jobValues({ kind: '', runAt: new Date(0) }, new Date(0));

/**
 * The insert that enqueues a job, for a statement that writes it together with the change that
 * needs it. It does not wake workers: use it for jobs due later (they are found by polling).
 */
export function enqueueStatement(tx: Queryable, values: ReturnType<typeof jobValues>) {
  return tx.insert(jobs).values(values).onConflictDoNothing({ target: jobs.uniqueKey, where: pending });
}

/**
 * Schedules a job that has a `uniqueKey`: the pending one moves to the new time (and starts its
 * tries again), or a new one is added. One statement, for timers that move with each change.
 */
export async function schedule(tx: Queryable, job: NewJob & { uniqueKey: string }, now: Date): Promise<void> {
  await tx
    .insert(jobs)
    .values(jobValues(job, now))
    .onConflictDoUpdate({
      target: jobs.uniqueKey,
      targetWhere: pending,
      set: { runAt: job.runAt, payload: job.payload ?? {}, attempts: 0, lastError: null, createdAt: now },
    });
  if (job.runAt.getTime() <= now.getTime()) await notify(tx, JOBS_CHANNEL, job.kind);
}

export type CancelFilter =
  | { uniqueKey: string }
  | {
      brandId: string | null;
      kind: string;
      /** Only jobs whose payload contains this (jsonb `@>`), e.g. `{ ticketId }`. */
      payloadMatch?: Record<string, unknown>;
    };

/** Cancels pending jobs (a timer whose reason went away). Returns how many were canceled. */
export async function cancelJobs(tx: Queryable, filter: CancelFilter, now?: Date): Promise<number> {
  const where =
    'uniqueKey' in filter
      ? eq(jobs.uniqueKey, filter.uniqueKey)
      : and(
          filter.brandId === null ? isNull(jobs.brandId) : eq(jobs.brandId, filter.brandId),
          eq(jobs.kind, filter.kind),
          filter.payloadMatch
            ? sql`${jobs.payload} @> ${JSON.stringify(filter.payloadMatch)}::jsonb`
            : undefined,
        );
  const rows = await tx
    .update(jobs)
    .set({ state: 'canceled', finishedAt: now ?? null, lockedUntil: null })
    .where(and(pending, where))
    .returning({ id: jobs.id });
  return rows.length;
}

/** Moves the pending job with this key to `runAt`. Returns whether there was one. */
export async function rescheduleJob(tx: Queryable, uniqueKey: string, runAt: Date): Promise<boolean> {
  const rows = await tx
    .update(jobs)
    .set({ runAt })
    .where(and(pending, eq(jobs.uniqueKey, uniqueKey)))
    .returning({ id: jobs.id });
  return rows.length > 0;
}
