import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOrder } from './commands/importOrder';
import type { RequestContext } from './context';
import {
  auditLog,
  jobs,
  messages,
  poItems,
  poStatusChanges,
  purchaseOrders,
  shipments,
  tickets,
} from './db/schema';
import type { BrandRow } from './policies';
import { makeBrand, signedInMember } from './test/factories';
import { type Harness, type TestClient, testApp } from './test/harness';

/**
 * Every PO guardrail of the marketplace pack, on every path that changes a PO's status: the API,
 * a macro's action, the advice panel and the tracking import. On each path the forbidden change
 * is refused naming the rule and leaves every table as it was; the allowed one goes through.
 *
 * The pack's guardrails: `po.canceled-requires-refund` (Canceled only once refunded),
 * `po.on-hold-before-shipment` (On-Hold only before anything shipped) and
 * `po.shipped-requires-all-items` (Shipped only once every item shipped); its transitions
 * (`po.transitions`) end at Canceled.
 */
describe('PO guardrails on every path', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let admin: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    agent = (await signedInMember(h, brand, 'agent')).client;
    admin = (await signedInMember(h, brand, 'admin')).client;
  });

  const db = () => h.deps.database.db;
  const ctx = (): RequestContext => ({ actor: { kind: 'system', name: 'test' }, now: h.clock.now() });
  const pack = () => h.deps.packs.get('marketplace-dropship')!;

  /**
   * A Best Buy order of a TV and a soundbar on one PO, sent to the vendor two days ago; `shipped`
   * marks those SKUs shipped (no shipment row: the API path sets statuses by hand).
   */
  async function makeOrder(
    options: { status?: string; shipped?: readonly string[]; refunded?: boolean } = {},
  ) {
    const id = randomUUID().slice(0, 8).toUpperCase();
    const email = `c-${id.toLowerCase()}@example.com`;
    const { orderId } = await db().transaction((tx) =>
      importOrder(tx, ctx(), brand.id, pack(), {
        number: `G${id}`,
        channel: 'website',
        customer: { name: 'Dana Reyes', email },
        placedAt: new Date(h.clock.now().getTime() - 3 * 86_400_000).toISOString(),
        items: [
          { sku: 'TV', name: 'TV', qty: 1, unitPrice: 400 },
          { sku: 'SB', name: 'Soundbar', qty: 1, unitPrice: 150 },
        ],
        purchaseOrders: [
          {
            number: `GPO-${id}`,
            vendor: 'Best Buy',
            status: options.status ?? 'Sent to Vendor',
            sentToVendorAt: new Date(h.clock.now().getTime() - 2 * 86_400_000).toISOString(),
            items: [
              { sku: 'TV', qty: 1 },
              { sku: 'SB', qty: 1 },
            ],
          },
        ],
      }),
    );
    const [po] = await db().select().from(purchaseOrders).where(eq(purchaseOrders.orderId, orderId));
    for (const sku of options.shipped ?? []) {
      await db()
        .update(poItems)
        .set({ shippedQty: 1 })
        .where(and(eq(poItems.poId, po!.id), eq(poItems.sku, sku)));
    }
    if (options.refunded) await markRefunded(po!.id);
    return { number: `G${id}`, poId: po!.id, poNumber: po!.number, email };
  }

  /** The refund itself is the money side's; here the PO is marked refunded as House would show it. */
  const markRefunded = (poId: string) =>
    db().update(purchaseOrders).set({ refunded: true }).where(eq(purchaseOrders.id, poId));

  /** Everything a PO status change, a reply or an import could write, counted for the brand. */
  async function written(poId: string, ticketId?: string) {
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;
    const [po] = await db().select().from(purchaseOrders).where(eq(purchaseOrders.id, poId));
    return {
      status: po!.status,
      version: po!.version,
      history: await n(
        db().select({ n: count() }).from(poStatusChanges).where(eq(poStatusChanges.poId, poId)),
      ),
      audit: await n(db().select({ n: count() }).from(auditLog).where(eq(auditLog.brandId, brand.id))),
      shipments: await n(db().select({ n: count() }).from(shipments).where(eq(shipments.brandId, brand.id))),
      jobs: await n(db().select({ n: count() }).from(jobs).where(eq(jobs.brandId, brand.id))),
      messages: ticketId
        ? await n(db().select({ n: count() }).from(messages).where(eq(messages.ticketId, ticketId)))
        : 0,
      ticketVersion: ticketId
        ? (await db().select().from(tickets).where(eq(tickets.id, ticketId)))[0]!.version
        : 0,
    };
  }

  function expectRefused(res: { status: number; body: any }, rule: string) {
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('guardrail_violation');
    expect(res.body.error.details.rule).toBe(rule);
  }

  async function openTicket(order: { number: string; email: string }, body: string) {
    const res = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: `Order ${order.number}`,
      body,
      customer: { email: order.email, name: 'Dana Reyes' },
      orderNumbers: [order.number],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { id: string; version: number };
  }

  describe('API: POST /purchase-orders/:id/status', () => {
    const setStatus = (poId: string, status: string) =>
      agent.post(`/api/v1/purchase-orders/${poId}/status`, { status });

    it('po.canceled-requires-refund: Canceled is refused until the PO shows refunded, then allowed', async () => {
      const order = await makeOrder({ status: 'On-Hold' });
      const before = await written(order.poId);
      expectRefused(await setStatus(order.poId, 'Canceled'), 'po.canceled-requires-refund');
      expect(await written(order.poId)).toEqual(before);
      await markRefunded(order.poId);
      const ok = await setStatus(order.poId, 'Canceled');
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect((await written(order.poId)).status).toBe('Canceled');
    });

    it('po.on-hold-before-shipment: On-Hold is refused once an item shipped, allowed before', async () => {
      const shipped = await makeOrder({ shipped: ['TV'] });
      const before = await written(shipped.poId);
      expectRefused(await setStatus(shipped.poId, 'On-Hold'), 'po.on-hold-before-shipment');
      expect(await written(shipped.poId)).toEqual(before);
      const fresh = await makeOrder();
      expect((await setStatus(fresh.poId, 'On-Hold')).status).toBe(200);
      expect((await written(fresh.poId)).status).toBe('On-Hold');
    });

    it('po.shipped-requires-all-items: Shipped is refused while an item is unshipped, allowed after', async () => {
      const order = await makeOrder({ shipped: ['TV'] });
      const before = await written(order.poId);
      expectRefused(await setStatus(order.poId, 'Shipped'), 'po.shipped-requires-all-items');
      expect(await written(order.poId)).toEqual(before);
      const all = await makeOrder({ shipped: ['TV', 'SB'] });
      expect((await setStatus(all.poId, 'Shipped')).status).toBe(200);
      expect((await written(all.poId)).status).toBe('Shipped');
    });

    it('po.transitions: nothing leaves Canceled', async () => {
      const order = await makeOrder({ status: 'On-Hold', refunded: true });
      expect((await setStatus(order.poId, 'Canceled')).status).toBe(200);
      const before = await written(order.poId);
      expectRefused(await setStatus(order.poId, 'Sent to Vendor'), 'po.transitions');
      expect(await written(order.poId)).toEqual(before);
    });
  });

  describe('macro action: a reply with a macro that sets the PO status', () => {
    const macro = async (status: string) => {
      const name = `Set ${status} ${randomUUID().slice(0, 6)}`;
      const res = await admin.post(`/api/v1/brands/${brand.id}/macros`, {
        name,
        body: 'Hi {{customer.firstName}}, we are on it.',
        actions: [
          { type: 'add_tag', tag: 'po-change' },
          { type: 'set_po_status', status },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return name;
    };
    const reply = (ticketId: string, name: string) =>
      agent.post(`/api/v1/tickets/${ticketId}/macros/apply`, { macro: name, send: true });

    for (const { rule, status, forbidden, allowed } of [
      {
        rule: 'po.canceled-requires-refund',
        status: 'Canceled',
        forbidden: { status: 'On-Hold' },
        allowed: { status: 'On-Hold', refunded: true },
      },
      {
        rule: 'po.on-hold-before-shipment',
        status: 'On-Hold',
        forbidden: { shipped: ['TV'] },
        allowed: {},
      },
      {
        rule: 'po.shipped-requires-all-items',
        status: 'Shipped',
        forbidden: { shipped: ['TV'] },
        allowed: { shipped: ['TV', 'SB'] },
      },
    ]) {
      it(`${rule}: the reply and its PO change are refused together, then allowed`, async () => {
        const name = await macro(status);
        const bad = await makeOrder(forbidden);
        const badTicket = await openTicket(bad, 'About my order');
        const before = await written(bad.poId, badTicket.id);
        expectRefused(await reply(badTicket.id, name), rule);
        // The reply, its tag, its mail job and the PO change all rolled back.
        expect(await written(bad.poId, badTicket.id)).toEqual(before);

        const good = await makeOrder(allowed);
        const goodTicket = await openTicket(good, 'About my order');
        const ok = await reply(goodTicket.id, name);
        expect(ok.status, JSON.stringify(ok.body)).toBe(201);
        const after = await written(good.poId, goodTicket.id);
        expect(after.status).toBe(status);
        expect(after.messages).toBe(2);
      });
    }
  });

  describe('advice panel: POST /tickets/:id/advice/apply', () => {
    const advice = async (ticketId: string) => {
      const res = await agent.get(`/api/v1/tickets/${ticketId}/advice`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.data;
    };
    const setIntent = (ticketId: string, intent: string) =>
      agent.post(`/api/v1/tickets/${ticketId}/advice/override`, { intent });
    /** The advised action a guardrail turned into an "inform", with the rule the explanation names. */
    const informFor = (data: any, rule: string) => {
      const why = data.explanation?.find((e: any) => e.rule === rule) ?? null;
      const action = data.actions.find(
        (a: any) => a.action.type === 'inform' && String(a.action.text).startsWith('Not yet:'),
      );
      return { why, action };
    };

    for (const { rule, status, intent, forbidden, allowed } of [
      {
        rule: 'po.canceled-requires-refund',
        status: 'Canceled',
        intent: 'vendor_cancellation_confirmed',
        forbidden: { status: 'On-Hold' },
        allowed: { status: 'On-Hold', refunded: true },
      },
      {
        rule: 'po.on-hold-before-shipment',
        status: 'On-Hold',
        intent: 'cancel_order',
        forbidden: { shipped: ['TV'] },
        allowed: {},
      },
      {
        rule: 'po.shipped-requires-all-items',
        status: 'Shipped',
        intent: 'vendor_tracking_update',
        forbidden: { shipped: ['TV'] },
        allowed: { shipped: ['TV', 'SB'] },
      },
    ] as const) {
      it(`${rule}: the panel offers "Not yet" naming the rule, applying it writes nothing; allowed once it holds`, async () => {
        const bad = await makeOrder(forbidden);
        const badTicket = await openTicket(bad, 'About my order');
        expect((await setIntent(badTicket.id, intent)).status).toBe(200);
        const data = await advice(badTicket.id);
        expect(
          data.actions.some((a: any) => a.action.type === 'set_po_status' && a.action.status === status),
        ).toBe(false);
        const { why, action } = informFor(data, rule);
        expect(action, JSON.stringify(data.actions)).toBeDefined();
        expect(action.rule).toBe(rule);
        if (why) expect(why.rule).toBe(rule);
        const before = await written(bad.poId, badTicket.id);
        const res = await agent.post(`/api/v1/tickets/${badTicket.id}/advice/apply`, {
          index: action.index,
          rule: action.rule,
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.data.applied).toBe(false);
        const after = await written(bad.poId, badTicket.id);
        expect({ ...after, audit: 0, ticketVersion: 0 }).toEqual({ ...before, audit: 0, ticketVersion: 0 });
        expect(after.status).toBe(before.status);

        const good = await makeOrder(allowed);
        const goodTicket = await openTicket(good, 'About my order');
        expect((await setIntent(goodTicket.id, intent)).status).toBe(200);
        const ok = (await advice(goodTicket.id)).actions.find(
          (a: any) => a.action.type === 'set_po_status' && a.action.status === status,
        );
        expect(ok).toBeDefined();
        const applied = await agent.post(`/api/v1/tickets/${goodTicket.id}/advice/apply`, {
          index: ok.index,
          rule: ok.rule,
        });
        expect(applied.status, JSON.stringify(applied.body)).toBe(200);
        expect((await written(good.poId)).status).toBe(status);
      });
    }

    it('an advised Canceled whose guardrail broke after the panel loaded is refused and writes nothing', async () => {
      const order = await makeOrder({ status: 'On-Hold', refunded: true });
      const ticket = await openTicket(order, 'Vendor confirmed the cancellation');
      await setIntent(ticket.id, 'vendor_cancellation_confirmed');
      const shown = (await advice(ticket.id)).actions.find(
        (a: any) => a.action.type === 'set_po_status' && a.action.status === 'Canceled',
      );
      expect(shown).toBeDefined();
      // The refund is reversed before the agent clicks.
      await db().update(purchaseOrders).set({ refunded: false }).where(eq(purchaseOrders.id, order.poId));
      const before = await written(order.poId, ticket.id);
      const res = await agent.post(`/api/v1/tickets/${ticket.id}/advice/apply`, {
        index: shown.index,
        rule: shown.rule,
      });
      // The advice is recomputed inside the change's transaction: the action is no longer offered.
      expect(res.status).toBe(409);
      expect(res.body.error.details.current.rule).not.toBe(shown.rule);
      expect(await written(order.poId, ticket.id)).toEqual(before);
    });
  });

  describe('import: tracking CSV', () => {
    const csv = (...rows: string[]) => ['PO,SKU,Carrier,Tracking Number', ...rows].join('\n');
    const apply = (text: string) =>
      agent.post(`/api/v1/brands/${brand.id}/tracking-imports/apply`, { csv: text });
    const track = () => `1Z${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`;

    it('po.transitions: tracking for a canceled PO is refused naming the rule, and nothing is written', async () => {
      const order = await makeOrder({ status: 'On-Hold', refunded: true });
      expect(
        (await agent.post(`/api/v1/purchase-orders/${order.poId}/status`, { status: 'Canceled' })).status,
      ).toBe(200);
      const before = await written(order.poId);
      const res = await apply(
        csv(`${order.poNumber},TV,UPS,${track()}`, `${order.poNumber},SB,UPS,${track()}`),
      );
      expectRefused(res, 'po.transitions');
      expect(res.body.error.details.problems.map((p: any) => p.row)).toEqual([2, 3]);
      expect(await written(order.poId)).toEqual(before);
    });

    it('po.shipped-requires-all-items: a partial file adds its shipment but leaves the PO; the rest ships it', async () => {
      const order = await makeOrder();
      const first = await apply(csv(`${order.poNumber},TV,UPS,${track()}`));
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.data).toMatchObject({ shipments: 1, autoShipped: 0 });
      expect((await written(order.poId)).status).toBe('Sent to Vendor');
      const second = await apply(csv(`${order.poNumber},SB,UPS,${track()}`));
      expect(second.body.data).toMatchObject({ shipments: 1, autoShipped: 1 });
      const after = await written(order.poId);
      expect(after.status).toBe('Shipped');
      const [change] = await db()
        .select()
        .from(poStatusChanges)
        .where(and(eq(poStatusChanges.poId, order.poId), eq(poStatusChanges.toStatus, 'Shipped')));
      expect(change).toMatchObject({ fromStatus: 'Sent to Vendor', actorLabel: 'system:casebook' });
    });

    it('po.transitions on a mixed file: the canceled PO’s row is refused by rule, the others apply', async () => {
      const canceled = await makeOrder({ status: 'On-Hold', refunded: true });
      await agent.post(`/api/v1/purchase-orders/${canceled.poId}/status`, { status: 'Canceled' });
      const open = await makeOrder();
      const before = await written(canceled.poId);
      const res = await apply(
        csv(
          `${canceled.poNumber},TV,UPS,${track()}`,
          `${open.poNumber},TV,UPS,${track()}`,
          `${open.poNumber},SB,UPS,${track()}`,
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.data.problems).toEqual([
        expect.objectContaining({ row: 2, kind: 'canceled', rule: 'po.transitions' }),
      ]);
      expect(res.body.data.autoShipped).toBe(1);
      const after = await written(canceled.poId);
      expect({ status: after.status, version: after.version, history: after.history }).toEqual({
        status: before.status,
        version: before.version,
        history: before.history,
      });
      const onCanceled = await db().select().from(shipments).where(eq(shipments.poId, canceled.poId));
      expect(onCanceled).toHaveLength(0);
    });
  });
});
