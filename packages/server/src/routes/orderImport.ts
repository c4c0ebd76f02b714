import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import type { Deps } from '../context';
import { applyOrderGroups, checkOrderGroups, ORDER_CSV_COLUMNS, parseOrderCsv } from '../imports/orderCsv';
import { startImportRun } from '../imports/runs';
import { requireBrand } from '../policies';
import { brandParams, errorResponses } from './schemas';
import { csvBody, importRunSchema, presentRun } from './trackingImport';

const problemSchema = z.object({ row: z.number(), kind: z.string(), message: z.string() });
const previewSchema = z.object({
  rows: z.number(),
  orders: z.array(
    z.object({
      number: z.string(),
      externalId: z.string().nullable(),
      rows: z.array(z.number()),
      items: z.number(),
      purchaseOrders: z.array(z.string()),
    }),
  ),
  alreadyImported: z.array(
    z.object({ number: z.string(), externalId: z.string(), rows: z.array(z.number()) }),
  ),
  problems: z.array(problemSchema),
});

export const orderImportRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;
    const body = csvBody(
      `The file: a header, then one row per order item; rows of one order share its external id (or order number). Columns: ${ORDER_CSV_COLUMNS}`,
    );

    app.post(
      '/brands/:brandId/order-imports/preview',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Checks an order file without writing anything: the orders it would create, those already imported (same external id), and every problem with its row number (capability orders.import)',
          params: brandParams,
          body,
          response: { 200: z.object({ data: previewSchema }), ...errorResponses },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'orders.import',
        );
        const pack = deps.packs.get(access.brand.packId)!;
        const { ready: _ready, ...preview } = await checkOrderGroups(
          db,
          access.brand.id,
          pack,
          parseOrderCsv(request.body.csv),
        );
        return { data: preview };
      },
    );

    app.post(
      '/brands/:brandId/order-imports/apply',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Creates the orders of a file that pass the checks, in one transaction, through the same code as POST /brands/{brandId}/orders; idempotent on external id (capability orders.import)',
          params: brandParams,
          body,
          response: {
            200: z.object({ data: previewSchema.extend({ created: z.number() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const result = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'orders.import');
          return applyOrderGroups(
            tx,
            ctx,
            access.brand.id,
            deps.packs.get(access.brand.packId)!,
            parseOrderCsv(request.body.csv),
          );
        });
        return { data: result };
      },
    );

    app.post(
      '/brands/:brandId/order-imports',
      {
        config: { auth: 'actor' },
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags: ['orders'],
          summary:
            'Applies an order file in the background, for large files: answers 202 with an import run whose progress GET /brands/{brandId}/import-runs/{runId} reports (capability orders.import)',
          params: brandParams,
          body,
          response: { 202: z.object({ data: importRunSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const run = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'orders.import');
          return startImportRun(tx, ctx, access.brand.id, 'orders', request.body.csv);
        });
        return reply.status(202).send({ data: presentRun(run) });
      },
    );
  };
