import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import { BRAND_HEADER, SIGNATURE_HEADER, webhookSignature } from './webhooks';

describe('shipments and signed tracking events', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  let seq = 0;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
  });

  async function orderWithPo(status = 'Sent to Vendor') {
    seq++;
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `S${Date.now()}${seq}`,
      channel: 'website',
      placedAt: '2026-03-09T15:00:00Z',
      items: [
        { sku: 'TV', name: 'TV', qty: 1, unitPrice: 400 },
        { sku: 'MT', name: 'Wall mount', qty: 2, unitPrice: 30 },
      ],
      purchaseOrders: [
        {
          number: `SPO-${Date.now()}-${seq}`,
          vendor: 'Best Buy',
          status,
          items: [
            { sku: 'TV', qty: 1 },
            { sku: 'MT', qty: 2 },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    return res.body.data;
  }

  it('sets the PO to Shipped by itself once every item has shipped, and says so in its history', async () => {
    const order = await orderWithPo();
    const po = order.purchaseOrders[0];
    const first = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      carrier: 'UPS',
      trackingNumber: `1ZA${seq}${Date.now()}`,
      items: [
        { sku: 'TV', qty: 1 },
        { sku: 'MT', qty: 1 },
      ],
    });
    expect(first.status).toBe(201);
    expect(first.body.data.autoShipped).toBe(false);
    const second = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      carrier: 'UPS',
      trackingNumber: `1ZB${seq}${Date.now()}`,
      items: [{ sku: 'MT', qty: 1 }],
    });
    expect(second.body.data.autoShipped).toBe(true);
    const after = (await agent.get(`/api/v1/orders/${order.id}`)).body.data.purchaseOrders[0];
    expect(after.status).toBe('Shipped');
    expect(after.history.at(-1)).toMatchObject({
      from: 'Sent to Vendor',
      to: 'Shipped',
      by: 'system:casebook',
    });
    expect(after.items.every((i: { qty: number; shippedQty: number }) => i.shippedQty === i.qty)).toBe(true);
  });

  it('refuses shipping more than was ordered, an item not on the PO, and a tracking number used twice', async () => {
    const order = await orderWithPo();
    const po = order.purchaseOrders[0];
    const tooMany = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      trackingNumber: `1ZC${seq}`,
      items: [{ sku: 'MT', qty: 3 }],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe('items.0.qty: only 2 of "MT" are left to ship');
    const notOnPo = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      trackingNumber: `1ZD${seq}`,
      items: [{ sku: 'XX', qty: 1 }],
    });
    expect(notOnPo.body.error.message).toMatch(/^items\.0\.sku: "XX" is not on PO/);
    const tracking = `1ZE${seq}${Date.now()}`;
    await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      trackingNumber: tracking,
      items: [{ sku: 'MT', qty: 1 }],
    });
    const again = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      trackingNumber: tracking,
      items: [{ sku: 'MT', qty: 1 }],
    });
    expect(again.status).toBe(409);
  });

  describe('POST /api/v1/tracking-events', () => {
    async function send(body: unknown, sign: (raw: string) => string, brandId = brand.id) {
      const raw = JSON.stringify(body);
      return new TestClient(h.app).request('POST', '/api/v1/tracking-events', undefined, {
        rawBody: raw,
        headers: { [BRAND_HEADER]: brandId, [SIGNATURE_HEADER]: sign(raw) },
      });
    }
    async function shipment() {
      const order = await orderWithPo();
      const trackingNumber = `1ZW${seq}${Date.now()}`;
      await agent.post(`/api/v1/purchase-orders/${order.purchaseOrders[0].id}/shipments`, {
        carrier: 'UPS',
        trackingNumber,
        items: [{ sku: 'TV', qty: 1 }],
      });
      return { order, trackingNumber };
    }
    const secret = async () =>
      (await admin.get(`/api/v1/brands/${brand.id}/webhook-secret`)).body.data.secret as string;

    it('stores signed events once, reports replays and unknown tracking numbers', async () => {
      const { order, trackingNumber } = await shipment();
      const key = await secret();
      const body = {
        events: [
          {
            id: `ev-${trackingNumber}-1`,
            trackingNumber,
            status: 'label_created',
            at: '2026-03-09T18:00:00Z',
          },
          {
            id: `ev-${trackingNumber}-2`,
            trackingNumber,
            status: 'in_transit',
            at: '2026-03-10T08:00:00Z',
            description: 'Departed facility',
          },
          {
            id: `ev-unknown-${seq}`,
            trackingNumber: 'NOPE123456',
            status: 'in_transit',
            at: '2026-03-10T08:00:00Z',
          },
        ],
      };
      const first = await send(body, (raw) => webhookSignature(key, raw));
      expect(first.status).toBe(200);
      expect(first.body.data).toEqual({ stored: 2, duplicates: [], unknownTrackingNumbers: ['NOPE123456'] });
      const replay = await send(body, (raw) => webhookSignature(key, raw));
      expect(replay.body.data).toMatchObject({
        stored: 0,
        duplicates: [`ev-${trackingNumber}-1`, `ev-${trackingNumber}-2`],
      });
      const po = (await agent.get(`/api/v1/orders/${order.id}`)).body.data.purchaseOrders[0];
      expect(po.shipments[0].events.map((e: { status: string }) => e.status)).toEqual([
        'label_created',
        'in_transit',
      ]);
    });

    it('refuses a bad signature, a missing one and another brand’s key, storing nothing', async () => {
      const { order, trackingNumber } = await shipment();
      const body = {
        events: [
          { id: `ev-bad-${trackingNumber}`, trackingNumber, status: 'delivered', at: '2026-03-11T10:00:00Z' },
        ],
      };
      const forged = await send(body, (raw) => webhookSignature('not-the-key', raw));
      expect(forged.status).toBe(401);
      expect(forged.body.error.message).toBe('The webhook signature does not match the brand’s webhook key.');
      const missing = await new TestClient(h.app).request('POST', '/api/v1/tracking-events', body, {
        headers: { [BRAND_HEADER]: brand.id },
      });
      expect(missing.status).toBe(401);
      const other = await makeBrand(h, 'marketplace-dropship');
      const otherAdmin = (await signedInMember(h, other, 'admin')).client;
      const otherKey = (await otherAdmin.get(`/api/v1/brands/${other.id}/webhook-secret`)).body.data.secret;
      expect((await send(body, (raw) => webhookSignature(otherKey, raw))).status).toBe(401);
      const po = (await agent.get(`/api/v1/orders/${order.id}`)).body.data.purchaseOrders[0];
      expect(po.shipments[0].events).toEqual([]);
    });

    it('stops accepting the old key once it is rotated', async () => {
      const { trackingNumber } = await shipment();
      const old = await secret();
      const rotated = await admin.post(`/api/v1/brands/${brand.id}/webhook-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.data.secret).not.toBe(old);
      const body = {
        events: [
          {
            id: `ev-rot-${trackingNumber}`,
            trackingNumber,
            status: 'in_transit',
            at: '2026-03-10T08:00:00Z',
          },
        ],
      };
      expect((await send(body, (raw) => webhookSignature(old, raw))).status).toBe(401);
      expect((await send(body, (raw) => webhookSignature(rotated.body.data.secret, raw))).status).toBe(200);
    });

    it('shows the key only to holders of brand.settings.manage', async () => {
      expect((await agent.get(`/api/v1/brands/${brand.id}/webhook-secret`)).status).toBe(403);
      expect((await agent.post(`/api/v1/brands/${brand.id}/webhook-secret`)).status).toBe(403);
    });

    it('names the field of a malformed event', async () => {
      const key = await secret();
      const res = await send(
        { events: [{ id: 'x', trackingNumber: 'T', status: 'teleported', at: 'now' }] },
        (raw) => webhookSignature(key, raw),
      );
      expect(res.status).toBe(400);
      const fields = res.body.error.details.problems.map((p: { field: string }) => p.field).sort();
      expect(fields).toEqual(['events.0.at', 'events.0.status']);
    });
  });
});
