import { beforeAll, describe, expect, it } from 'vitest';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';

const scenario = {
  id: 'api-case',
  pack: 'fashion-leads',
  now: '2026-03-10T15:00:00Z',
  intent: 'cancel_order',
  order: {
    id: 'C1',
    placedAt: '2026-03-10T13:00:00Z',
    items: [{ sku: 'D1', name: 'Dress', qty: 1, unitPrice: 50 }],
    purchaseOrders: [
      {
        id: 'PO-C1',
        vendor: 'Warehouse',
        status: 'Processing',
        items: [{ sku: 'D1', qty: 1 }],
        shipments: [],
      },
    ],
  },
  expect: { actions: [{ type: 'teleport' }] },
};

describe('POST /api/v1/advice', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await testApp();
  });

  it('returns the advice for a member of a brand on the scenario’s pack, ignoring expect', async () => {
    const brand = await makeBrand(h, 'fashion-leads');
    const { client } = await signedInMember(h, brand, 'agent');
    const res = await client.post('/api/v1/advice', scenario);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scenario: 'api-case',
      pack: 'fashion-leads',
      intent: { name: 'cancel_order' },
    });
    expect(Array.isArray(res.body.actions)).toBe(true);
  });

  it('works with the brand’s API token', async () => {
    const brand = await makeBrand(h, 'fashion-leads');
    const { client } = await signedInMember(h, brand, 'admin');
    const created = await client.post(`/api/v1/brands/${brand.id}/api-tokens`, {
      name: 'advice bot',
      role: 'agent',
    });
    const bot = new TestClient(h.app);
    bot.bearer = created.body.token;
    expect((await bot.post('/api/v1/advice', scenario)).status).toBe(200);
  });

  it('answers 404 to a caller with no brand on that pack, and 401 to nobody', async () => {
    const other = await makeBrand(h, 'trade-in');
    const { client } = await signedInMember(h, other, 'admin');
    const res = await client.post('/api/v1/advice', scenario);
    expect(res.status).toBe(404);
    expect((await new TestClient(h.app).post('/api/v1/advice', scenario)).status).toBe(401);
  });

  it('refuses a malformed scenario, naming the field', async () => {
    const brand = await makeBrand(h, 'fashion-leads');
    const { client } = await signedInMember(h, brand, 'agent');
    const res = await client.post('/api/v1/advice', { ...scenario, now: 'soon' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('now: must be an ISO 8601 date-time');
  });
});
