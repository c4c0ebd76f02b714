import { and, inArray, lt, sql } from 'drizzle-orm';
import type { Deps } from '../context';
import { anyOf } from '../db/anyOf';
import type { Queryable } from '../db/client';
import { jobs } from '../db/schema';
import { imapPollJob, imapScheduleJob } from '../email/imap';
import { emailSendJob } from '../email/send';
import { importApplyJob } from '../imports/runs';
import { workflowJobs } from '../notifications/jobs';
import { followUpJob, slaCheckJob } from '../tickets/followUp';
import { defineJob, JobRegistry } from './define';

const DAY = 24 * 3600_000;

/** Does nothing; for tests and for checking that a worker runs. */
export const noopJob = defineJob('noop', { mode: 'transaction', async run() {} });

/**
 * Deletes done and canceled jobs that finished before `before` (failed ones stay for inspection),
 * in batches so no statement holds many rows. `kinds` narrows it (tests). Returns how many.
 */
export async function pruneJobs(db: Queryable, before: Date, kinds?: readonly string[]): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          inArray(jobs.state, ['done', 'canceled']),
          lt(sql`coalesce(${jobs.finishedAt}, ${jobs.createdAt})`, before),
          kinds ? anyOf(jobs.kind, kinds, 'text') : undefined,
        ),
      )
      .limit(5000);
    const rows = await db.delete(jobs).where(inArray(jobs.id, batch)).returning({ id: jobs.id });
    deleted += rows.length;
    if (rows.length < 5000) return deleted;
  }
}

/** Daily: forgets jobs that finished more than 7 days ago by the application clock. */
export const pruneJob = defineJob('jobs.prune', {
  mode: 'lease',
  every: DAY,
  async run({ db, now }) {
    await pruneJobs(db, new Date(now.getTime() - 7 * DAY));
  },
});

/**
 * Every job kind this app runs. Add a feature's definitions here; `deps` is for handlers that
 * need configuration (SMTP, packs) when they are built.
 */
export function buildJobRegistry(_deps: Deps): JobRegistry {
  return new JobRegistry([
    noopJob,
    pruneJob,
    followUpJob,
    slaCheckJob,
    emailSendJob,
    imapScheduleJob,
    imapPollJob,
    importApplyJob,
    ...workflowJobs,
  ]);
}
