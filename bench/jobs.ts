/**
 * Job queue throughput and wake-up latency on the configured database (DATABASE_URL for
 * PostgreSQL, where two app instances with their own pools share the work; otherwise one embedded
 * database in a temporary folder):
 * - jobs enqueued per second, 500 per transaction;
 * - transaction-mode and lease-mode jobs run per second by the workers (checked exactly once /
 *   at least once by counting handler runs);
 * - time from the commit of a due job to its handler starting, with idle workers polling every 10 s.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/jobs.ts [jobs] [concurrency]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { like } from 'drizzle-orm';
import { loadConfig } from '../packages/server/src/config';
import { type Deps, systemClock } from '../packages/server/src/context';
import { type Database, openDatabase } from '../packages/server/src/db/client';
import { runMigrations } from '../packages/server/src/db/migrate';
import { jobs } from '../packages/server/src/db/schema';
import { defineJob, JobRegistry } from '../packages/server/src/jobs/define';
import { enqueue } from '../packages/server/src/jobs/queue';
import { Worker } from '../packages/server/src/jobs/worker';
import { TEST_SECRET } from '../packages/server/src/test/harness';

const JOBS = Number(process.argv[2] ?? 5000);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const url = process.env.DATABASE_URL;
const dir = url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-bench-'));
const open = () =>
  url
    ? openDatabase({ kind: 'postgres', url, poolSize: CONCURRENCY + 2 })
    : openDatabase({ kind: 'embedded', dataDir: path.join(dir!, 'pglite') });
const first = await open();
await runMigrations(first);
// Two app instances on a server; the embedded database has one connection and one process.
const instances: Database[] = url ? [first, await open()] : [first];
const config = loadConfig({ NODE_ENV: 'test', CASEBOOK_SECRET: TEST_SECRET, CASEBOOK_DEMO: '0' });
const packs = { get: () => undefined, list: () => [] };
const depsOf = (database: Database): Deps => ({ database, config, clock: systemClock, packs });
const prefix = `bench.${Date.now()}`;
const runs = new Map<number, number>();
const started = new Map<number, number>();
const count = (id: number) => {
  started.set(id, performance.now());
  runs.set(id, (runs.get(id) ?? 0) + 1);
};
const registry = () =>
  new JobRegistry([
    defineJob(`${prefix}.tx`, { mode: 'transaction', run: async ({ job }) => count(job.id) }),
    defineJob(`${prefix}.lease`, { mode: 'lease', run: async ({ job }) => count(job.id) }),
  ]);

async function enqueueMany(kind: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i += 500) {
    await first.db.transaction(async (tx) => {
      const now = new Date();
      for (let j = i; j < Math.min(n, i + 500); j++)
        ids.push((await enqueue(tx, { kind, runAt: now }, now))!.id);
    });
  }
  return ids;
}

async function waitUntil(check: () => boolean) {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

console.log(
  `database: ${first.kind}; ${instances.length} app instance(s) × ${CONCURRENCY} lanes; ${JOBS} jobs per mode`,
);

// Enqueue while no worker runs, so the figure is the insert cost alone.
let t = performance.now();
const txIds = await enqueueMany(`${prefix}.tx`, JOBS);
let seconds = (performance.now() - t) / 1000;
console.log(`enqueue: ${JOBS} in ${seconds.toFixed(2)} s = ${Math.round(JOBS / seconds)} jobs/s`);
const leaseIds = await enqueueMany(`${prefix}.lease`, JOBS);

const workers = instances.map(
  (database) =>
    new Worker(depsOf(database), registry(), {
      kinds: [`${prefix}.tx`, `${prefix}.lease`],
      concurrency: CONCURRENCY,
      pollMs: 10_000,
    }),
);
t = performance.now();
await Promise.all(workers.map((w) => w.start()));
await waitUntil(() => txIds.every((id) => runs.has(id)) && leaseIds.every((id) => runs.has(id)));
seconds = (performance.now() - t) / 1000;
const twice = txIds.filter((id) => runs.get(id) !== 1).length;
console.log(
  `run: ${2 * JOBS} (half transaction, half lease) in ${seconds.toFixed(2)} s = ${Math.round((2 * JOBS) / seconds)} jobs/s; transaction-mode jobs run more than once: ${twice}`,
);

// Wake-up latency: idle workers (polling every 10 s) hear the NOTIFY of each commit.
const latencies: number[] = [];
for (let i = 0; i < 20; i++) {
  await new Promise((r) => setTimeout(r, 50));
  const now = new Date();
  const before = performance.now();
  const job = await enqueue(first.db, { kind: `${prefix}.tx`, runAt: now }, now);
  await waitUntil(() => started.has(job!.id));
  latencies.push(started.get(job!.id)! - before);
}
latencies.sort((a, b) => a - b);
console.log(
  `wake-up: median ${latencies[10]!.toFixed(1)} ms, worst ${latencies.at(-1)!.toFixed(1)} ms from commit to handler`,
);

await Promise.all(workers.map((w) => w.stop()));
await first.db.delete(jobs).where(like(jobs.kind, `${prefix}.%`));
for (const database of instances) await database.close();
if (dir) fs.rmSync(dir, { recursive: true, force: true });
