import { createHmac } from 'node:crypto';
import { TRACKING_STATUSES } from '@casebook/core';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { safeEqual } from '../auth/secrets';
import { importOrder } from '../commands/importOrder';
import { ingestTrackingEvents } from '../commands/ingestTrackingEvents';
import type { Deps, RequestContext } from '../context';
import { brands } from '../db/schema';
import { AppError } from '../errors';
import { fromShopifyOrder, shopifyOrderSchema } from '../imports/shopify';
import { isUuid } from '../policies';
import { errorResponses } from './schemas';

export const SIGNATURE_HEADER = 'x-casebook-signature';
export const BRAND_HEADER = 'x-casebook-brand';
export const SHOPIFY_HMAC_HEADER = 'x-shopify-hmac-sha256';

/** The signature of a webhook body: `sha256=` and the hex HMAC-SHA256 of the raw body with the brand's key. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Shopify's signature: the base64 HMAC-SHA256 of the raw body with the shared key. */
export function shopifySignature(secret: string, rawBody: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

const text = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

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

const refuse = () =>
  new AppError('unauthenticated', 'The webhook signature does not match the brand’s webhook key.');

/**
 * Webhooks from integrations. They carry no session or token: each request is signed with the
 * brand's webhook key over the exact bytes sent, so these routes keep the raw body to verify it.
 */
export const webhookRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const { db } = deps.database;
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      (request as unknown as { rawBody: string }).rawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new AppError('malformed_request', 'The request body is not valid JSON.'), undefined);
      }
    });

    /** The brand whose key signed the raw body, or a refusal that says nothing about which part failed. */
    async function signedBrand(
      brandId: unknown,
      signature: unknown,
      raw: string,
      sign: (key: string, raw: string) => string,
    ) {
      if (typeof brandId !== 'string' || !isUuid(brandId) || typeof signature !== 'string') throw refuse();
      const [brand] = await db.select().from(brands).where(eq(brands.id, brandId));
      if (!brand || !safeEqual(signature, sign(brand.webhookSecret, raw))) throw refuse();
      return brand;
    }
    const rawOf = (request: unknown) => (request as { rawBody?: string }).rawBody ?? '';
    const systemCtx = (name: string, requestId: string, now: Date): RequestContext => ({
      actor: { kind: 'system', name },
      requestId,
      now,
    });

    app.post(
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
        const brand = await signedBrand(
          request.headers[BRAND_HEADER],
          request.headers[SIGNATURE_HEADER],
          rawOf(request),
          webhookSignature,
        );
        const unique = [...new Map(request.body.events.map((e) => [e.id, e])).values()];
        const ctx = systemCtx('tracking-webhook', request.id, request.now);
        return { data: await db.transaction((tx) => ingestTrackingEvents(tx, ctx, brand.id, unique)) };
      },
    );

    app.post(
      '/brands/:brandId/webhooks/shopify/orders',
      {
        config: { auth: 'public' },
        bodyLimit: 5 * 1024 * 1024,
        schema: {
          tags: ['integrations'],
          summary:
            'A Shopify order webhook (orders/create), verified as Shopify signs it: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the body with the brand’s webhook key. Idempotent on the Shopify order id.',
          security: [],
          params: z.strictObject({ brandId: z.string() }),
          body: shopifyOrderSchema,
          response: {
            200: z.object({ data: z.object({ orderId: z.uuid(), created: z.boolean() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const brand = await signedBrand(
          request.params.brandId,
          request.headers[SHOPIFY_HMAC_HEADER],
          rawOf(request),
          shopifySignature,
        );
        const ctx = systemCtx('shopify-webhook', request.id, request.now);
        const pack = deps.packs.get(brand.packId)!;
        const data = await db.transaction((tx) =>
          importOrder(tx, ctx, brand.id, pack, fromShopifyOrder(request.body)),
        );
        return { data };
      },
    );
  };
