import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../app';
import { audit } from '../audit';
import { forgetApiTokens } from '../auth/apiTokens';
import { addShipment } from '../commands/addShipment';
import type { Deps } from '../context';
import { brands, purchaseOrders } from '../db/schema';
import { requireBrand, requireBrandOf } from '../policies';
import { brandParams, errorResponses, uuidParam } from './schemas';
import { SIGNATURE_HEADER } from './webhooks';

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

export const shipmentRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps.database;

    app.post(
      '/purchase-orders/:poId/shipments',
      {
        // Also the supplier portal's: a supplier adds tracking to their own company's POs only.
        config: { auth: 'actor', external: { purchaseOrder: 'poId' } },
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
        const access = await requireBrandOf(
          db,
          ctx.actor,
          row?.brandId,
          'purchase order',
          'shipments.manage',
        );
        const result = await db.transaction(async (tx) => {
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
          const secret = randomBytes(32).toString('hex');
          await tx
            .update(brands)
            .set({ webhookSecret: secret, updatedAt: ctx.now })
            .where(eq(brands.id, access.brand.id));
          forgetApiTokens();
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
  };
