import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../test/db';
import { defineJob, type Job, JobRegistry } from './define';
import { enqueue } from './queue';
import { pruneJob, pruneJobs } from './registry';
import { runDueJobs, runNextJob, scheduleRecurring } from './run';
import { effectsTable, jobById, jobDeps, jobsLike, testKind, waitFor } from './testing';

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

const effects = effectsTable();

beforeAll(async () => effects.create((await testDatabase()).db));
afterAll(async () => effects.drop((await testDatabase()).db));

/** A transaction-mode kind whose handler records each run in the effects table. */
function recordingJob(kind: string) {
  return defineJob(kind, {
    mode: 'transaction',
    async run({ tx, job }) {
      await effects.record(tx, job);
    },
  });
}

async function ranIds(ids: number[]): Promise<number[]> {
  return (await effects.runs((await testDatabase()).db, ids)).map((r) => r.jobId);
}

describe('runDueJobs', () => {
  it('runs a job when the injected clock reaches run_at, not before', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const registry = new JobRegistry([recordingJob(kind)]);
    const job = await enqueue(
      database.db,
      { kind, runAt: new Date(clock.now().getTime() + 7 * DAY) },
      clock.now(),
    );

    expect(await runDueJobs(deps, registry)).toBe(0);
    clock.advance(7 * DAY - 1);
    expect(await runDueJobs(deps, registry)).toBe(0);
    clock.advance(1);
    expect(await runDueJobs(deps, registry)).toBe(1);
    expect(await ranIds([job!.id])).toEqual([job!.id]);
    expect(await jobById(database.db, job!.id)).toMatchObject({
      state: 'done',
      attempts: 1,
      finishedAt: clock.now(),
    });
    expect(await runDueJobs(deps, registry)).toBe(0);
  });

  it('retries a failing job after the backoff and fails it after max attempts', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    let calls = 0;
    const attemptsSeen: number[] = [];
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'transaction',
        async run({ tx, job }) {
          calls += 1;
          attemptsSeen.push(job.attempts);
          // Its effect is rolled back with the failure.
          await effects.record(tx, job);
          throw new Error(`mailbox full (${calls})`);
        },
      }),
    ]);
    const errors: unknown[] = [];
    const job = await enqueue(database.db, { kind, runAt: clock.now(), maxAttempts: 3 }, clock.now());
    const start = clock.now().getTime();

    expect(await runDueJobs(deps, registry, { onError: (e) => errors.push(e) })).toBe(1);
    let row = await jobById(database.db, job!.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 1, runAt: new Date(start + 10 * SECOND) });
    expect(row.lastError).toContain('mailbox full (1)');
    expect(await runDueJobs(deps, registry)).toBe(0);

    clock.advance(10 * SECOND);
    expect(await runDueJobs(deps, registry)).toBe(1);
    row = await jobById(database.db, job!.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 2, runAt: new Date(start + 40 * SECOND) });

    clock.advance(30 * SECOND);
    expect(await runDueJobs(deps, registry)).toBe(1);
    row = await jobById(database.db, job!.id);
    expect(row).toMatchObject({ state: 'failed', attempts: 3, finishedAt: clock.now() });
    expect(row.lastError).toContain('mailbox full (3)');
    expect(calls).toBe(3);
    expect(attemptsSeen).toEqual([1, 2, 3]);
    expect(errors).toHaveLength(1);
    expect(await ranIds([job!.id])).toEqual([]);

    clock.advance(DAY);
    expect(await runDueJobs(deps, registry)).toBe(0);
  });

  it("uses the kind's own backoff", async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'lease',
        backoff: (attempt) => attempt * 1000,
        async run() {
          throw new Error('down');
        },
      }),
    ]);
    const job = await enqueue(database.db, { kind, runAt: clock.now() }, clock.now());
    await runDueJobs(deps, registry);
    clock.advance(1000);
    await runDueJobs(deps, registry);
    expect(await jobById(database.db, job!.id)).toMatchObject({
      attempts: 2,
      runAt: new Date(clock.now().getTime() + 2000),
      lockedUntil: null,
    });
  });

  it('fails a job whose kind has no handler, with a clear error', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const job = await enqueue(database.db, { kind, runAt: clock.now(), maxAttempts: 1 }, clock.now());
    // Only the registry's kinds by default: someone else's job is left alone.
    expect(await runDueJobs(deps, new JobRegistry())).toBe(0);
    expect(await runDueJobs(deps, new JobRegistry(), { kinds: [kind] })).toBe(1);
    const row = await jobById(database.db, job!.id);
    expect(row.state).toBe('failed');
    expect(row.lastError).toContain(`No handler for job kind "${kind}"`);
  });

  it('checks the payload with the kind’s parse', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const seen: string[] = [];
    const registry = new JobRegistry([
      defineJob<{ ticketId: string }>(kind, {
        mode: 'transaction',
        parse: (p) => {
          const ticketId = (p as { ticketId?: unknown }).ticketId;
          if (typeof ticketId !== 'string') throw new Error('ticketId: must be a string');
          return { ticketId };
        },
        async run({ payload }) {
          seen.push(payload.ticketId);
        },
      }),
    ]);
    const good = await enqueue(
      database.db,
      { kind, runAt: clock.now(), payload: { ticketId: 't1' } },
      clock.now(),
    );
    const bad = await enqueue(
      database.db,
      { kind, runAt: clock.now(), payload: {}, maxAttempts: 1 },
      clock.now(),
    );
    expect(await runDueJobs(deps, registry)).toBe(2);
    expect(seen).toEqual(['t1']);
    expect((await jobById(database.db, good!.id)).state).toBe('done');
    expect(await jobById(database.db, bad!.id)).toMatchObject({ state: 'failed' });
    expect((await jobById(database.db, bad!.id)).lastError).toContain('ticketId: must be a string');
  });

  it('counts an attempt when the handler leaves the transaction aborted', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'transaction',
        async run({ tx }) {
          await tx.execute(sql`select 1/0`).catch(() => {});
        },
      }),
    ]);
    const job = await enqueue(database.db, { kind, runAt: clock.now(), maxAttempts: 2 }, clock.now());
    expect(await runDueJobs(deps, registry, { onError: () => {} })).toBe(1);
    expect(await jobById(database.db, job!.id)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('runs every job exactly once when several runners compete', async () => {
    const database = await testDatabase();
    const { deps } = jobDeps(database);
    const kind = testKind();
    const registry = new JobRegistry([recordingJob(kind)]);
    const now = deps.clock();
    const ids = await database.db.transaction(async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < 100; i++) out.push((await enqueue(tx, { kind, runAt: now }, now))!.id);
      return out;
    });
    const counts = await Promise.all([1, 2, 3].map(() => runDueJobs(deps, registry)));
    expect(counts.reduce((a, b) => a + b)).toBe(100);
    expect(await ranIds(ids)).toEqual(ids);
  });
});

describe('lease mode', () => {
  it('lets another worker retry once a lease expires, and ignores the late finisher', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const runs: string[] = [];
    let releaseFirst: () => void = () => {};
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'lease',
        leaseMs: 60 * SECOND,
        async run({ job }) {
          runs.push(job.lockedBy!);
          if (runs.length === 1) await new Promise<void>((resolve) => (releaseFirst = resolve));
        },
      }),
    ]);
    const job = await enqueue(database.db, { kind, runAt: clock.now() }, clock.now());

    const stuck = runDueJobs(deps, registry, { workerId: 'worker-a', limit: 1 });
    await waitFor(() => runs.length === 1);
    expect(await jobById(database.db, job!.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lockedBy: 'worker-a',
      lockedUntil: new Date(clock.now().getTime() + 60 * SECOND),
    });
    // Still leased: nobody else takes it.
    clock.advance(59 * SECOND);
    expect(await runDueJobs(deps, registry, { workerId: 'worker-b' })).toBe(0);

    clock.advance(2 * SECOND);
    expect(await runDueJobs(deps, registry, { workerId: 'worker-b' })).toBe(1);
    expect(runs).toEqual(['worker-a', 'worker-b']);
    let row = await jobById(database.db, job!.id);
    expect(row).toMatchObject({ state: 'done', attempts: 2, lockedBy: 'worker-b', lockedUntil: null });
    expect(row.lastError).toContain('The lease of worker-a expired');

    releaseFirst();
    expect(await stuck).toBe(1);
    row = await jobById(database.db, job!.id);
    expect(row).toMatchObject({ state: 'done', attempts: 2, lockedBy: 'worker-b' });
  });

  it('fails a job whose last allowed attempt never came back', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const registry = new JobRegistry([
      defineJob(kind, { mode: 'lease', leaseMs: 1000, run: () => new Promise<void>(() => {}) }),
    ]);
    const job = await enqueue(database.db, { kind, runAt: clock.now(), maxAttempts: 1 }, clock.now());
    void runNextJob(deps, registry, { workerId: 'lost-worker' });
    await waitFor(async () => (await jobById(database.db, job!.id)).lockedBy === 'lost-worker');
    clock.advance(1000);
    expect(await runDueJobs(deps, registry)).toBe(1);
    const row: Job = await jobById(database.db, job!.id);
    expect(row.state).toBe('failed');
    expect(row.lastError).toContain('The lease of lost-worker expired');
  });
});

describe('recurring jobs and pruning', () => {
  it('a recurring kind enqueues its next run under the same key', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    let runs = 0;
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'transaction',
        every: DAY,
        async run() {
          runs += 1;
        },
      }),
    ]);
    await scheduleRecurring(database.db, registry, clock.now());
    await scheduleRecurring(database.db, registry, clock.now());
    expect(await runDueJobs(deps, registry)).toBe(1);
    let all = await jobsLike(database.db, kind);
    expect(all.map((j) => [j.state, j.uniqueKey])).toEqual([
      ['done', kind],
      ['pending', kind],
    ]);
    expect(all[1]!.runAt).toEqual(new Date(clock.now().getTime() + DAY));
    clock.advance(DAY);
    expect(await runDueJobs(deps, registry)).toBe(1);
    all = await jobsLike(database.db, kind);
    expect(all.map((j) => j.state)).toEqual(['done', 'done', 'pending']);
    expect(runs).toBe(2);
  });

  it('prunes done and canceled jobs older than the cut-off, keeps failed and pending ones', async () => {
    const { db } = await testDatabase();
    const kind = testKind();
    const now = new Date('2030-06-01T00:00:00Z');
    const old = new Date(now.getTime() - 8 * DAY);
    const recent = new Date(now.getTime() - 6 * DAY);
    const ids: Record<string, number> = {};
    for (const [name, state, finishedAt] of [
      ['oldDone', 'done', old],
      ['oldCanceled', 'canceled', old],
      ['oldFailed', 'failed', old],
      ['recentDone', 'done', recent],
      ['pending', 'pending', null],
    ] as const) {
      const job = await enqueue(db, { kind, runAt: old }, old);
      await db.execute(
        sql`update jobs set state = ${state}, finished_at = ${finishedAt} where id = ${job!.id}`,
      );
      ids[name] = job!.id;
    }
    expect(await pruneJobs(db, new Date(now.getTime() - 7 * DAY), [kind])).toBe(2);
    const left = (await jobsLike(db, kind)).map((j) => j.id);
    expect(left).toEqual([ids.oldFailed, ids.recentDone, ids.pending]);
    expect(pruneJob).toMatchObject({ kind: 'jobs.prune', mode: 'lease', every: DAY });
  });
});
