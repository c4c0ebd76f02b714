import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sideConversations, vendors } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import { EXTERNAL_BASE_ROUTES } from '../trackers/fence';
import { makeOrder, makeTicket } from '../trackers/testing';

/**
 * The supplier portal, route by route: a member with the pack's external supplier role reaches
 * only the portal's routes, and there only their own company's POs, records and conversations.
 */
describe('supplier access', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  let bowen: TestClient;
  let rival: TestClient;
  let ours: { order: string; po: string };
  let theirs: { order: string; po: string };

  /** The portal's own routes; every other route that needs a caller is refused to a supplier. */
  const PORTAL = [
    'GET /api/v1/brands/:brandId/trackers',
    'GET /api/v1/brands/:brandId/trackers/:type/records',
    'GET /api/v1/brands/:brandId/trackers/:type/export.csv',
    'POST /api/v1/brands/:brandId/trackers/:type/records',
    'GET /api/v1/tracker-records/:recordId',
    'PATCH /api/v1/tracker-records/:recordId',
    'POST /api/v1/tracker-records/:recordId/state',
    'POST /api/v1/tracker-records/:recordId/comments',
    'POST /api/v1/tracker-records/:recordId/evidence',
    'GET /api/v1/tracker-evidence/:evidenceId',
    'POST /api/v1/tracker-records/:recordId/links',
    'GET /api/v1/brands/:brandId/trackers/:type/views',
    'POST /api/v1/brands/:brandId/trackers/:type/views',
    'DELETE /api/v1/tracker-views/:viewId',
    'GET /api/v1/brands/:brandId/supplier/purchase-orders',
    'GET /api/v1/brands/:brandId/supplier/side-conversations',
    'GET /api/v1/brands/:brandId/supplier/side-conversations/:sideConversationId',
    'POST /api/v1/brands/:brandId/supplier/side-conversations/:sideConversationId/messages',
    'POST /api/v1/purchase-orders/:poId/shipments',
  ];

  async function supplierOf(vendor: string) {
    const m = await signedInMember(h, brand, 'supplier');
    const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
    const id = list.body.data.find((x: { user: { id: string } }) => x.user.id === m.user.id).id;
    const bound = await admin.request('PUT', `/api/v1/brands/${brand.id}/supplier-accounts/${id}`, {
      vendor,
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    return m.client;
  }

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'store-supplier');
    ours = await makeOrder(h, brand, 'Bowen');
    theirs = await makeOrder(h, brand, 'Other Supplier');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
    bowen = await supplierOf('Bowen');
    rival = await supplierOf('Other Supplier');
  });

  const url = (path: string) =>
    path
      .replace(':brandId', brand.id)
      .replace(':type', 'request')
      .replace(/:\w+/g, () => randomUUID());

  it('refuses a supplier every route outside the portal, route by route', async () => {
    const anonymous = new TestClient(h.app);
    const { client: supplier } = await signedInMember(h, brand, 'supplier');
    const reachable: string[] = [];
    const routes = h.app.apiRoutes.filter((r) => r !== 'POST /api/v1/auth/logout');
    expect(routes.length).toBeGreaterThan(60);
    for (const route of routes) {
      const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT', string];
      const target = url(path);
      const anon = await anonymous.request(method, target, {});
      const res = await supplier.request(method, target, {});
      if (anon.status === 401 && anon.body?.error?.message === 'Sign in to continue.') {
        // A route for signed-in callers: the supplier is fenced out unless it is the portal's
        // (organization routes refuse everyone who is not an organization admin even earlier).
        const message = res.status === 403 ? res.body.error.message : '';
        if (message === 'Supplier accounts may use the supplier portal only.') continue;
        if (message === 'Only organization admins may do this.') continue;
        reachable.push(route);
      } else {
        // A public route: the supplier gets exactly what anybody gets.
        expect(res.status, route).toBe(anon.status);
      }
    }
    const allowed = [...PORTAL, ...EXTERNAL_BASE_ROUTES].filter((r) => r !== 'POST /api/v1/auth/logout');
    expect(reachable.sort()).toEqual(allowed.sort());
    expect((await supplier.post('/api/v1/auth/logout')).status).toBe(204);
  });

  it('shows a supplier only the POs assigned to their company', async () => {
    const res = await bowen.get(`/api/v1/brands/${brand.id}/supplier/purchase-orders`);
    expect(res.status).toBe(200);
    const numbers = res.body.data.map((p: { number: string }) => p.number);
    expect(numbers).toContain(ours.po);
    expect(numbers).not.toContain(theirs.po);
    expect(res.body.data.every((p: { vendor: string }) => p.vendor === 'Bowen')).toBe(true);
    // The brand's own people have orders for this; the portal list is for supplier accounts.
    expect((await agent.get(`/api/v1/brands/${brand.id}/supplier/purchase-orders`)).status).toBe(403);
  });

  it('lets a supplier add tracking to their own company’s POs only', async () => {
    const mine = await makeOrder(h, brand, 'Bowen');
    const other = await makeOrder(h, brand, 'Other Supplier');
    const poId = async (client: TestClient, number: string) =>
      (await client.get(`/api/v1/brands/${brand.id}/supplier/purchase-orders`)).body.data.find(
        (p: { number: string }) => p.number === number,
      )?.id as string;
    const minePo = await poId(bowen, mine.po);
    const otherPo = await poId(rival, other.po);
    expect([typeof minePo, typeof otherPo]).toEqual(['string', 'string']);
    const shipment = (n: string) => ({
      carrier: 'PostNL',
      trackingNumber: `3S${n}${Date.now()}`,
      items: [{ sku: 'RING-1', qty: 1 }],
    });
    const added = await bowen.post(`/api/v1/purchase-orders/${minePo}/shipments`, shipment('A'));
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const listed = await bowen.get(`/api/v1/brands/${brand.id}/supplier/purchase-orders`);
    expect(listed.body.data.find((p: { id: string }) => p.id === minePo).items[0].shippedQty).toBe(1);
    // Another company's PO is not found for them, whoever asks; nothing is added.
    const foreign = await bowen.post(`/api/v1/purchase-orders/${otherPo}/shipments`, shipment('B'));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.message).toBe('No such purchase order.');
    expect((await rival.post(`/api/v1/purchase-orders/${minePo}/shipments`, shipment('C'))).status).toBe(404);
    const unbound = (await signedInMember(h, brand, 'supplier')).client;
    expect((await unbound.post(`/api/v1/purchase-orders/${otherPo}/shipments`, shipment('D'))).status).toBe(
      404,
    );
    const otherListed = await rival.get(`/api/v1/brands/${brand.id}/supplier/purchase-orders`);
    expect(otherListed.body.data.find((p: { id: string }) => p.id === otherPo).items[0].shippedQty).toBe(0);
    // The brand's own people still add tracking with shipments.manage.
    expect((await admin.post(`/api/v1/purchase-orders/${otherPo}/shipments`, shipment('E'))).status).toBe(
      201,
    );
  });

  it('lets a supplier log out-of-stock, incorrect-address and pickup/RTS records on their own orders only', async () => {
    const oos = await bowen.post(`/api/v1/brands/${brand.id}/trackers/out_of_stock/records`, {
      fields: { order: ours.order, sku: 'RING-1', product: 'Ring' },
    });
    expect(oos.status, JSON.stringify(oos.body)).toBe(201);
    const address = await bowen.post(`/api/v1/brands/${brand.id}/trackers/incorrect_address/records`, {
      fields: { order: ours.order, detail: 'tax_number' },
    });
    expect(address.status).toBe(201);
    const pickup = await bowen.post(`/api/v1/brands/${brand.id}/trackers/pickup_rts/records`, {
      fields: { order: ours.order, kind: 'return_to_sender' },
    });
    expect(pickup.status).toBe(201);
    const foreign = await bowen.post(`/api/v1/brands/${brand.id}/trackers/out_of_stock/records`, {
      fields: { order: theirs.order, sku: 'RING-1', product: 'Ring' },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toContain(
      `fields.order: no order ${theirs.order} among your company’s purchase orders`,
    );
    const issue = await bowen.post(`/api/v1/brands/${brand.id}/trackers/item_issue/records`, { fields: {} });
    expect(issue.status).toBe(403);
    const chargeback = await bowen.post(`/api/v1/brands/${brand.id}/trackers/chargeback/records`, {
      fields: {},
    });
    expect(chargeback.status).toBe(404);
    const ticket = await makeTicket(h, brand);
    const fromTicket = await bowen.post(`/api/v1/brands/${brand.id}/trackers/out_of_stock/records`, {
      ticketId: ticket.id,
      fields: { order: ours.order, sku: 'RING-1', product: 'Ring' },
    });
    expect(fromTicket.status).toBe(400);
    expect(fromTicket.body.error.message).toBe('ticketId: no such ticket');
  });

  it('never shows a supplier another company’s records, and lets them answer requests on their own', async () => {
    const mine = await agent.post(`/api/v1/brands/${brand.id}/trackers/request/records`, {
      ticketId: (await makeTicket(h, brand)).id,
      fields: { order: ours.order, request_type: 'hold', details: 'Please hold', posted_in_channel: true },
    });
    const other = await agent.post(`/api/v1/brands/${brand.id}/trackers/request/records`, {
      fields: {
        order: theirs.order,
        request_type: 'hold',
        details: 'Please hold too',
        posted_in_channel: true,
      },
    });
    expect([mine.status, other.status]).toEqual([201, 201]);
    const list = await bowen.get(`/api/v1/brands/${brand.id}/trackers/request/records`);
    const ids = list.body.data.map((r: { id: string }) => r.id);
    expect(ids).toContain(mine.body.data.id);
    expect(ids).not.toContain(other.body.data.id);
    const csv = await bowen.get(`/api/v1/brands/${brand.id}/trackers/request/export.csv`);
    expect(csv.body).toContain('Please hold');
    expect(csv.body).not.toContain('Please hold too');
    expect((await bowen.get(`/api/v1/tracker-records/${other.body.data.id}`)).status).toBe(404);
    expect(
      (await bowen.post(`/api/v1/tracker-records/${other.body.data.id}/comments`, { body: 'x' })).status,
    ).toBe(404);
    expect((await rival.get(`/api/v1/tracker-records/${mine.body.data.id}`)).status).toBe(404);

    expect(mine.body.data.links.map((l: { kind: string }) => l.kind).sort()).toEqual([
      'order',
      'po',
      'ticket',
    ]);
    const answered = await bowen.post(`/api/v1/tracker-records/${mine.body.data.id}/comments`, {
      body: 'On hold now',
    });
    expect(answered.status).toBe(201);
    const done = await bowen.post(`/api/v1/tracker-records/${mine.body.data.id}/state`, { state: 'Done' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // Tickets stay internal: the supplier sees the order and its PO, never the ticket.
    expect(done.body.data.links.map((l: { kind: string }) => l.kind).sort()).toEqual(['order', 'po']);

    const types = (await bowen.get(`/api/v1/brands/${brand.id}/trackers`)).body.data.map(
      (t: { type: string }) => t.type,
    );
    expect(types.sort()).toEqual(
      ['incorrect_address', 'item_issue', 'out_of_stock', 'pickup_rts', 'processing_delay', 'request'].sort(),
    );
  });

  it('lets a supplier answer the side conversations opened with their company, and no others', async () => {
    const ticket = await makeTicket(h, brand);
    const rows = await h.deps.database.db.select().from(vendors).where(eq(vendors.brandId, brand.id));
    const vendorIds = new Map(rows.map((v) => [v.name, v.id]));
    const [side] = await h.deps.database.db
      .insert(sideConversations)
      .values({
        brandId: brand.id,
        ticketId: ticket.id,
        withKind: 'supplier',
        vendorId: vendorIds.get('Bowen')!,
        toAddress: 'orders@bowen.example',
        subject: 'Stock for RING-1?',
        token: randomUUID(),
        createdBy: 'agent@example.com',
      })
      .returning();
    const list = await bowen.get(`/api/v1/brands/${brand.id}/supplier/side-conversations`);
    expect(list.body.data.map((s: { id: string }) => s.id)).toEqual([side!.id]);
    expect((await rival.get(`/api/v1/brands/${brand.id}/supplier/side-conversations`)).body.data).toEqual([]);
    const path = `/api/v1/brands/${brand.id}/supplier/side-conversations/${side!.id}`;
    expect((await rival.get(path)).status).toBe(404);
    expect((await rival.post(`${path}/messages`, { body: 'Hijack' })).status).toBe(404);
    const answer = await bowen.post(`${path}/messages`, { body: 'Back in stock Friday' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.data.messages.at(-1)).toMatchObject({
      from: 'supplier',
      body: 'Back in stock Friday',
    });
  });

  it('gives no API token the supplier role, so no integration reaches around the fence', async () => {
    const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
      name: 'supplier bot',
      role: 'supplier',
    });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toContain('"supplier" is a role for external users');
  });

  it('hides another brand from a supplier', async () => {
    const other = await makeBrand(h, 'store-supplier');
    expect((await bowen.get(`/api/v1/brands/${other.id}/trackers`)).status).toBe(404);
    expect((await bowen.get(`/api/v1/brands/${other.id}/supplier/purchase-orders`)).status).toBe(404);
  });

  it('binds supplier accounts only for members.manage, and only to vendors of the brand', async () => {
    const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
    const id = list.body.data[0].id;
    const refused = await agent.request('PUT', `/api/v1/brands/${brand.id}/supplier-accounts/${id}`, {
      vendor: 'Bowen',
    });
    expect(refused.status).toBe(403);
    const unknown = await admin.request('PUT', `/api/v1/brands/${brand.id}/supplier-accounts/${id}`, {
      vendor: 'Nobody',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('vendor: no vendor named "Nobody"');
  });
});
