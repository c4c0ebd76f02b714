import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import { SHOPIFY_HMAC_HEADER, shopifySignature } from './webhooks';

/** A trimmed orders/create payload in Shopify's shape, with fields Casebook ignores. */
const shopifyOrder = (id: number) => ({
  id,
  name: `#${id}`,
  created_at: '2026-03-09T10:15:00-05:00',
  email: 'buyer@example.com',
  currency: 'USD',
  source_name: 'web',
  financial_status: 'paid',
  customer: { id: 42, first_name: 'Dana', last_name: 'Buyer' },
  shipping_address: {
    address1: '1 Main St',
    city: 'Springfield',
    province_code: 'IL',
    zip: '62701',
    country_code: 'US',
  },
  shipping_lines: [{ price: '9.99', title: 'Standard' }],
  line_items: [
    {
      sku: 'TV-55',
      title: '55in 4K TV',
      quantity: 1,
      price: '499.99',
      product_type: 'electronics',
      vendor: 'Best Buy',
    },
  ],
});

describe('Shopify order webhook', () => {
  let h: Harness;
  let brand: BrandRow;
  let key: string;
  let admin: TestClient;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    admin = (await signedInMember(h, brand, 'admin')).client;
    key = (await admin.get(`/api/v1/brands/${brand.id}/webhook-secret`)).body.data.secret;
  });

  const deliver = (body: unknown, sign: (raw: string) => string) => {
    const raw = JSON.stringify(body);
    return new TestClient(h.app).request(
      'POST',
      `/api/v1/brands/${brand.id}/webhooks/shopify/orders`,
      undefined,
      {
        rawBody: raw,
        headers: { [SHOPIFY_HMAC_HEADER]: sign(raw) },
      },
    );
  };

  it('stores an order signed as Shopify signs it, once, however often Shopify retries', async () => {
    const id = Date.now();
    const first = await deliver(shopifyOrder(id), (raw) => shopifySignature(key, raw));
    expect(first.status).toBe(200);
    expect(first.body.data.created).toBe(true);
    const retry = await deliver(shopifyOrder(id), (raw) => shopifySignature(key, raw));
    expect(retry.body.data).toEqual({ orderId: first.body.data.orderId, created: false });
    const order = (await admin.get(`/api/v1/orders/${first.body.data.orderId}`)).body.data;
    expect(order).toMatchObject({
      number: String(id),
      externalId: `shopify:${id}`,
      channel: 'website',
      customer: { name: 'Dana Buyer', email: 'buyer@example.com' },
      shippingCost: 9.99,
      items: [{ sku: 'TV-55', name: '55in 4K TV', qty: 1, unitPrice: 499.99, category: 'electronics' }],
    });
    expect(order.placedAt).toBe('2026-03-09T15:15:00.000Z');
  });

  it('refuses a body whose signature does not match, storing nothing', async () => {
    const id = Date.now() + 1;
    const res = await deliver(shopifyOrder(id), (raw) => shopifySignature('wrong-key', raw));
    expect(res.status).toBe(401);
    const tampered = await deliver({ ...shopifyOrder(id), email: 'thief@example.com' }, () =>
      shopifySignature(key, JSON.stringify(shopifyOrder(id))),
    );
    expect(tampered.status).toBe(401);
    const list = await admin.get(`/api/v1/brands/${brand.id}/orders?limit=200`);
    expect(list.body.data.some((o: { number: string }) => o.number === String(id))).toBe(false);
  });

  it('names the field of a payload it cannot read', async () => {
    const bad = { ...shopifyOrder(Date.now() + 2), line_items: [] };
    const res = await deliver(bad, (raw) => shopifySignature(key, raw));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('line_items: an order needs at least one line item');
  });
});
