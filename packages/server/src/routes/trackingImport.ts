import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { importRuns } from '../db/schema';
import { errors } from '../errors';
import { applyTrackingImport } from '../imports/applyTrackingImport';
import { type ImportRun, startImportRun } from '../imports/runs';
import { previewTrackingImport } from '../imports/trackingCsv';
import { requireBrand } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

/** The file of an import, as JSON: CSV text of at most 8 MB. */
export const csvBody = (describe: string) =>
  z.strictObject({
    csv: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(8_000_000, { error: 'must be at most 8 MB; split the file' })
      .describe(describe),
  });

export const importRunSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['tracking', 'orders']),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  rows: z.number().describe('Rows of the file (0 until the job has read it)'),
  processed: z.number().describe('Rows handled so far: the progress bar is processed / rows'),
  result: z.unknown().nullable().describe('What the import did, once done: counts and row problems'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const presentRun = (run: ImportRun) => ({
  id: run.id,
  kind: run.kind,
  state: run.state,
  rows: run.rows,
  processed: run.processed,
  result: run.result ?? null,
  error: run.error,
  createdAt: run.createdAt.toISOString(),
  finishedAt: run.finishedAt?.toISOString() ?? null,
});

/** The capability an import of each kind needs. */
export const IMPORT_CAPABILITY = { tracking: 'shipments.manage', orders: 'orders.import' } as const;

export const trackingImportRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const importBody = csvBody(
      'The file: a header naming PO, SKU, carrier and tracking number, then one row per shipped line',
    );
    const problemSchema = z.object({
      row: z.number(),
      kind: z.string(),
      message: z.string(),
      rule: z.string().optional().describe('The pack rule that refuses the row, when a guardrail does'),
    });
    const previewSchema = z.object({
      rows: z.number(),
      valid: z.array(
        z.object({
          row: z.number(),
          po: z.string(),
          sku: z.string(),
          carrier: z.string(),
          trackingNumber: z.string(),
        }),
      ),
      alreadyImported: z.array(z.number()),
      problems: z.array(problemSchema),
      canceled: z.number(),
      reviewRequired: z
        .boolean()
        .describe('More than ten tracking numbers: the SOP asks for a review of canceled POs/SKUs first'),
    });
    const present = (p: Awaited<ReturnType<typeof previewTrackingImport>>) => ({
      rows: p.rows,
      valid: p.valid.map(({ poId: _poId, ...rest }) => rest),
      alreadyImported: p.alreadyImported,
      problems: p.problems,
      canceled: p.canceled,
      reviewRequired: p.trackingNumbers > 10,
    });

    app.post(
      '/brands/:brandId/tracking-imports/preview',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Checks a tracking file without writing anything: every row with an unknown or canceled PO/SKU, a duplicate tracking number or nothing left to ship, with its row number (capability shipments.manage)',
          params: brandParams,
          body: importBody,
          response: { 200: z.object({ data: previewSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'shipments.manage',
        );
        return { data: present(await previewTrackingImport(db, access.brand.id, request.body.csv)) };
      },
    );

    app.post(
      '/brands/:brandId/tracking-imports/apply',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Adds the valid rows of a tracking file as shipments in one transaction; rows imported before add nothing. A file whose every row a guardrail refuses (tracking for canceled POs) is refused with 422 guardrail_violation naming the rule (capability shipments.manage)',
          params: brandParams,
          body: importBody,
          response: {
            200: z.object({ data: previewSchema.extend({ shipments: z.number(), autoShipped: z.number() }) }),
            422: errorResponses[400],
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const result = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'shipments.manage');
          const result = await applyTrackingImport(
            tx,
            ctx,
            access.brand.id,
            deps.packs.get(access.brand.packId)!,
            request.body.csv,
          );
          // A file whose every row a guardrail refuses (tracking for canceled POs) is refused as a
          // whole, naming the rule; a file with other rows applies those and lists the refused ones.
          const refused = result.problems.filter((p) => p.rule);
          if (refused.length > 0 && refused.length === result.rows) {
            const error = errors.guardrail(
              refused[0]!.rule!,
              refused
                .slice(0, 5)
                .map((p) => p.message)
                .join(' '),
            );
            Object.assign(error.details ?? {}, { problems: refused });
            throw error;
          }
          return result;
        });
        return { data: { ...present(result), shipments: result.shipments, autoShipped: result.autoShipped } };
      },
    );

    app.post(
      '/brands/:brandId/tracking-imports',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Applies a tracking file in the background, for large files: answers 202 with an import run whose progress GET /brands/{brandId}/import-runs/{runId} reports; rows imported before add nothing (capability shipments.manage)',
          params: brandParams,
          body: importBody,
          response: { 202: z.object({ data: importRunSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const run = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'shipments.manage');
          return startImportRun(tx, ctx, access.brand.id, 'tracking', request.body.csv);
        });
        return reply.status(202).send({ data: presentRun(run) });
      },
    );

    app.get(
      '/brands/:brandId/import-runs/:runId',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'An import run: its state, progress and, once done, what it did (capability of its kind: shipments.manage for tracking, orders.import for orders)',
          params: z.strictObject({ brandId: uuidParam('brandId'), runId: uuidParam('runId') }),
          response: { 200: z.object({ data: importRunSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const { actor } = contextOf(request);
        const access = await requireBrand(db, actor, request.params.brandId);
        const [run] = await db
          .select()
          .from(importRuns)
          .where(and(eq(importRuns.id, request.params.runId), eq(importRuns.brandId, access.brand.id)));
        if (!run) throw errors.notFound('import run');
        await requireBrand(db, actor, access.brand.id, IMPORT_CAPABILITY[run.kind]);
        return { data: presentRun(run) };
      },
    );
  };
