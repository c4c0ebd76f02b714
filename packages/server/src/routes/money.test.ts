import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestTrackingEvents } from '../commands/ingestTrackingEvents';
import { tickets } from '../db/schema';
import { freezeStoreCredit, removeStoreCredit, unfreezeStoreCredit } from '../money/storeCredit';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

let seq = 0;
const unique = () => `${Date.now()}-${++seq}`;

describe('money: refunds, reshipments and store credit', () => {
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

  /** An order of a TV (499.99) and a stand (50.00, two of them) with 12.50 shipping, one PO each. */
  async function makeOrder(email = `buyer-${unique()}@example.com`) {
    const n = unique();
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `M${n}`,
      channel: 'website',
      customer: { name: 'Dana Buyer', email },
      placedAt: '2026-03-09T15:00:00Z',
      shippingCost: 12.5,
      items: [
        { sku: 'TV-55', name: '55in 4K TV', qty: 1, unitPrice: 499.99 },
        { sku: 'STAND', name: 'TV stand', qty: 2, unitPrice: 25 },
      ],
      purchaseOrders: [
        {
          number: `PO-A-${n}`,
          vendor: 'Best Buy',
          status: 'Sent to Vendor',
          items: [{ sku: 'TV-55', qty: 1 }],
        },
        {
          number: `PO-B-${n}`,
          vendor: 'Amazon',
          status: 'Sent to Vendor',
          items: [{ sku: 'STAND', qty: 2 }],
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }

  /** A customer known by the order's email, made through the API. */
  async function makeCustomer(email: string): Promise<string> {
    const res = await admin.post(`/api/v1/brands/${brand.id}/customers`, { name: 'Dana Buyer', email });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data.id;
  }

  /** A ticket row of a brand for money records to link to (the helpdesk's own flows are tested there). */
  async function makeTicket(brandId: string, customerId: string | null = null): Promise<string> {
    const [row] = await h.deps.database.db
      .insert(tickets)
      .values({
        brandId,
        token: randomUUID().slice(0, 12),
        customerId,
        channel: 'api',
        subject: 'Refund please',
        status: 'open',
      })
      .returning({ id: tickets.id });
    return row!.id;
  }

  /** Ships the order's first PO and has the carrier return it to sender for the given reason. */
  async function returnToSender(order: any, reason: 'customer_error' | 'carrier_error') {
    const po = order.purchaseOrders[0];
    const trackingNumber = `1Z${Date.now()}${++seq}`;
    const shipped = await agent.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      carrier: 'UPS',
      trackingNumber,
      items: [{ sku: 'TV-55', qty: 1 }],
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBeLessThan(300);
    await h.deps.database.db.transaction((tx) =>
      ingestTrackingEvents(tx, { actor: { kind: 'system', name: 'test' }, now: h.clock.now() }, brand.id, [
        {
          id: `ev-${unique()}`,
          trackingNumber,
          status: 'returned',
          at: '2026-03-12T10:00:00Z',
          returnReason: reason,
        },
      ]),
    );
  }

  it('issues refunds of each kind, lists them and tracks what is still refundable', async () => {
    const order = await makeOrder();
    const empty = await agent.get(`/api/v1/orders/${order.id}/money`);
    expect(empty.status).toBe(200);
    expect(empty.body.data).toMatchObject({
      state: 'paid',
      currency: 'USD',
      totals: {
        items: 54999,
        shipping: 1250,
        refundable: { full: 56249, item_cost: 54999, shipping_only: 1250 },
      },
      refunds: [],
      allowed: ['refund', 'store_credit', 'reship'],
    });

    const shipping = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'shipping_only',
      reason: 'Shipping was late',
    });
    expect(shipping.status, JSON.stringify(shipping.body)).toBe(201);
    expect(shipping.body.data.state).toBe('partially_refunded');
    expect(shipping.body.data.refunds).toMatchObject([
      {
        kind: 'shipping_only',
        amount: 1250,
        shippingAmount: 1250,
        itemAmount: 0,
        reason: 'Shipping was late',
      },
    ]);
    expect(shipping.body.data.totals.refundable).toEqual({ full: 54999, item_cost: 54999, shipping_only: 0 });

    const oneStand = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'STAND', amount: 2500 }],
      reason: 'One stand arrived scratched',
    });
    expect(oneStand.status, JSON.stringify(oneStand.body)).toBe(201);
    expect(oneStand.body.data.refunds[1]).toMatchObject({
      amount: 2500,
      items: [{ sku: 'STAND', amount: 2500 }],
    });
    expect(oneStand.body.data.items.find((i: { sku: string }) => i.sku === 'STAND')).toMatchObject({
      total: 5000,
      refunded: 2500,
    });

    const rest = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'full',
      reason: 'Order canceled',
    });
    expect(rest.status).toBe(201);
    expect(rest.body.data.refunds[2]).toMatchObject({ kind: 'full', amount: 52499 });
    expect(rest.body.data.state).toBe('refunded');
    expect(rest.body.data.totals.refundable.full).toBe(0);

    const nothingLeft = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'full',
      reason: 'again',
    });
    expect(nothingLeft.status).toBe(422);
    expect(nothingLeft.body.error.details.field).toBe('amount');
    expect(nothingLeft.body.error.message).toMatch(/^amount: nothing is left to refund/);

    const audit = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=refund`);
    const mine = audit.body.data.filter((e: { after: { orderId: string } }) => e.after.orderId === order.id);
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatchObject({
      action: 'issue',
      after: { kind: 'full', amountCents: 52499, orderState: 'refunded' },
    });
  });

  it('refuses an amount above what is refundable, naming the field, and changes nothing', async () => {
    const order = await makeOrder();
    const tooMuch = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'shipping_only',
      amount: 1251,
      reason: 'Too much',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('guardrail_violation');
    expect(tooMuch.body.error.message).toBe(
      `amount: 12.51 is more than the 12.50 USD still refundable as shipping only on order ${order.number}`,
    );
    expect(tooMuch.body.error.details).toMatchObject({
      field: 'amount',
      limit: 1250,
      rule: 'refund.refundable',
    });

    const perItem = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'STAND', amount: 5001 }],
      reason: 'Too much for the stands',
    });
    expect(perItem.status).toBe(422);
    expect(perItem.body.error.details.field).toBe('items.0.amount');

    const unknownSku = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'NOPE' }],
      reason: 'x',
    });
    expect(unknownSku.status).toBe(400);
    expect(unknownSku.body.error.message).toBe('items.0.sku: "NOPE" is not an item of the order');

    const badKind = await agent.post(`/api/v1/orders/${order.id}/refunds`, { kind: 'partial', reason: 'x' });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.message).toMatch(/^kind: must be one of: full, item_cost, shipping_only/);

    const money = await agent.get(`/api/v1/orders/${order.id}/money`);
    expect(money.body.data).toMatchObject({ state: 'paid', refunds: [] });
  });

  it('refuses a full or shipping refund when the package came back through the customer’s error, and advises an item-cost credit', async () => {
    const order = await makeOrder();
    await returnToSender(order, 'customer_error');
    for (const kind of ['full', 'shipping_only']) {
      const refused = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
        kind,
        reason: 'Returned to sender',
      });
      expect(refused.status, kind).toBe(422);
      expect(refused.body.error.code).toBe('guardrail_violation');
      expect(refused.body.error.details.rule).toBe('refund.rts-customer-error-item-cost');
      expect(refused.body.error.message).toMatch(/credit the cost of the item only, not the shipping/);
    }
    const itemCost = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'TV-55' }],
      reason: 'Returned to sender: customer error',
    });
    expect(itemCost.status, JSON.stringify(itemCost.body)).toBe(201);
    expect(itemCost.body.data.refunds).toMatchObject([
      { kind: 'item_cost', amount: 49999, shippingAmount: 0 },
    ]);

    // The SOP's advice for the same case recommends the item-cost credit.
    const advice = await agent.post('/api/v1/advice', {
      id: 'rts-customer-error',
      pack: 'marketplace-dropship',
      now: '2026-03-13T10:00:00Z',
      intent: 'returned_to_sender',
      order: {
        id: order.number,
        placedAt: '2026-03-09T15:00:00Z',
        items: [{ sku: 'TV-55', name: 'TV', qty: 1, unitPrice: 499.99 }],
        purchaseOrders: [
          {
            id: 'PO-1',
            vendor: 'Best Buy',
            status: 'Shipped',
            items: [{ sku: 'TV-55', qty: 1, shippedQty: 1 }],
            shipments: [
              {
                trackingNumber: '1ZRTS',
                returnedToSender: { reason: 'customer_error' },
                events: [{ at: '2026-03-12T10:00:00Z', status: 'returned' }],
              },
            ],
          },
        ],
      },
    });
    expect(advice.status, JSON.stringify(advice.body)).toBe(200);
    const credits = advice.body.actions.filter((a: { type: string }) => a.type === 'credit');
    expect(credits).toMatchObject([{ type: 'credit', basis: 'item_cost' }]);
    expect(JSON.stringify(advice.body)).toContain('rts.customer-error');
  });

  it('allows a full refund when the carrier caused the return', async () => {
    const order = await makeOrder();
    await returnToSender(order, 'carrier_error');
    const full = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'full',
      reason: 'Carrier lost it',
    });
    expect(full.status, JSON.stringify(full.body)).toBe(201);
    expect(full.body.data.state).toBe('refunded');
  });

  it('marks a PO refunded once its items are, so the Canceled guardrail passes', async () => {
    const order = await makeOrder();
    const stands = order.purchaseOrders[1];
    await agent.post(`/api/v1/purchase-orders/${stands.id}/status`, { status: 'On-Hold' });
    const early = await agent.post(`/api/v1/purchase-orders/${stands.id}/status`, { status: 'Canceled' });
    expect(early.status).toBe(422);
    expect(early.body.error.details.rule).toBe('po.canceled-requires-refund');

    const half = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'STAND', amount: 2500 }],
      reason: 'Vendor canceled one stand',
    });
    expect(half.status).toBe(201);
    let current = (await agent.get(`/api/v1/orders/${order.id}`)).body.data;
    expect(current.purchaseOrders[1].refunded).toBe(false);

    await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      items: [{ sku: 'STAND' }],
      reason: 'Vendor canceled the other stand',
    });
    current = (await agent.get(`/api/v1/orders/${order.id}`)).body.data;
    expect(current.purchaseOrders.map((p: { refunded: boolean }) => p.refunded)).toEqual([false, true]);
    const canceled = await agent.post(`/api/v1/purchase-orders/${stands.id}/status`, { status: 'Canceled' });
    expect(canceled.status, JSON.stringify(canceled.body)).toBe(200);
    const poAudit = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=purchase_order&entityId=${stands.id}`,
    );
    expect(poAudit.body.data.map((e: { action: string }) => e.action)).toContain('refunded');
  });

  it('links a refund to a ticket of the brand only', async () => {
    const email = `linked-${unique()}@example.com`;
    const order = await makeOrder(email);
    const ticketId = await makeTicket(brand.id, await makeCustomer(email));
    const linked = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      amount: 1000,
      reason: 'Goodwill',
      ticketId,
    });
    expect(linked.status).toBe(201);
    expect(linked.body.data.refunds[0]).toMatchObject({ ticketId, amount: 1000 });
    const other = await makeBrand(h);
    const foreignTicketId = await makeTicket(other.id);
    const refused = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      amount: 100,
      reason: 'x',
      ticketId: foreignTicketId,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('ticketId: is not a ticket of this brand');
  });

  it('reships items as a new PO with the reason', async () => {
    const order = await makeOrder();
    const res = await agent.post(`/api/v1/orders/${order.id}/reshipments`, {
      items: [{ sku: 'TV-55', qty: 1 }],
      reason: 'Arrived broken',
      originalPoId: order.purchaseOrders[0].id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data.reshipments).toMatchObject([
      {
        reason: 'Arrived broken',
        originalPoNumber: order.purchaseOrders[0].number,
        po: {
          number: `${order.purchaseOrders[0].number}-R1`,
          status: 'Processing',
          vendor: 'Best Buy',
          items: [{ sku: 'TV-55', qty: 1 }],
        },
      },
    ]);
    const full = (await agent.get(`/api/v1/orders/${order.id}`)).body.data;
    const newPo = full.purchaseOrders.find((p: { number: string }) => p.number.endsWith('-R1'));
    expect(newPo.history[0]).toMatchObject({
      from: null,
      to: 'Processing',
      reason: 'reshipment: Arrived broken',
    });
    const audit = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=reshipment&entityId=${res.body.data.reshipments[0].id}`,
    );
    expect(audit.body.data[0]).toMatchObject({ action: 'create', after: { reason: 'Arrived broken' } });

    const tooMany = await agent.post(`/api/v1/orders/${order.id}/reshipments`, {
      items: [{ sku: 'STAND', qty: 3 }],
      reason: 'x',
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toBe('items.0.qty: must be at most 2, the quantity ordered');
  });

  it('keeps a store credit ledger: issue, use, freeze while a removal is open, remove, unfreeze', async () => {
    const email = `credit-${unique()}@example.com`;
    const order = await makeOrder(email);
    const customerId = await makeCustomer(email);
    const ticketId = await makeTicket(brand.id, customerId);

    const issued = await agent.post(`/api/v1/customers/${customerId}/store-credit`, {
      kind: 'issue',
      amount: 3000,
      reason: 'Appeasement for the delay',
      orderId: order.id,
      ticketId,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body.data).toMatchObject({ balance: 3000, frozen: null, allowed: ['issue', 'use'] });
    const used = await agent.post(`/api/v1/customers/${customerId}/store-credit`, {
      kind: 'use',
      amount: 1000,
      reason: 'Applied to order',
    });
    expect(used.body.data).toMatchObject({ balance: 2000, totals: { issued: 3000, used: 1000, removed: 0 } });
    expect(used.body.data.entries.map((e: { kind: string }) => e.kind)).toEqual(['used', 'issued']);
    const over = await agent.post(`/api/v1/customers/${customerId}/store-credit`, {
      kind: 'use',
      amount: 2001,
      reason: 'Too much',
    });
    expect(over.status).toBe(422);
    expect(over.body.error.details).toMatchObject({ field: 'amount', rule: 'store_credit.balance' });

    // The approval flow freezes the credit, removes it once approved, and releases the freeze.
    const ctx = { actor: { kind: 'system' as const, name: 'approvals' }, now: h.clock.now() };
    const { db } = h.deps.database;
    await db.transaction((tx) =>
      freezeStoreCredit(tx, ctx, {
        brandId: brand.id,
        customerId,
        reason: 'Removal requested',
        approvalId: 'appr-1',
      }),
    );
    const frozen = await agent.get(`/api/v1/customers/${customerId}/store-credit`);
    expect(frozen.body.data.frozen).toMatchObject({ reason: 'Removal requested', approvalId: 'appr-1' });
    expect(frozen.body.data.allowed).toEqual(['issue']);
    const blocked = await agent.post(`/api/v1/customers/${customerId}/store-credit`, {
      kind: 'use',
      amount: 100,
      reason: 'While frozen',
    });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.details.rule).toBe('store_credit.frozen');
    const onOrder = await agent.get(`/api/v1/orders/${order.id}/money`);
    expect(onOrder.body.data.customer).toMatchObject({ id: customerId, storeCredit: 2000, frozen: true });

    await db.transaction(async (tx) => {
      await removeStoreCredit(tx, ctx, {
        brandId: brand.id,
        customerId,
        amount: 2000,
        reason: 'Removal approved',
        approvalId: 'appr-1',
      });
      await unfreezeStoreCredit(tx, ctx, {
        brandId: brand.id,
        customerId,
        reason: 'Removal done',
        approvalId: 'appr-1',
      });
    });
    const after = await agent.get(`/api/v1/customers/${customerId}/store-credit`);
    expect(after.body.data).toMatchObject({ balance: 0, frozen: null, totals: { removed: 2000 } });
    expect(after.body.data.entries[0]).toMatchObject({
      kind: 'removed',
      approvalId: 'appr-1',
      balanceAfter: 0,
    });
    const customer = await agent.get(`/api/v1/customers/${customerId}`);
    expect(customer.body.data.storeCreditBalance).toBe(0);
    const audit = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=customer&entityId=${customerId}`,
    );
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'store_credit.issue',
        'store_credit.use',
        'store_credit.freeze',
        'store_credit.remove',
        'store_credit.unfreeze',
      ]),
    );
  });

  it('feeds the finance tracker of a brand whose pack has one: a refund and a store credit each log a record', async () => {
    const store = await makeBrand(h, 'store-supplier');
    const storeAdmin = (await signedInMember(h, store, 'admin')).client;
    const cashier = (await signedInMember(h, store, { capabilities: ['refund.issue'] })).client;
    const n = unique();
    const created = await storeAdmin.post(`/api/v1/brands/${store.id}/orders`, {
      number: `S${n}`,
      channel: 'website',
      customer: { name: 'Sam Buyer', email: `sam-${n}@example.com` },
      placedAt: '2026-03-09T15:00:00Z',
      shippingCost: 5,
      items: [{ sku: 'RING-7', name: 'Silver ring', qty: 1, unitPrice: 80 }],
      purchaseOrders: [],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const order = created.body.data;
    const refund = await cashier.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      amount: 2500,
      reason: 'Stone missing',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const customer = await storeAdmin.post(`/api/v1/brands/${store.id}/customers`, {
      name: 'Sam Buyer',
      email: `sam-${n}@example.com`,
    });
    const credit = await cashier.post(`/api/v1/customers/${customer.body.data.id}/store-credit`, {
      kind: 'issue',
      amount: 1000,
      reason: 'Goodwill for the wait',
      orderId: order.id,
    });
    expect(credit.status, JSON.stringify(credit.body)).toBe(201);

    const refunds = await storeAdmin.get(`/api/v1/brands/${store.id}/trackers/refund/records`);
    expect(refunds.status, JSON.stringify(refunds.body)).toBe(200);
    expect(refunds.body.data).toHaveLength(1);
    expect(refunds.body.data[0].fields).toMatchObject({
      order: `S${n}`,
      amount: 25,
      reason: 'Stone missing',
    });
    const credits = await storeAdmin.get(`/api/v1/brands/${store.id}/trackers/store_credit/records`);
    expect(credits.body.data).toHaveLength(1);
    expect(credits.body.data[0].fields).toMatchObject({
      order: `S${n}`,
      amount: 10,
      reason: 'Goodwill for the wait',
    });
    // A brand whose pack keeps no finance tracker just records the refund.
    const plain = await makeOrder();
    expect(
      (await agent.post(`/api/v1/orders/${plain.id}/refunds`, { kind: 'shipping_only', reason: 'Late' }))
        .status,
    ).toBe(201);
  });

  it('refuses each change without its capability (403) and answers 404 to another brand', async () => {
    const email = `authz-${unique()}@example.com`;
    const order = await makeOrder(email);
    const customerId = await makeCustomer(email);
    const manager = (await signedInMember(h, brand, 'manager')).client;
    const refund = await manager.post(`/api/v1/orders/${order.id}/refunds`, { kind: 'full', reason: 'x' });
    expect(refund.status).toBe(403);
    expect(refund.body.error.message).toContain('"refund.issue"');
    const reship = await manager.post(`/api/v1/orders/${order.id}/reshipments`, {
      items: [{ sku: 'TV-55', qty: 1 }],
      reason: 'x',
    });
    expect(reship.status).toBe(403);
    expect(reship.body.error.message).toContain('"reshipments.create"');
    const credit = await manager.post(`/api/v1/customers/${customerId}/store-credit`, {
      kind: 'issue',
      amount: 100,
      reason: 'x',
    });
    expect(credit.status).toBe(403);
    expect((await manager.get(`/api/v1/orders/${order.id}/money`)).body.data.allowed).toEqual([]);

    const other = await makeBrand(h);
    const outsider = (await signedInMember(h, other, 'agent')).client;
    for (const res of [
      await outsider.get(`/api/v1/orders/${order.id}/money`),
      await outsider.post(`/api/v1/orders/${order.id}/refunds`, { kind: 'full', reason: 'x' }),
      await outsider.post(`/api/v1/orders/${order.id}/reshipments`, {
        items: [{ sku: 'TV-55', qty: 1 }],
        reason: 'x',
      }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No such order.');
    }
    for (const res of [
      await outsider.get(`/api/v1/customers/${customerId}/store-credit`),
      await outsider.post(`/api/v1/customers/${customerId}/store-credit`, {
        kind: 'issue',
        amount: 1,
        reason: 'x',
      }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('No such customer.');
    }
    const money = await agent.get(`/api/v1/orders/${order.id}/money`);
    expect(money.body.data.refunds).toEqual([]);
  });
});
