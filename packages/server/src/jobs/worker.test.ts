import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Database, openDatabase } from '../db/client';
import { testDatabase } from '../test/db';
import { TestClock } from '../test/harness';
import { defineJob, type Job, JobRegistry } from './define';
import { enqueue } from './queue';
import { effectsTable, jobById, jobDeps, jobsLike, testKind, waitFor } from './testing';
import { Worker } from './worker';

const effects = effectsTable();
const opened: Database[] = [];

beforeAll(async () => effects.create((await testDatabase()).db));
afterAll(async () => {
  await effects.drop((await testDatabase()).db);
  for (const database of opened) await database.close();
});

/**
 * A database as another app instance would see it: its own pool (and listening connection) to the
 * same server, or the test file's embedded database, which cannot be opened twice.
 */
async function instanceDatabase(): Promise<Database> {
  const url = inject('testDatabaseUrl');
  if (!url) return testDatabase();
  const database = await openDatabase({ kind: 'postgres', url, poolSize: 3 });
  opened.push(database);
  return database;
}

describe('Worker', () => {
  it('two app instances run 200 transaction-mode jobs, each exactly once', { timeout: 60_000 }, async () => {
    const kind = testKind();
    const clock = new TestClock();
    const errors: unknown[] = [];
    const workers = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const { deps } = jobDeps(await instanceDatabase(), clock);
        const registry = new JobRegistry([
          defineJob(kind, {
            mode: 'transaction',
            async run({ tx, job }) {
              await effects.record(tx, job, name);
            },
          }),
        ]);
        return new Worker(deps, registry, {
          kinds: [kind],
          workerId: `worker-${name}`,
          pollMs: 50,
          onError: (e) => errors.push(e),
        });
      }),
    );
    for (const worker of workers) await worker.start();
    try {
      const { db } = await testDatabase();
      const now = clock.now();
      const ids = await db.transaction(async (tx) => {
        const out: number[] = [];
        for (let i = 0; i < 200; i++)
          out.push((await enqueue(tx, { kind, runAt: now, payload: { i } }, now))!.id);
        return out;
      });
      await waitFor(async () => (await jobsLike(db, kind)).every((j) => j.state === 'done'), 50_000);
      const runs = await effects.runs(db, ids);
      expect(runs.map((r) => r.jobId)).toEqual(ids);
      expect(new Set(runs.map((r) => r.worker))).toEqual(new Set(['a', 'b']));
      const rows = await jobsLike(db, kind);
      expect(rows.every((j) => j.attempts === 1)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });

  it('wakes on NOTIFY instead of waiting for its next poll', async () => {
    const database = await instanceDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    const ran: number[] = [];
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'lease',
        async run({ job }) {
          ran.push(job.id);
        },
      }),
    ]);
    const worker = new Worker(deps, registry, { kinds: [kind], pollMs: 60_000 });
    await worker.start();
    try {
      // Let both lanes find nothing and go to sleep for a minute.
      await new Promise((r) => setTimeout(r, 300));
      const { db } = await testDatabase();
      const started = Date.now();
      const job = await db.transaction((tx) => enqueue(tx, { kind, runAt: clock.now() }, clock.now()));
      await waitFor(() => ran.length === 1, 5000);
      expect(Date.now() - started).toBeLessThan(5000);
      await waitFor(async () => (await jobById(db, job!.id)).state === 'done', 5000);
    } finally {
      await worker.stop();
    }
  });

  it('stop() waits for the running job to finish and claims no more', async () => {
    const database = await testDatabase();
    const { deps, clock } = jobDeps(database);
    const kind = testKind();
    let release: () => void = () => {};
    const started: Job[] = [];
    const registry = new JobRegistry([
      defineJob(kind, {
        mode: 'lease',
        async run({ job }) {
          started.push(job);
          await new Promise<void>((r) => (release = r));
        },
      }),
    ]);
    const worker = new Worker(deps, registry, { kinds: [kind], concurrency: 1, pollMs: 20 });
    const first = await enqueue(database.db, { kind, runAt: clock.now() }, clock.now());
    const second = await enqueue(database.db, { kind, runAt: clock.now() }, clock.now());
    await worker.start();
    await waitFor(() => started.length === 1);
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await jobById(database.db, first!.id)).state).toBe('done');
    expect((await jobById(database.db, second!.id)).state).toBe('pending');
    expect(started).toHaveLength(1);
  });

  it('fails jobs of kinds it has no handler for', async () => {
    const database = await testDatabase();
    const kind = testKind();
    const { deps, clock } = jobDeps(database);
    const job = await enqueue(database.db, { kind, runAt: clock.now(), maxAttempts: 1 }, clock.now());
    const errors: unknown[] = [];
    // By default a worker claims every kind; here only this test's, as the database is shared.
    const worker = new Worker(deps, new JobRegistry(), {
      kinds: [kind],
      pollMs: 20,
      onError: (e) => errors.push(e),
    });
    await worker.start();
    try {
      await waitFor(async () => (await jobById(database.db, job!.id)).state === 'failed');
      expect((await jobById(database.db, job!.id)).lastError).toContain('No handler for job kind');
      expect(String(errors[0])).toContain(kind);
    } finally {
      await worker.stop();
    }
  });
});
