import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit';
import type { Actor, Deps, RequestContext } from '../context';
import type { Queryable } from '../db/client';
import { brands, importRuns } from '../db/schema';
import { defineJob } from '../jobs/define';
import { enqueue } from '../jobs/queue';
import { applyTrackingRows, type TrackingApplyResult } from './applyTrackingImport';
import { applyOrderGroups, type OrderApplyResult, parseOrderCsv } from './orderCsv';
import { parseTrackingCsv, type TrackingRow } from './trackingCsv';

export type ImportKind = 'tracking' | 'orders';
export type ImportRun = typeof importRuns.$inferSelect;

/** Rows per batch of a background import (all in one transaction): the progress bar moves once per batch. */
export const IMPORT_BATCH = 1000;

/** The actor stored with a run: who started it, without session secrets. */
function storedActor(actor: Actor): Record<string, unknown> {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', userId: actor.userId, email: actor.email, name: actor.name };
    case 'api_token':
      return {
        kind: 'api_token',
        tokenId: actor.tokenId,
        brandId: actor.brandId,
        roleId: actor.roleId,
        name: actor.name,
      };
    case 'system':
      return actor;
  }
}

function actorOf(stored: unknown): Actor {
  const a = stored as Record<string, string>;
  if (a.kind === 'user')
    return {
      kind: 'user',
      userId: a.userId!,
      email: a.email!,
      name: a.name!,
      isOrgAdmin: false,
      sessionId: '',
      csrfToken: '',
    };
  if (a.kind === 'api_token')
    return { kind: 'api_token', tokenId: a.tokenId!, brandId: a.brandId!, roleId: a.roleId!, name: a.name! };
  return { kind: 'system', name: a.name ?? 'import' };
}

/**
 * Records an import run and enqueues the job that applies it, in the caller's transaction (so the
 * run exists exactly when its job does). The file was checked by the route's preview rules only
 * for size: every row is checked again as it is applied.
 */
export async function startImportRun(
  tx: Queryable,
  ctx: RequestContext,
  brandId: string,
  kind: ImportKind,
  csv: string,
): Promise<ImportRun> {
  const [run] = await tx
    .insert(importRuns)
    .values({
      brandId,
      kind,
      fileHash: createHash('sha256').update(csv).digest('hex'),
      csv,
      actor: storedActor(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await enqueue(
    tx,
    { kind: importApplyJob.kind, payload: { runId: run!.id }, runAt: ctx.now, brandId, maxAttempts: 3 },
    ctx.now,
  );
  await audit(tx, ctx, {
    brandId,
    entityType: 'import_run',
    entityId: run!.id,
    action: 'create',
    after: { kind, fileHash: run!.fileHash, bytes: csv.length },
  });
  return run!;
}

type TrackingSummary = Omit<TrackingApplyResult, 'valid'> & { valid: number };

/** Splits tracking rows into batches that keep every PO's rows together (a PO is checked as a whole). */
function trackingBatches(rows: TrackingRow[]): TrackingRow[][] {
  const byPo = new Map<string, TrackingRow[]>();
  for (const r of rows) {
    const list = byPo.get(r.po);
    if (list) list.push(r);
    else byPo.set(r.po, [r]);
  }
  const batches: TrackingRow[][] = [];
  let current: TrackingRow[] = [];
  for (const list of byPo.values()) {
    if (current.length && current.length + list.length > IMPORT_BATCH) {
      batches.push(current);
      current = [];
    }
    current.push(...list);
  }
  if (current.length) batches.push(current);
  return batches;
}

/**
 * Applies an import run in one transaction, in batches of about a thousand rows: all of it or
 * none. After each batch the run's progress is written on another connection, so the progress bar
 * moves while the transaction is open (on the embedded database, which has one connection, it is
 * written in the transaction and shows at the end). A retry (lease mode runs at least once) checks
 * every row again, so nothing is added twice.
 */
export const importApplyJob = defineJob<{ runId: string }>('imports.apply', {
  mode: 'lease',
  leaseMs: 15 * 60_000,
  parse: (payload) => z.object({ runId: z.uuid() }).parse(payload),
  async run({ db, payload, now, deps }) {
    const [run] = await db.select().from(importRuns).where(eq(importRuns.id, payload.runId));
    if (!run || run.state === 'done') return;
    const ctx: RequestContext = { actor: actorOf(run.actor), now };
    const pack = await packOfBrand(db, deps, run.brandId);
    // Progress goes through the pool, outside the import's transaction, where there is one.
    const progressOn = (tx: Queryable) => (deps.database.kind === 'postgres' ? db : tx);
    const progress = (tx: Queryable, processed: number, rows: number) =>
      progressOn(tx)
        .update(importRuns)
        .set({ state: 'running', processed, rows, updatedAt: deps.clock() })
        .where(eq(importRuns.id, run.id));
    try {
      await db.transaction(async (tx) => {
        let result: unknown;
        if (run.kind === 'tracking') {
          const parsed = parseTrackingCsv(run.csv);
          const total = parsed.rows.length + parsed.problems.filter((p) => p.row > 1).length;
          const summary: TrackingSummary = {
            rows: total,
            valid: 0,
            alreadyImported: [],
            problems: [...parsed.problems],
            canceled: 0,
            trackingNumbers: new Set(parsed.rows.map((r) => r.trackingNumber)).size,
            shipments: 0,
            autoShipped: 0,
          };
          let processed = parsed.problems.filter((p) => p.row > 1).length;
          await progress(tx, processed, total);
          for (const batch of trackingBatches(parsed.rows)) {
            {
              const r = await applyTrackingRows(tx, { ...ctx, now: deps.clock() }, run.brandId, pack, {
                rows: batch,
                problems: [],
              });
              summary.valid += r.valid.length;
              summary.alreadyImported.push(...r.alreadyImported);
              summary.problems.push(...r.problems);
              summary.canceled += r.canceled;
              summary.shipments += r.shipments;
              summary.autoShipped += r.autoShipped;
              processed += batch.length;
              await progress(tx, processed, total);
            }
          }
          summary.problems.sort((a, b) => a.row - b.row);
          summary.alreadyImported.sort((a, b) => a - b);
          result = summary;
        } else {
          const parsed = parseOrderCsv(run.csv);
          const summary: Omit<OrderApplyResult, 'orders'> & { orders: number } = {
            rows: parsed.rows,
            orders: 0,
            alreadyImported: [],
            problems: [],
            created: 0,
          };
          const handled = new Set<number>();
          for (const g of parsed.groups) for (const r of g.rows) handled.add(r);
          let processed = parsed.rows - handled.size;
          await progress(tx, processed, parsed.rows);
          summary.problems.push(...parsed.problems);
          for (let i = 0; i < parsed.groups.length; ) {
            const batch: typeof parsed.groups = [];
            let size = 0;
            while (
              i < parsed.groups.length &&
              (size === 0 || size + parsed.groups[i]!.rows.length <= IMPORT_BATCH)
            ) {
              size += parsed.groups[i]!.rows.length;
              batch.push(parsed.groups[i++]!);
            }
            {
              const r = await applyOrderGroups(tx, { ...ctx, now: deps.clock() }, run.brandId, pack, {
                groups: batch,
                problems: [],
                rows: size,
              });
              summary.orders += r.orders.length;
              summary.created += r.created;
              summary.alreadyImported.push(...r.alreadyImported);
              summary.problems.push(...r.problems);
              processed += size;
              await progress(tx, processed, parsed.rows);
            }
          }
          summary.problems.sort((a, b) => a.row - b.row);
          result = summary;
        }
        await tx
          .update(importRuns)
          .set({ state: 'done', result, updatedAt: deps.clock(), finishedAt: deps.clock() })
          .where(eq(importRuns.id, run.id));
        await audit(
          tx,
          { ...ctx, now: deps.clock() },
          {
            brandId: run.brandId,
            entityType: 'import_run',
            entityId: run.id,
            action: 'finish',
            after: summaryForAudit(result),
          },
        );
      });
    } catch (error) {
      await db
        .update(importRuns)
        .set({ state: 'failed', error: (error as Error).message, updatedAt: deps.clock() })
        .where(and(eq(importRuns.id, run.id), sql`${importRuns.state} <> 'done'`));
      throw error;
    }
  },
});

function summaryForAudit(result: unknown): Record<string, unknown> {
  const r = result as Record<string, unknown>;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? v.length : v]));
}

async function packOfBrand(db: Queryable, deps: Deps, brandId: string) {
  const [brand] = await db.select({ packId: brands.packId }).from(brands).where(eq(brands.id, brandId));
  const pack = brand ? deps.packs.get(brand.packId) : undefined;
  if (!pack) throw new Error(`The brand ${brandId} has no loaded pack.`);
  return pack;
}
