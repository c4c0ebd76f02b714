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
  const [row] = await tx
    .insert(jobs)
    .values({
      kind: job.kind,
      payload: job.payload ?? {},
      runAt: job.runAt,
      brandId: job.brandId ?? null,
      uniqueKey: job.uniqueKey ?? null,
      maxAttempts: job.maxAttempts ?? 8,
      createdAt: now,
    })
    .onConflictDoNothing({ target: jobs.uniqueKey, where: pending })
    .returning({ id: jobs.id });
  if (!row) return null;
  if (job.runAt.getTime() <= now.getTime()) await notify(tx, JOBS_CHANNEL, job.kind);
  return row;
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
