import { z } from 'zod';
import type { OrderInput } from '../commands/importOrder';

/**
 * The parts of a Shopify order (the `orders/create` webhook payload) Casebook reads. Shopify sends
 * many more fields; they are accepted and ignored, since the sender's shape is not ours to police.
 */
export const shopifyOrderSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  name: z.string().min(1, { error: 'must not be empty' }),
  created_at: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  email: z.string().nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  source_name: z.string().nullish(),
  customer: z.looseObject({ first_name: z.string().nullish(), last_name: z.string().nullish() }).nullish(),
  shipping_address: z
    .looseObject({
      address1: z.string().nullish(),
      address2: z.string().nullish(),
      city: z.string().nullish(),
      province_code: z.string().nullish(),
      zip: z.string().nullish(),
      country_code: z.string().nullish(),
    })
    .nullish(),
  shipping_lines: z.array(z.looseObject({ price: z.string() })).optional(),
  line_items: z
    .array(
      z.looseObject({
        sku: z.string().nullish(),
        variant_id: z.union([z.number(), z.string()]).nullish(),
        title: z.string(),
        quantity: z.number().int().min(1),
        price: z.string(),
        product_type: z.string().nullish(),
      }),
    )
    .min(1, { error: 'an order needs at least one line item' }),
});

export type ShopifyOrder = z.infer<typeof shopifyOrderSchema>;

/** A Shopify order as Casebook's order input: purchase orders are created later, per vendor. */
export function fromShopifyOrder(order: ShopifyOrder): OrderInput {
  const name = [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ');
  const address = order.shipping_address;
  return {
    number: order.name.replace(/^#/, ''),
    externalId: `shopify:${order.id}`,
    channel: order.source_name === 'web' || !order.source_name ? 'website' : order.source_name,
    customer: { name: name || undefined, email: order.email ?? undefined },
    placedAt: order.created_at,
    shippingAddress:
      address?.address1 && address.city && address.zip && address.country_code
        ? {
            line1: address.address1,
            ...(address.address2 ? { line2: address.address2 } : {}),
            city: address.city,
            ...(address.province_code ? { region: address.province_code } : {}),
            postalCode: address.zip,
            country: address.country_code,
          }
        : undefined,
    shippingCost: (order.shipping_lines ?? []).reduce((sum, l) => sum + Number(l.price), 0),
    currency: order.currency,
    items: order.line_items.map((item) => ({
      sku: item.sku || `variant-${item.variant_id ?? 'unknown'}`,
      name: item.title,
      qty: item.quantity,
      unitPrice: Number(item.price),
      category: item.product_type || undefined,
    })),
    purchaseOrders: [],
  };
}
