/** The job queue: define kinds, enqueue in a transaction, run them with a `Worker` or `runDueJobs`. */
export * from './define';
export * from './queue';
export * from './registry';
export { newWorkerId, type RunOptions, runDueJobs, runNextJob, scheduleRecurring } from './run';
export * from './worker';
