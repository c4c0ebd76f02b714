import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

let seq = 0;

describe('warranty plans and claims', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
  });

  async function makeOrder(placedAt: string) {
    const n = `${Date.now()}-${++seq}`;
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `W${n}`,
      channel: 'website',
      placedAt,
      items: [
        { sku: 'TV-55', name: '55in 4K TV', qty: 1, unitPrice: 499.99 },
        { sku: 'CABLE', name: 'HDMI cable', qty: 1, unitPrice: 9.99 },
      ],
      purchaseOrders: [],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }

  /** Days from the test clock's now, as an ISO instant. */
  const daysAgo = (days: number) => new Date(h.clock.now().getTime() - days * 86_400_000).toISOString();

  it('records ProductSecure on an item: the manufacturer’s year plus one more', async () => {
    const order = await makeOrder('2026-01-31T12:00:00Z');
    const res = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'TV-55',
      plan: 'ProductSecure',
      price: 4999,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.planTypes).toMatchObject([
      {
        name: 'ProductSecure',
        extendsManufacturerMonths: 12,
        excludes: ['loss', 'theft', 'accidental_damage'],
      },
    ]);
    expect(res.body.data.plans).toMatchObject([
      {
        plan: 'ProductSecure',
        sku: 'TV-55',
        price: 4999,
        manufacturerMonths: 12,
        startsAt: '2026-01-31T12:00:00.000Z',
        manufacturerEndsAt: '2027-01-31T12:00:00.000Z',
        endsAt: '2028-01-31T12:00:00.000Z',
        claims: [],
      },
    ]);
    const again = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'TV-55',
      plan: 'ProductSecure',
    });
    expect(again.status).toBe(409);
    const unknownPlan = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'TV-55',
      plan: 'Gold',
    });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.body.error.message).toBe(
      'plan: "Gold" is not a warranty plan of this brand (ProductSecure)',
    );
    const unknownSku = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'NOPE',
      plan: 'ProductSecure',
    });
    expect(unknownSku.body.error.message).toBe('sku: "NOPE" is not an item of the order');
    const audit = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=warranty_plan&entityId=${res.body.data.plans[0].id}`,
    );
    expect(audit.body.data[0]).toMatchObject({
      action: 'create',
      after: { plan: 'ProductSecure', sku: 'TV-55' },
    });
  });

  it('files a defect claim and moves it on; refuses loss, theft and accidental damage with the reason', async () => {
    const order = await makeOrder(daysAgo(400));
    const plan = (
      await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, { sku: 'TV-55', plan: 'ProductSecure' })
    ).body.data.plans[0];
    for (const reason of ['loss', 'theft', 'accidental_damage']) {
      const refused = await agent.post(`/api/v1/warranty-plans/${plan.id}/claims`, {
        reason,
        description: 'It happened',
      });
      expect(refused.status, reason).toBe(422);
      expect(refused.body.error.code).toBe('guardrail_violation');
      expect(refused.body.error.details.rule).toBe('warranty.excluded-reason');
      expect(refused.body.error.message).toContain(
        `ProductSecure does not cover ${reason.replace('_', ' ')}`,
      );
    }
    const filed = await agent.post(`/api/v1/warranty-plans/${plan.id}/claims`, {
      reason: 'defect',
      description: 'A line across the screen after 13 months',
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const claim = filed.body.data.plans[0].claims[0];
    expect(claim).toMatchObject({ reason: 'defect', status: 'filed', nextStatuses: ['approved', 'denied'] });
    const approved = await agent.post(`/api/v1/warranty-claims/${claim.id}/status`, { status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body.data.plans[0].claims[0]).toMatchObject({
      status: 'approved',
      nextStatuses: ['closed'],
    });
    const back = await agent.post(`/api/v1/warranty-claims/${claim.id}/status`, { status: 'denied' });
    expect(back.status).toBe(400);
    expect(back.body.error.message).toBe('status: the claim is approved; it may go to closed');
    const audit = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=warranty_claim&entityId=${claim.id}`,
    );
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['set_status', 'file']);
  });

  it('refuses a claim outside the plan’s period', async () => {
    const order = await makeOrder(daysAgo(800));
    const res = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'CABLE',
      plan: 'ProductSecure',
      manufacturerMonths: 6,
    });
    const plan = res.body.data.plans[0];
    const refused = await agent.post(`/api/v1/warranty-plans/${plan.id}/claims`, {
      reason: 'defect',
      description: 'Stopped working',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.rule).toBe('warranty.outside-period');
    expect(refused.body.error.message).toBe(
      `The claim is outside the plan’s period (${plan.startsAt.slice(0, 10)} to ${plan.endsAt.slice(0, 10)}).`,
    );
    const listed = await agent.get(`/api/v1/orders/${order.id}/warranty-plans`);
    expect(listed.body.data.plans[0].claims).toEqual([]);
  });

  it('refuses changes without warranty.manage (403) and answers 404 to another brand', async () => {
    const order = await makeOrder(daysAgo(30));
    const plan = (
      await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, { sku: 'TV-55', plan: 'ProductSecure' })
    ).body.data.plans[0];
    const claim = (
      await agent.post(`/api/v1/warranty-plans/${plan.id}/claims`, { reason: 'defect', description: 'x' })
    ).body.data.plans[0].claims[0];
    const manager = (await signedInMember(h, brand, 'manager')).client;
    const reads = await manager.get(`/api/v1/orders/${order.id}/warranty-plans`);
    expect(reads.status).toBe(200);
    expect(reads.body.data.allowed).toEqual([]);
    expect(reads.body.data.plans[0].claims[0].nextStatuses).toEqual([]);
    for (const res of [
      await manager.post(`/api/v1/orders/${order.id}/warranty-plans`, {
        sku: 'CABLE',
        plan: 'ProductSecure',
      }),
      await manager.post(`/api/v1/warranty-plans/${plan.id}/claims`, { reason: 'defect', description: 'x' }),
      await manager.post(`/api/v1/warranty-claims/${claim.id}/status`, { status: 'approved' }),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('"warranty.manage"');
    }
    const other = await makeBrand(h);
    const outsider = (await signedInMember(h, other, 'agent')).client;
    const cases: [Promise<{ status: number; body: any }>, string][] = [
      [outsider.get(`/api/v1/orders/${order.id}/warranty-plans`), 'No such order.'],
      [
        outsider.post(`/api/v1/orders/${order.id}/warranty-plans`, { sku: 'CABLE', plan: 'ProductSecure' }),
        'No such order.',
      ],
      [
        outsider.post(`/api/v1/warranty-plans/${plan.id}/claims`, { reason: 'defect', description: 'x' }),
        'No such warranty plan.',
      ],
      [
        outsider.post(`/api/v1/warranty-claims/${claim.id}/status`, { status: 'approved' }),
        'No such warranty claim.',
      ],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(message);
    }
    const unchanged = await agent.get(`/api/v1/orders/${order.id}/warranty-plans`);
    expect(unchanged.body.data.plans).toHaveLength(1);
    expect(unchanged.body.data.plans[0].claims[0].status).toBe('filed');
  });
});
