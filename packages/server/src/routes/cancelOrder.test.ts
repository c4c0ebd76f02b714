import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

const MINUTE = 60_000;
let seq = 0;

/**
 * Seed 004's cancellation window, from the fashion-leads pack's `cancellation:` data: agents cancel
 * an order themselves within 60 minutes of it being placed; after that only a filed HPER for the
 * order lets anyone cancel it. The window is read from the request's clock.
 */
describe('canceling an order under the fashion-leads cancellation window', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  let lead: TestClient;
  let manager: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'fashion-leads');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
    lead = (await signedInMember(h, brand, 'lead')).client;
    manager = (await signedInMember(h, brand, 'manager')).client;
  });

  /** An order placed now (the test clock) with one PO of two lines. */
  async function placeOrder(): Promise<{ id: string; number: string }> {
    seq += 1;
    const number = `MC-${Date.now()}-${seq}`;
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number,
      channel: 'website',
      placedAt: h.clock.now().toISOString(),
      items: [
        { sku: 'DRESS-1', name: 'Dress', qty: 1, unitPrice: 59.9 },
        { sku: 'BELT-2', name: 'Belt', qty: 1, unitPrice: 19.9 },
      ],
      purchaseOrders: [
        {
          number: `${number}-PO`,
          vendor: 'ModCloth DC',
          items: [
            { sku: 'DRESS-1', qty: 1 },
            { sku: 'BELT-2', qty: 1 },
          ],
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { id: res.body.data.id, number };
  }
  const lines = (body: any) =>
    body.data.purchaseOrders.flatMap((po: any) => po.items.map((l: any) => l.canceled));

  it('lets an agent cancel within 60 minutes of the order being placed', async () => {
    const order = await placeOrder();
    h.clock.advance(59 * MINUTE);
    const res = await agent.post(`/api/v1/orders/${order.id}/cancel`, {
      reason: 'Customer changed their mind',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lines(res.body)).toEqual([true, true]);
    const again = await agent.post(`/api/v1/orders/${order.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('Nothing left to cancel');
  });

  it('refuses it outside the window with 422 naming the rule and telling them to file an HPER, for leads too', async () => {
    const order = await placeOrder();
    h.clock.advance(61 * MINUTE);
    for (const client of [agent, lead]) {
      const res = await client.post(`/api/v1/orders/${order.id}/cancel`, {});
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('guardrail_violation');
      expect(res.body.error.details.rule).toBe('cancel.window');
      expect(res.body.error.message).toContain('outside the 60 minute cancellation window');
      expect(res.body.error.message).toContain('File an HPER');
      expect(res.body.error.message).toContain('placed 61 minutes ago; the window is 60 minutes');
    }
    const order2 = await admin.get(`/api/v1/orders/${order.id}`);
    expect(lines(order2.body)).toEqual([false, false]);
  });

  it('allows it once an HPER for that order is filed, and not while it is only requested or was denied', async () => {
    const order = await placeOrder();
    const other = await placeOrder();
    h.clock.advance(3 * 60 * MINUTE);
    const hper = async (number: string) =>
      (
        await agent.post(`/api/v1/brands/${brand.id}/approvals`, {
          type: 'hper',
          fields: {
            order: number,
            kind: 'Cancellation outside the 60 minute window',
            minutes_since_placed: 180,
          },
        })
      ).body.data.id as string;
    const requested = await hper(order.number);
    expect((await agent.post(`/api/v1/orders/${order.id}/cancel`, {})).status).toBe(422);
    const denied = await lead.post(`/api/v1/approvals/${requested}/steps`, {
      step: 'deny',
      note: 'Already picked',
    });
    expect(denied.body.data.state).toBe('denied');
    expect((await agent.post(`/api/v1/orders/${order.id}/cancel`, {})).status).toBe(422);
    // A filed HPER for another order does not open this one.
    const forOther = await hper(other.number);
    expect((await lead.post(`/api/v1/approvals/${forOther}/steps`, { step: 'file' })).status).toBe(200);
    expect((await agent.post(`/api/v1/orders/${order.id}/cancel`, {})).status).toBe(422);
    const filed = await hper(order.number);
    expect((await lead.post(`/api/v1/approvals/${filed}/steps`, { step: 'file' })).status).toBe(200);
    const res = await agent.post(`/api/v1/orders/${order.id}/cancel`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(lines(res.body)).toEqual([true, true]);
    const audit = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=order&entityId=${order.id}`);
    expect(audit.body.data.some((e: { action: string }) => e.action === 'cancel')).toBe(true);
  });

  it('refuses roles without order.cancel, and a PO of another order', async () => {
    const order = await placeOrder();
    const res = await manager.post(`/api/v1/orders/${order.id}/cancel`, {});
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('"order.cancel"');
    const custom = (await signedInMember(h, brand, { capabilities: ['tickets.work', 'order.cancel'] }))
      .client;
    const bad = await custom.post(`/api/v1/orders/${order.id}/cancel`, {
      purchaseOrders: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('purchaseOrders.0: is not a purchase order of this order');
    expect((await custom.post(`/api/v1/orders/${order.id}/cancel`, {})).status).toBe(200);
  });
});

describe('canceling an order under a pack without a cancellation window', () => {
  it('needs only order.cancel, however long ago the order was placed', async () => {
    const h = await testApp();
    const brand = await makeBrand(h, 'multichannel-retail');
    const admin = (await signedInMember(h, brand, 'admin')).client;
    const agent = (await signedInMember(h, brand, 'agent')).client;
    const number = `CS-${Date.now()}`;
    const created = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number,
      channel: 'website',
      placedAt: h.clock.now().toISOString(),
      items: [{ sku: 'LAMP', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [{ number: `${number}-PO`, vendor: 'Warehouse', items: [{ sku: 'LAMP', qty: 1 }] }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    h.clock.advance(5 * 24 * 60 * MINUTE);
    const res = await agent.post(`/api/v1/orders/${created.body.data.id}/cancel`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});
