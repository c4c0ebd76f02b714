import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Deps } from '../context';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { jobs } from '../db/schema';
import { defaultBackoff, type Job, type JobDefinition, type JobRegistry } from './define';
import { enqueue } from './queue';

export type RunOptions = {
  /** Who claims jobs, stored in `locked_by`; default a fresh `newWorkerId()`. */
  workerId?: string;
  /**
   * Which kinds to claim: default the registry's. `'all'` also claims kinds the registry lacks and
   * fails them (the server's worker does this, so no job waits forever for a handler).
   */
  kinds?: readonly string[] | 'all' | undefined;
  /** The time jobs are due by; default `deps.clock()` read at each claim. */
  now?: Date;
  /** Told about every failed attempt (the failure is also stored in `last_error`). */
  onError?: (error: unknown, job: Job) => void;
};

const DEFAULT_LEASE_MS = 5 * 60_000;

/** `host-pid-random`: unique per worker, readable in `locked_by`. */
export function newWorkerId(): string {
  return `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Claims the next due job (`run_at <= now` by the application clock, never the database's) and
 * runs it. Returns false when none was due. Several callers, in one process or many, never claim
 * the same job: rows are taken with `FOR UPDATE SKIP LOCKED`.
 */
export async function runNextJob(
  deps: Deps,
  registry: JobRegistry,
  options: RunOptions = {},
): Promise<boolean> {
  const db = deps.database.db;
  const clock = () => options.now ?? deps.clock();
  const workerId = options.workerId ?? newWorkerId();
  const now = clock();
  const kinds = options.kinds ?? registry.kinds();
  let claimed: Job | undefined;
  let leased: { job: Job; definition: Extract<JobDefinition, { mode: 'lease' }> } | undefined;
  const failed = (error: unknown, job: Job) => options.onError?.(error, job);
  try {
    await db.transaction(async (tx) => {
      const [job] = await tx
        .select()
        .from(jobs)
        .where(
          and(
            sql`${jobs.state} = 'pending'`,
            lte(jobs.runAt, now),
            or(isNull(jobs.lockedUntil), lte(jobs.lockedUntil, now)),
            kinds === 'all' ? undefined : anyOf(jobs.kind, kinds, 'text'),
          ),
        )
        // By run_at alone, so the partial index jobs_due_idx yields the first row without a sort.
        .orderBy(jobs.runAt)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!job) return;
      claimed = job;
      const definition = registry.get(job.kind);
      if (!definition) {
        const error = new Error(`No handler for job kind "${job.kind}" in this worker.`);
        failed(error, job);
        await recordFailure(tx, job, undefined, job.attempts + 1, error, now);
        return;
      }
      if (definition.mode === 'lease') {
        leased = await lease(tx, job, definition, now, workerId);
        return;
      }
      // The row is done before the handler runs, so the handler may enqueue a successor under the
      // same unique key; a failure rolls the handler back to its savepoint and undoes this.
      const attempt = job.attempts + 1;
      await tx
        .update(jobs)
        .set({ state: 'done', attempts: attempt, finishedAt: now, lockedBy: workerId, lockedUntil: null })
        .where(eq(jobs.id, job.id));
      try {
        const payload = definition.parse ? definition.parse(job.payload) : job.payload;
        const running = { ...job, attempts: attempt, lockedBy: workerId };
        await tx.transaction((sp) => definition.run({ tx: sp, job: running, payload, now, deps }));
        await scheduleNext(tx, job, definition, now);
      } catch (error) {
        failed(error, job);
        await recordFailure(tx, job, definition, attempt, error, now);
      }
    });
  } catch (error) {
    // The claiming transaction itself failed (the database, or a handler that swallowed an SQL
    // error and left the transaction aborted): count the attempt so the job cannot loop.
    if (!claimed) throw error;
    const job: Job = claimed;
    failed(error, job);
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, job.id), sql`${jobs.state} = 'pending'`))
        .for('update', { skipLocked: true });
      if (row) await recordFailure(tx, row, registry.get(row.kind), row.attempts + 1, error, now);
    });
    return true;
  }
  if (!claimed) return false;
  if (leased) await runLeased(deps, leased.job, leased.definition, workerId, clock, failed);
  return true;
}

/** Takes a lease on a claimed job, or fails it when its last attempt's worker never came back. */
async function lease(
  tx: Queryable,
  job: Job,
  definition: Extract<JobDefinition, { mode: 'lease' }>,
  now: Date,
  workerId: string,
) {
  const expired = job.lockedUntil ? `The lease of ${job.lockedBy} expired before it finished.` : null;
  if (expired && job.attempts >= job.maxAttempts) {
    await recordFailure(tx, job, definition, job.attempts, new Error(expired), now);
    return undefined;
  }
  const [leasedJob] = await tx
    .update(jobs)
    .set({
      attempts: job.attempts + 1,
      lockedBy: workerId,
      lockedUntil: new Date(now.getTime() + (definition.leaseMs ?? DEFAULT_LEASE_MS)),
      ...(expired ? { lastError: expired } : {}),
    })
    .where(eq(jobs.id, job.id))
    .returning();
  return { job: leasedJob!, definition };
}

/** Runs a leased job outside any transaction, then records the outcome if the lease is still ours. */
async function runLeased(
  deps: Deps,
  job: Job,
  definition: Extract<JobDefinition, { mode: 'lease' }>,
  workerId: string,
  clock: () => Date,
  failed: (error: unknown, job: Job) => void,
) {
  const db = deps.database.db;
  let failure: { error: unknown } | undefined;
  try {
    const payload = definition.parse ? definition.parse(job.payload) : job.payload;
    await definition.run({ db, job, payload, now: clock(), deps });
  } catch (error) {
    failure = { error };
    failed(error, job);
  }
  const now = clock();
  await db.transaction(async (tx) => {
    const stillOurs = and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId), sql`${jobs.state} = 'pending'`);
    if (failure) {
      await recordFailure(tx, job, definition, job.attempts, failure.error, now, stillOurs);
      return;
    }
    const [done] = await tx
      .update(jobs)
      .set({ state: 'done', finishedAt: now, lockedUntil: null })
      .where(stillOurs)
      .returning({ id: jobs.id });
    if (done) await scheduleNext(tx, job, definition, now);
  });
}

/**
 * Records failed attempt number `attempt`: retried after the backoff, or `failed` once it was the
 * last allowed. `where` narrows the update (a lease still held by this worker).
 */
async function recordFailure(
  tx: Queryable,
  job: Job,
  definition: JobDefinition | undefined,
  attempt: number,
  error: unknown,
  now: Date,
  where = eq(jobs.id, job.id),
) {
  const lastError = describe(error);
  const final = attempt >= job.maxAttempts;
  const backoff = definition?.backoff ?? defaultBackoff;
  const [row] = await tx
    .update(jobs)
    .set(
      final
        ? { state: 'failed', attempts: attempt, lastError, finishedAt: now, lockedUntil: null }
        : {
            state: 'pending',
            attempts: attempt,
            lastError,
            finishedAt: null,
            lockedUntil: null,
            runAt: new Date(now.getTime() + backoff(attempt)),
          },
    )
    .where(where)
    .returning({ id: jobs.id });
  if (row && final && definition) {
    if (definition.onFailed) {
      const onFailed = definition.onFailed;
      await tx.transaction((sp) => onFailed({ tx: sp, job, error, now })).catch(() => {});
    }
    await scheduleNext(tx, job, definition, now);
  }
}

/** Enqueues the next run of a recurring kind. */
async function scheduleNext(tx: Queryable, job: Job, definition: JobDefinition, now: Date) {
  if (!definition.every) return;
  await enqueue(
    tx,
    {
      kind: job.kind,
      payload: job.payload,
      brandId: job.brandId,
      runAt: new Date(now.getTime() + definition.every),
      uniqueKey: job.uniqueKey ?? job.kind,
      maxAttempts: job.maxAttempts,
    },
    now,
  );
}

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.slice(0, 4000);
}

/**
 * Runs due jobs one after another until none is due or `limit` (default 1000) ran; returns how
 * many ran (failed attempts included). For tests, the CLI and benchmarks; the server uses `Worker`.
 */
export async function runDueJobs(
  deps: Deps,
  registry: JobRegistry,
  options: RunOptions & { limit?: number } = {},
): Promise<number> {
  const limit = options.limit ?? 1000;
  const run: RunOptions = { ...options, workerId: options.workerId ?? newWorkerId() };
  let ran = 0;
  while (ran < limit && (await runNextJob(deps, registry, run))) ran += 1;
  return ran;
}

/** Makes sure every recurring kind (`every`) has a pending job; the worker calls it at start. */
export async function scheduleRecurring(
  db: Queryable,
  registry: JobRegistry,
  now: Date,
  kinds: readonly string[] | 'all' = 'all',
): Promise<void> {
  for (const definition of registry.all()) {
    if (!definition.every || (kinds !== 'all' && !kinds.includes(definition.kind))) continue;
    await enqueue(db, { kind: definition.kind, runAt: now, uniqueKey: definition.kind }, now);
  }
}
