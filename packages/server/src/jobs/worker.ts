import type { Deps } from '../context';
import type { Unlisten } from '../db/notify';
import type { Job, JobRegistry } from './define';
import { JOBS_CHANNEL } from './queue';
import { newWorkerId, runNextJob, scheduleRecurring } from './run';

export type WorkerOptions = {
  /** How often an idle worker looks for due jobs (ms, default 1000); NOTIFY wakes it sooner. */
  pollMs?: number;
  /** Jobs run at the same time (default 2). */
  concurrency?: number;
  workerId?: string;
  /** Only these kinds; default `'all'`, so a kind without a handler fails instead of waiting forever. */
  kinds?: readonly string[] | 'all';
  /** Failed attempts (`job` set) and errors of the worker itself, e.g. a lost database. Default: console.error. */
  onError?: (error: unknown, job?: Job) => void;
};

/**
 * Runs due jobs in the background of an app instance. Any number of workers, in one process or
 * many, may share a database. Idle lanes sleep `pollMs` or until a job is enqueued (NOTIFY on
 * `casebook_jobs`); `stop()` lets running jobs finish.
 */
export class Worker {
  readonly workerId: string;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly onError: (error: unknown, job?: Job) => void;
  private running = false;
  private lanes: Promise<void>[] = [];
  private unlisten: Unlisten | undefined;
  /** Bumped by every wake-up, so a lane that was busy when one came does not sleep through it. */
  private wakeups = 0;
  private sleepers = new Set<() => void>();

  constructor(
    private readonly deps: Deps,
    private readonly registry: JobRegistry,
    private readonly options: WorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? newWorkerId();
    this.pollMs = options.pollMs ?? 1000;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.onError =
      options.onError ??
      ((error, job) => console.error(job ? `[jobs] ${job.kind} #${job.id} failed:` : '[jobs]', error));
  }

  /** Listens for new jobs, schedules the recurring kinds and starts the lanes. */
  async start(): Promise<void> {
    if (this.running) return;
    const kinds = this.options.kinds ?? 'all';
    this.unlisten = await this.deps.database.listen(
      JOBS_CHANNEL,
      (kind) => {
        if (kinds === 'all' || kinds.includes(kind)) this.wake();
      },
      { onReconnect: () => this.wake() },
    );
    try {
      await scheduleRecurring(this.deps.database.db, this.registry, this.deps.clock(), kinds);
    } catch (error) {
      await this.unlisten();
      throw error;
    }
    this.running = true;
    this.lanes = Array.from({ length: this.concurrency }, () => this.lane());
  }

  /** Stops claiming jobs and waits for the running ones to finish. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await Promise.all(this.lanes);
    this.lanes = [];
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Makes idle lanes look for due jobs now. */
  wake() {
    this.wakeups += 1;
    for (const resolve of this.sleepers) resolve();
    this.sleepers.clear();
  }

  private async lane() {
    while (this.running) {
      const seen = this.wakeups;
      let ran = false;
      try {
        ran = await runNextJob(this.deps, this.registry, {
          workerId: this.workerId,
          kinds: this.options.kinds ?? 'all',
          onError: this.onError,
        });
      } catch (error) {
        this.onError(error);
      }
      if (!ran) await this.sleep(seen);
    }
  }

  private sleep(seen: number): Promise<void> {
    if (!this.running || this.wakeups !== seen) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.sleepers.add(done);
    });
  }
}
