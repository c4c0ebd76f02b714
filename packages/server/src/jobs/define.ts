import type { Deps } from '../context';
import type { Db, Queryable, Tx } from '../db/client';
import type { jobs } from '../db/schema';

/** A row of the `jobs` table. */
export type Job = typeof jobs.$inferSelect;

/**
 * What a transaction-mode handler gets: the claiming transaction, which also marks the job done.
 * In both modes `job.attempts` counts the attempt being run (1 the first time).
 */
export type TransactionJobContext<P> = { tx: Tx; job: Job; payload: P; now: Date; deps: Deps };
/** What a lease-mode handler gets: the database, outside any transaction. */
export type LeaseJobContext<P> = { db: Db; job: Job; payload: P; now: Date; deps: Deps };

type Common<P> = {
  /** Checks and types the stored payload (e.g. a zod schema's `parse`); a throw fails the attempt. */
  parse?: (payload: unknown) => P;
  /** Wait in ms before the next try after `attempt` failed tries (1, 2, …); default `defaultBackoff`. */
  backoff?: (attempt: number) => number;
  /**
   * Run this kind every `every` ms: the worker enqueues one at start (unique key = kind) and each
   * run, done or finally failed, enqueues the next.
   */
  every?: number;
  /**
   * Called once when the job has failed for good (its last allowed attempt failed), in the
   * transaction that marks it `failed`, e.g. to mark the message it was sending as failed. A
   * throw here is ignored: the job is failed all the same.
   */
  onFailed?: (ctx: FailedJobContext) => Promise<void>;
};

/** What `onFailed` gets: the job as stored (its payload unparsed) and the last error. */
export type FailedJobContext = { tx: Queryable; job: Job; error: unknown; now: Date };

export type JobOptions<P> = Common<P> &
  (
    | {
        /**
         * For effects in the database only: the handler runs in the transaction that claimed the
         * job (`SELECT … FOR UPDATE SKIP LOCKED`) and marks it done, so the effect happens exactly
         * once however many workers run. Use `ctx.tx` only: on the embedded database another
         * query would wait for this transaction forever.
         */
        mode: 'transaction';
        run(ctx: TransactionJobContext<P>): Promise<void>;
      }
    | {
        /**
         * For effects outside the database (mail, webhooks): the job is leased for `leaseMs`
         * (default 5 minutes) and the handler runs outside any transaction. A worker that dies
         * lets the lease expire and another worker tries again: at least once, so the handler
         * must be idempotent (e.g. keyed by `job.id`).
         */
        mode: 'lease';
        leaseMs?: number;
        run(ctx: LeaseJobContext<P>): Promise<void>;
      }
  );

export type JobDefinition<P = unknown> = JobOptions<P> & { kind: string };

/**
 * Declares how jobs of one kind run. Add the definition to the registry in `jobs/registry.ts`.
 *
 * ```ts
 * export const reopenTicket = defineJob<{ ticketId: string }>('tickets.reopen', {
 *   mode: 'transaction',
 *   async run({ tx, payload, now }) { … },
 * });
 * ```
 */
export function defineJob<P = unknown>(kind: string, options: JobOptions<P>): JobDefinition<P> {
  return { ...options, kind };
}

const SECOND = 1000;
const STEPS = [10, 30, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600].map((s) => s * SECOND);

/** 10 s, 30 s, 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, then daily: deterministic, so tests can step the clock. */
export function defaultBackoff(attempt: number): number {
  return STEPS[Math.min(Math.max(attempt, 1), STEPS.length) - 1]!;
}

/** The job kinds one worker knows. Built per app (or per test), never a module-level singleton. */
export class JobRegistry {
  private definitions = new Map<string, JobDefinition>();

  constructor(definitions: JobDefinition[] = []) {
    this.add(...definitions);
  }

  add(...definitions: JobDefinition[]): this {
    for (const d of definitions) {
      if (this.definitions.has(d.kind)) throw new Error(`Job kind ${d.kind} is defined twice.`);
      this.definitions.set(d.kind, d);
    }
    return this;
  }

  get(kind: string): JobDefinition | undefined {
    return this.definitions.get(kind);
  }

  kinds(): string[] {
    return [...this.definitions.keys()];
  }

  all(): JobDefinition[] {
    return [...this.definitions.values()];
  }
}
