import { createHmac } from 'node:crypto';
import { TRACKING_STATUSES } from '@casebook/core';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import { safeEqual } from '../auth/secrets';
import { addShipment } from '../commands/addShipment';
import { applyTrackingImport } from '../commands/applyTrackingImport';
import { ingestTrackingEvents } from '../commands/ingestTrackingEvents';
import type { Deps, RequestContext } from '../context';
import { brands, purchaseOrders } from '../db/schema';
import { AppError, errors } from '../errors';
import { previewTrackingImport } from '../imports/trackingCsv';
import { isUuid, requireBrand } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const SIGNATURE_HEADER = 'x-casebook-signature';
export const BRAND_HEADER = 'x-casebook-brand';

/** The signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of the raw body with the brand's secret. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

const trackingEventsBody = z.strictObject({
  events: z
    .array(
      z.strictObject({
        id: text(200).describe('The sender’s id for the event; a replay with the same id is stored once'),
        trackingNumber: text(64),
        status: z.enum(TRACKING_STATUSES, { error: `must be one of: ${TRACKING_STATUSES.join(', ')}` }),
        at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
        description: z.string().max(1000).optional(),
        returnReason: z.enum(['customer_error', 'carrier_error', 'vendor_error', 'unknown']).optional(),
      }),
    )
    .min(1, { error: 'send at least one event' })
    .max(1000, { error: 'send at most 1000 events per request' }),
});

export const shipmentRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.post(
      '/purchase-orders/:poId/shipments',
      {
        config: { auth: 'actor' },
        schema: {
          tags: ['orders'],
          summary:
            'Adds a shipment with its tracking number and shipped items (capability shipments.manage); a PO whose every item shipped becomes Shipped',
          params: z.strictObject({ poId: uuidParam('poId') }),
          body: z.strictObject({
            carrier: text(64).optional(),
            trackingNumber: text(64),
            items: z
              .array(z.strictObject({ sku: text(64), qty: z.int().min(1, { error: 'must be at least 1' }) }))
              .min(1, { error: 'a shipment carries at least one item' }),
          }),
          response: {
            201: z.object({ data: z.object({ shipmentId: z.uuid(), autoShipped: z.boolean() }) }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const ctx = contextOf(request);
        const [row] = await db
          .select({ brandId: purchaseOrders.brandId })
          .from(purchaseOrders)
          .where(eq(purchaseOrders.id, request.params.poId));
        const visible = row ? await requireBrand(db, ctx.actor, row.brandId).catch(() => null) : null;
        if (!row || !visible) throw errors.notFound('purchase order');
        const result = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, row.brandId, 'shipments.manage');
          return addShipment(
            tx,
            ctx,
            access.brand.id,
            deps.packs.get(access.brand.packId)!,
            request.params.poId,
            request.body,
          );
        });
        return reply.status(201).send({ data: result });
      },
    );

    const importBody = z.strictObject({
      csv: z
        .string()
        .min(1, { error: 'must not be empty' })
        .max(8_000_000, { error: 'must be at most 8 MB; split the file' })
        .describe(
          'The file: a header naming PO, SKU, carrier and tracking number, then one row per shipped line',
        ),
    });
    const problemSchema = z.object({ row: z.number(), kind: z.string(), message: z.string() });
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
            'Adds the valid rows of a tracking file as shipments in one transaction; rows imported before add nothing (capability shipments.manage)',
          params: brandParams,
          body: importBody,
          response: {
            200: z.object({ data: previewSchema.extend({ shipments: z.number(), autoShipped: z.number() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const result = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'shipments.manage');
          return applyTrackingImport(
            tx,
            ctx,
            access.brand.id,
            deps.packs.get(access.brand.packId)!,
            request.body.csv,
          );
        });
        return { data: { ...present(result), shipments: result.shipments, autoShipped: result.autoShipped } };
      },
    );

    app.get(
      '/brands/:brandId/webhook-secret',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['integrations'],
          summary: 'The key integrations sign webhooks with (capability brand.settings.manage)',
          params: brandParams,
          response: {
            200: z.object({ data: z.object({ secret: z.string(), header: z.string() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const access = await requireBrand(
          db,
          contextOf(request).actor,
          request.params.brandId,
          'brand.settings.manage',
        );
        return { data: { secret: access.brand.webhookSecret, header: SIGNATURE_HEADER } };
      },
    );

    app.post(
      '/brands/:brandId/webhook-secret',
      {
        config: { auth: 'user' },
        schema: {
          tags: ['integrations'],
          summary:
            'Replaces the webhook key; senders using the old one are refused from now on (capability brand.settings.manage)',
          params: brandParams,
          response: {
            200: z.object({ data: z.object({ secret: z.string(), header: z.string() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const secret = await db.transaction(async (tx) => {
          const access = await requireBrand(tx, ctx.actor, request.params.brandId, 'brand.settings.manage');
          const secret = createHmac('sha256', crypto.randomUUID()).update(crypto.randomUUID()).digest('hex');
          await tx
            .update(brands)
            .set({ webhookSecret: secret, updatedAt: ctx.now })
            .where(eq(brands.id, access.brand.id));
          await audit(tx, ctx, {
            brandId: access.brand.id,
            entityType: 'brand',
            entityId: access.brand.id,
            action: 'rotate_webhook_secret',
          });
          return secret;
        });
        return { data: { secret, header: SIGNATURE_HEADER } };
      },
    );

    // Webhooks are verified on the exact bytes that were signed, so this route keeps the raw body.
    await app.register(async (plugin) => {
      const hooks = plugin.withTypeProvider<ZodTypeProvider>();
      hooks.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        (request as unknown as { rawBody: string }).rawBody = body as string;
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(new AppError('malformed_request', 'The request body is not valid JSON.'), undefined);
        }
      });

      hooks.post(
        '/tracking-events',
        {
          config: { auth: 'public' },
          schema: {
            tags: ['integrations'],
            summary:
              'Tracking events from carriers or vendors, signed with the brand’s webhook key: X-Casebook-Brand is the brand id, X-Casebook-Signature is sha256=<hex HMAC-SHA256 of the body>. Idempotent per event id.',
            security: [],
            body: trackingEventsBody,
            response: {
              200: z.object({
                data: z.object({
                  stored: z.number(),
                  duplicates: z.array(z.string()),
                  unknownTrackingNumbers: z.array(z.string()),
                }),
              }),
              ...errorResponses,
            },
          },
        },
        async (request) => {
          const brandId = request.headers[BRAND_HEADER];
          const signature = request.headers[SIGNATURE_HEADER];
          const refuse = () =>
            new AppError('unauthenticated', 'The webhook signature does not match the brand’s webhook key.');
          if (typeof brandId !== 'string' || !isUuid(brandId) || typeof signature !== 'string')
            throw refuse();
          const [brand] = await db.select().from(brands).where(eq(brands.id, brandId));
          const raw = (request as unknown as { rawBody?: string }).rawBody ?? '';
          if (!brand || !safeEqual(signature, webhookSignature(brand.webhookSecret, raw))) throw refuse();
          const ctx: RequestContext = {
            actor: { kind: 'system', name: 'tracking-webhook' },
            requestId: request.id,
            now: request.now,
          };
          const unique = [...new Map(request.body.events.map((e) => [e.id, e])).values()];
          const report = await db.transaction((tx) => ingestTrackingEvents(tx, ctx, brand.id, unique));
          return { data: report };
        },
      );
    });
  };
