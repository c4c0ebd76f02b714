import { randomBytes } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import { loadConfig } from '../config';
import type { Deps } from '../context';
import type { Database, Queryable } from '../db/client';
import { jobs } from '../db/schema';
import { TEST_SECRET, TestClock } from '../test/harness';
import type { Job } from './define';

/** Test helpers for the job queue: deps on a given database with a movable clock, own job kinds. */
export function jobDeps(database: Database, clock = new TestClock()): { deps: Deps; clock: TestClock } {
  const config = loadConfig({ NODE_ENV: 'test', CASEBOOK_SECRET: TEST_SECRET, CASEBOOK_DEMO: '0' });
  const packs = { get: () => undefined, list: () => [] };
  return { deps: { database, config, clock: clock.now, packs }, clock };
}

/** A job kind prefix no other test uses, so tests sharing a database never touch each other's jobs. */
export function testKind(): string {
  return `test.${randomBytes(5).toString('hex')}`;
}

export function jobsLike(db: Queryable, prefix: string) {
  return db
    .select()
    .from(jobs)
    .where(like(jobs.kind, `${prefix}%`))
    .orderBy(jobs.id);
}

export async function jobById(db: Queryable, id: number) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row!;
}

/** Polls until `check` returns true, failing after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A side-effect table of one test file: one row per handler run, with no constraint that could
 * hide a duplicate. Create it before the tests and drop it after.
 */
export function effectsTable() {
  const table = sql.identifier(`jobs_test_effects_${randomBytes(5).toString('hex')}`);
  return {
    create: (db: Queryable) => db.execute(sql`create table ${table} (job_id bigint not null, worker text)`),
    drop: (db: Queryable) => db.execute(sql`drop table if exists ${table}`),
    record: (tx: Queryable, job: Job, worker?: string) =>
      tx.execute(sql`insert into ${table} (job_id, worker) values (${job.id}, ${worker ?? null})`),
    /** The job ids of the recorded runs among `ids`, sorted, with repeats. */
    async runs(db: Queryable, ids: number[]): Promise<{ jobId: number; worker: string | null }[]> {
      const result = (await db.execute(
        sql`select job_id, worker from ${table} where job_id = any(${sql.param(ids)}::bigint[]) order by job_id`,
      )) as unknown as { rows: { job_id: string | number; worker: string | null }[] };
      return result.rows.map((r) => ({ jobId: Number(r.job_id), worker: r.worker }));
    },
  };
}
