import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { sideConversations, vendors } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, makeMember, makeUser, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
import { makeOrder, makeTicket } from '../trackers/testing';
import { shopifySignature, webhookSignature } from './webhooks';

describe('audit log', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let adminEmail: string;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h);
    const signed = await signedInMember(h, brand, 'admin', { isOrgAdmin: true });
    admin = signed.client;
    adminEmail = signed.user.email;
  });

  /** The newest audit entry about an entity, as an admin reads it through the API. */
  async function latest(entityType: string, entityId: string, scope: 'brand' | 'org' = 'brand') {
    const url =
      scope === 'brand'
        ? `/api/v1/brands/${brand.id}/audit?entityType=${entityType}&entityId=${entityId}`
        : `/api/v1/audit?entityType=${entityType}&entityId=${entityId}`;
    const res = await admin.get(url);
    expect(res.status).toBe(200);
    return res.body.data[0];
  }

  /**
   * Every mutating route, each with a request that succeeds and the audit entry it must leave.
   * The last test checks that this table covers every non-GET route of the OpenAPI document.
   */
  const mutations: Record<string, () => Promise<void>> = {
    'POST /api/v1/auth/login': async () => {
      const user = await makeUser(h);
      const c = new TestClient(h.app);
      const res = await c.signIn(user.email, 'correct horse battery staple');
      expect(res.status).toBe(200);
      const entries = await admin.get(`/api/v1/audit?entityType=session&action=login&actorId=${user.id}`);
      expect(entries.body.data).toHaveLength(1);
      expect(entries.body.data[0].actor.label).toBe(user.email);
    },
    'POST /api/v1/auth/logout': async () => {
      const { client, user } = await signedInMember(h, brand, 'agent');
      expect((await client.post('/api/v1/auth/logout')).status).toBe(204);
      const entries = await admin.get(`/api/v1/audit?entityType=session&action=logout&actorId=${user.id}`);
      expect(entries.body.data).toHaveLength(1);
    },
    'POST /api/v1/auth/password': async () => {
      const { client, user } = await signedInMember(h, brand, 'agent');
      const res = await client.post('/api/v1/auth/password', {
        currentPassword: 'correct horse battery staple',
        newPassword: 'a different long password',
      });
      expect(res.status).toBe(200);
      const entry = await latest('user', user.id, 'org');
      expect(entry).toMatchObject({ action: 'change_password', actor: { type: 'user', label: user.email } });
      expect(JSON.stringify(entry)).not.toContain('a different long password');
    },
    'POST /api/v1/users': async () => {
      const res = await admin.post('/api/v1/users', {
        email: 'audited@example.com',
        name: 'Audited',
        password: 'long enough password',
      });
      expect(res.status).toBe(201);
      const entry = await latest('user', res.body.data.id, 'org');
      expect(entry).toMatchObject({
        action: 'create',
        actor: { label: adminEmail },
        after: { email: 'audited@example.com' },
      });
      expect(JSON.stringify(entry)).not.toMatch(/argon2|long enough password/);
    },
    'PATCH /api/v1/users/{userId}': async () => {
      const user = await makeUser(h);
      expect((await admin.patch(`/api/v1/users/${user.id}`, { name: 'Renamed Person' })).status).toBe(200);
      const entry = await latest('user', user.id, 'org');
      expect(entry).toMatchObject({
        action: 'update',
        before: { name: user.name },
        after: { name: 'Renamed Person' },
      });
    },
    'POST /api/v1/brands': async () => {
      const res = await admin.post('/api/v1/brands', {
        name: 'Audited brand',
        slug: `audited-${Date.now()}`,
        packId: 'trade-in',
      });
      expect(res.status).toBe(201);
      const entries = await admin.get(`/api/v1/brands/${res.body.data.id}/audit?limit=200`);
      const kinds = entries.body.data.map(
        (e: { entityType: string; action: string }) => `${e.entityType}.${e.action}`,
      );
      expect(kinds).toContain('brand.create');
      expect(kinds).toContain('role.create');
      expect(kinds).toContain('membership.create');
    },
    'PATCH /api/v1/brands/{brandId}': async () => {
      expect((await admin.patch(`/api/v1/brands/${brand.id}`, { name: 'Audited name' })).status).toBe(200);
      const entry = await latest('brand', brand.id);
      expect(entry).toMatchObject({
        action: 'update',
        after: { name: 'Audited name' },
        actor: { type: 'user', label: adminEmail },
      });
      expect(entry.before.name).toBeTypeOf('string');
    },
    'POST /api/v1/brands/{brandId}/members': async () => {
      const user = await makeUser(h);
      const res = await admin.post(`/api/v1/brands/${brand.id}/members`, { email: user.email, role: 'lead' });
      expect(res.status).toBe(201);
      expect(await latest('membership', res.body.data.id)).toMatchObject({
        action: 'create',
        after: { role: 'lead' },
      });
    },
    'PATCH /api/v1/brands/{brandId}/members/{membershipId}': async () => {
      const { user } = await makeMember(h, brand, 'agent');
      const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
      const id = list.body.data.find((m: { user: { id: string } }) => m.user.id === user.id).id;
      expect(
        (await admin.patch(`/api/v1/brands/${brand.id}/members/${id}`, { role: 'manager' })).status,
      ).toBe(200);
      expect(await latest('membership', id)).toMatchObject({
        action: 'update',
        before: { role: 'agent' },
        after: { role: 'manager' },
      });
    },
    'DELETE /api/v1/brands/{brandId}/members/{membershipId}': async () => {
      const { user } = await makeMember(h, brand, 'agent');
      const list = await admin.get(`/api/v1/brands/${brand.id}/members`);
      const id = list.body.data.find((m: { user: { id: string } }) => m.user.id === user.id).id;
      expect((await admin.delete(`/api/v1/brands/${brand.id}/members/${id}`)).status).toBe(204);
      expect(await latest('membership', id)).toMatchObject({ action: 'delete', before: { role: 'agent' } });
    },
    'POST /api/v1/brands/{brandId}/roles': async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
        name: 'auditor',
        title: 'Auditor',
        capabilities: ['audit.read'],
      });
      expect(res.status).toBe(201);
      expect(await latest('role', res.body.data.id)).toMatchObject({
        action: 'create',
        after: { capabilities: ['audit.read'] },
      });
    },
    'PATCH /api/v1/brands/{brandId}/roles/{roleId}': async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
        name: 'to_change',
        title: 'To change',
        capabilities: [],
      });
      const id = res.body.data.id;
      expect(
        (await admin.patch(`/api/v1/brands/${brand.id}/roles/${id}`, { capabilities: ['audit.read'] }))
          .status,
      ).toBe(200);
      expect(await latest('role', id)).toMatchObject({
        action: 'update',
        before: { capabilities: [] },
        after: { capabilities: ['audit.read'] },
      });
    },
    'DELETE /api/v1/brands/{brandId}/roles/{roleId}': async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/roles`, {
        name: 'to_delete',
        title: 'To delete',
        capabilities: [],
      });
      const id = res.body.data.id;
      expect((await admin.delete(`/api/v1/brands/${brand.id}/roles/${id}`)).status).toBe(204);
      expect(await latest('role', id)).toMatchObject({ action: 'delete', before: { name: 'to_delete' } });
    },
    'POST /api/v1/brands/{brandId}/api-tokens': async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'shop sync',
        role: 'agent',
      });
      expect(res.status).toBe(201);
      const entry = await latest('api_token', res.body.data.id);
      expect(entry).toMatchObject({ action: 'create', after: { name: 'shop sync', role: 'agent' } });
      expect(JSON.stringify(entry)).not.toContain(res.body.token);
    },
    'DELETE /api/v1/brands/{brandId}/api-tokens/{tokenId}': async () => {
      const res = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
        name: 'to revoke',
        role: 'agent',
      });
      expect((await admin.delete(`/api/v1/brands/${brand.id}/api-tokens/${res.body.data.id}`)).status).toBe(
        204,
      );
      expect(await latest('api_token', res.body.data.id)).toMatchObject({ action: 'revoke' });
    },
  };

  mutations['POST /api/v1/brands/{brandId}/orders'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUD-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [
        { number: `AUD-PO-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] },
      ],
    });
    expect(res.status).toBe(201);
    expect(await latest('order', res.body.data.id)).toMatchObject({
      action: 'import',
      actor: { label: adminEmail },
    });
  };
  mutations['POST /api/v1/purchase-orders/{poId}/status'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUD2-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [
        { number: `AUD2-PO-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] },
      ],
    });
    const po = res.body.data.purchaseOrders[0];
    const { client } = await signedInMember(h, brand, 'agent');
    expect(
      (await client.post(`/api/v1/purchase-orders/${po.id}/status`, { status: 'Sent to Vendor' })).status,
    ).toBe(200);
    expect(await latest('purchase_order', po.id)).toMatchObject({
      action: 'set_status',
      before: { status: 'Processing' },
      after: { status: 'Sent to Vendor' },
    });
  };

  mutations['POST /api/v1/purchase-orders/{poId}/shipments'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUD3-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [
        { number: `AUD3-PO-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] },
      ],
    });
    const po = res.body.data.purchaseOrders[0];
    const shipped = await admin.post(`/api/v1/purchase-orders/${po.id}/shipments`, {
      trackingNumber: `AUD3-${Date.now()}`,
      items: [{ sku: 'S1', qty: 1 }],
    });
    expect(shipped.status).toBe(201);
    expect(await latest('shipment', shipped.body.data.shipmentId)).toMatchObject({ action: 'create' });
  };
  mutations['POST /api/v1/brands/{brandId}/webhook-secret'] = async () => {
    expect((await admin.post(`/api/v1/brands/${brand.id}/webhook-secret`)).status).toBe(200);
    const entry = await latest('brand', brand.id);
    expect(entry).toMatchObject({ action: 'rotate_webhook_secret' });
    expect(JSON.stringify(entry)).not.toMatch(/[0-9a-f]{64}/);
  };
  mutations['POST /api/v1/tracking-events'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUD4-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [
        { number: `AUD4-PO-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] },
      ],
    });
    const trackingNumber = `AUD4T${Date.now()}`;
    await admin.post(`/api/v1/purchase-orders/${res.body.data.purchaseOrders[0].id}/shipments`, {
      trackingNumber,
      items: [{ sku: 'S1', qty: 1 }],
    });
    const key = (await admin.get(`/api/v1/brands/${brand.id}/webhook-secret`)).body.data.secret;
    const raw = JSON.stringify({
      events: [
        { id: `a-${trackingNumber}`, trackingNumber, status: 'in_transit', at: '2026-03-02T10:00:00Z' },
      ],
    });
    const sent = await new TestClient(h.app).request('POST', '/api/v1/tracking-events', undefined, {
      rawBody: raw,
      headers: { 'x-casebook-brand': brand.id, 'x-casebook-signature': webhookSignature(key, raw) },
    });
    expect(sent.body.data.stored).toBe(1);
    const entries = await admin.get(
      `/api/v1/brands/${brand.id}/audit?entityType=tracking_events&action=ingest`,
    );
    expect(entries.body.data[0]).toMatchObject({
      actor: { type: 'system', label: 'system:tracking-webhook' },
    });
  };

  mutations['POST /api/v1/brands/{brandId}/tracking-imports/apply'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUD5-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [
        { number: `AUD5-PO-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] },
      ],
    });
    const po = res.body.data.purchaseOrders[0];
    const applied = await admin.post(`/api/v1/brands/${brand.id}/tracking-imports/apply`, {
      csv: `PO,SKU,Carrier,Tracking Number\n${po.number},S1,UPS,AUD5T${Date.now()}`,
    });
    expect(applied.body.data.shipments).toBe(1);
    const entries = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=shipment&action=create`);
    expect(entries.body.data[0].after.po).toBe(po.number);
  };

  mutations['POST /api/v1/brands/{brandId}/tracking-imports'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/tracking-imports`, {
      csv: 'PO,SKU,Carrier,Tracking Number\nAUD-NONE,S1,UPS,AUDX',
    });
    expect(res.status).toBe(202);
    expect(await latest('import_run', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { kind: 'tracking' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/order-imports'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/order-imports`, {
      csv: 'Order Number,Channel,Placed At,SKU,Name,Qty,Unit Price\nAUD-OI,website,2026-03-01T10:00:00Z,S1,Lamp,1,10',
    });
    expect(res.status).toBe(202);
    expect(await latest('import_run', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { kind: 'orders' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/order-imports/apply'] = async () => {
    const number = `AUD6-${Date.now()}`;
    const res = await admin.post(`/api/v1/brands/${brand.id}/order-imports/apply`, {
      csv: `External ID,Order Number,Channel,Placed At,SKU,Name,Qty,Unit Price\nx:${number},${number},website,2026-03-01T10:00:00Z,S1,Lamp,1,10`,
    });
    expect(res.body.data.created).toBe(1);
    const entries = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=order&action=import`);
    expect(entries.body.data[0]).toMatchObject({ after: { number }, actor: { label: adminEmail } });
  };
  mutations['POST /api/v1/brands/{brandId}/vendors'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name: `Audit vendor ${Date.now()}`,
      cancelVia: 'portal',
    });
    expect(res.status).toBe(201);
    expect(await latest('vendor', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { policy: { cancelVia: 'portal' } },
    });
  };
  mutations['PATCH /api/v1/vendors/{vendorId}'] = async () => {
    const created = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name: `Audit vendor 2 ${Date.now()}`,
    });
    const res = await admin.patch(`/api/v1/vendors/${created.body.data.id}`, { freight: true });
    expect(res.status).toBe(200);
    expect(await latest('vendor', created.body.data.id)).toMatchObject({
      action: 'update',
      before: { policy: { freight: false } },
      after: { policy: { freight: true } },
    });
  };

  mutations['POST /api/v1/brands/{brandId}/webhooks/shopify/orders'] = async () => {
    const key = (await admin.get(`/api/v1/brands/${brand.id}/webhook-secret`)).body.data.secret;
    const id = Date.now();
    const raw = JSON.stringify({
      id,
      name: `#${id}`,
      created_at: '2026-03-09T10:15:00Z',
      line_items: [{ sku: 'S1', title: 'Lamp', quantity: 1, price: '10.00' }],
    });
    const res = await new TestClient(h.app).request(
      'POST',
      `/api/v1/brands/${brand.id}/webhooks/shopify/orders`,
      undefined,
      {
        rawBody: raw,
        headers: { 'x-shopify-hmac-sha256': shopifySignature(key, raw) },
      },
    );
    expect(await latest('order', res.body.data.orderId)).toMatchObject({
      action: 'import',
      actor: { type: 'system', label: 'system:shopify-webhook' },
    });
  };

  // --- Helpdesk --------------------------------------------------------------------------------

  let ticketSeq = 0;
  async function ticket(email = `aud-t${Date.now()}-${++ticketSeq}@example.com`) {
    const res = await admin.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: `Audited ticket ${ticketSeq}`,
      body: 'Where is my parcel?',
      customer: { email },
    });
    expect(res.status).toBe(201);
    return res.body.data;
  }

  mutations['POST /api/v1/tickets'] = async () => {
    const t = await ticket();
    expect(await latest('ticket', t.id)).toMatchObject({ action: 'create', after: { subject: t.subject } });
  };
  mutations['PATCH /api/v1/tickets/{ticketId}'] = async () => {
    const t = await ticket();
    await admin.patch(`/api/v1/tickets/${t.id}`, { priority: 'high' });
    expect(await latest('ticket', t.id)).toMatchObject({
      action: 'update',
      before: { priority: 'normal' },
      after: { priority: 'high' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/tickets/bulk'] = async () => {
    const [a, b] = [await ticket(), await ticket()];
    const res = await admin.post(`/api/v1/brands/${brand.id}/tickets/bulk`, {
      ticketIds: [a.id, b.id],
      addTags: ['bulk'],
    });
    expect(res.body.data.updated).toBe(2);
    for (const t of [a, b])
      expect(await latest('ticket', t.id)).toMatchObject({ action: 'update', after: { tags: ['bulk'] } });
  };
  mutations['POST /api/v1/tickets/{ticketId}/messages'] = async () => {
    const t = await ticket();
    const res = await admin.post(`/api/v1/tickets/${t.id}/messages`, {
      kind: 'note',
      body: 'Called the carrier.',
    });
    const note = res.body.data.messages.at(-1);
    expect(await latest('message', note.id)).toMatchObject({ action: 'note', after: { ticketId: t.id } });
  };
  mutations['POST /api/v1/tickets/{ticketId}/merge'] = async () => {
    const email = `aud-merge-${Date.now()}@example.com`;
    const [a, b] = [await ticket(email), await ticket(email)];
    await admin.post(`/api/v1/tickets/${b.id}/merge`, { intoTicketId: a.id });
    expect(await latest('ticket', b.id)).toMatchObject({ action: 'merge', after: { mergedIntoId: a.id } });
  };
  mutations['POST /api/v1/tickets/{ticketId}/split'] = async () => {
    const t = await ticket();
    const more = await admin.post(`/api/v1/tickets/${t.id}/messages`, {
      kind: 'note',
      body: 'A separate matter.',
    });
    const res = await admin.post(`/api/v1/tickets/${t.id}/split`, {
      messageId: more.body.data.messages.at(-1).id,
    });
    expect(await latest('ticket', res.body.data.id)).toMatchObject({
      action: 'split',
      after: { from: t.id },
    });
  };
  async function auditedOrder() {
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `AUDT-${Date.now()}-${++ticketSeq}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [],
    });
    return res.body.data;
  }
  mutations['POST /api/v1/tickets/{ticketId}/orders'] = async () => {
    const [t, order] = [await ticket(), await auditedOrder()];
    await admin.post(`/api/v1/tickets/${t.id}/orders`, { orderNumber: order.number });
    expect(await latest('ticket', t.id)).toMatchObject({
      action: 'link_order',
      after: { orderId: order.id, linkedBy: 'user' },
    });
  };
  mutations['DELETE /api/v1/tickets/{ticketId}/orders/{orderId}'] = async () => {
    const [t, order] = [await ticket(), await auditedOrder()];
    await admin.post(`/api/v1/tickets/${t.id}/orders`, { orderNumber: order.number });
    expect((await admin.delete(`/api/v1/tickets/${t.id}/orders/${order.id}`)).status).toBe(200);
    expect(await latest('ticket', t.id)).toMatchObject({
      action: 'unlink_order',
      before: { orderId: order.id },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/customers'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/customers`, {
      name: 'Phone Caller',
      phone: '+1 555 0100',
    });
    expect(await latest('customer', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { name: 'Phone Caller' },
    });
  };
  mutations['PATCH /api/v1/customers/{customerId}'] = async () => {
    const t = await ticket();
    await admin.patch(`/api/v1/customers/${t.customerId}`, { notes: 'Prefers phone.' });
    expect(await latest('customer', t.customerId)).toMatchObject({
      action: 'update',
      after: { notes: 'Prefers phone.' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/queues'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/queues`, { name: `AU ${Date.now()}` });
    expect(await latest('queue', res.body.data.id)).toMatchObject({ action: 'create' });
  };
  mutations['PATCH /api/v1/queues/{queueId}'] = async () => {
    const q = (await admin.post(`/api/v1/brands/${brand.id}/queues`, { name: `UK ${Date.now()}` })).body.data;
    await admin.patch(`/api/v1/queues/${q.id}`, { title: 'United Kingdom' });
    expect(await latest('queue', q.id)).toMatchObject({
      action: 'update',
      after: { title: 'United Kingdom' },
    });
  };
  mutations['DELETE /api/v1/queues/{queueId}'] = async () => {
    const q = (await admin.post(`/api/v1/brands/${brand.id}/queues`, { name: `NZ ${Date.now()}` })).body.data;
    expect((await admin.delete(`/api/v1/queues/${q.id}`)).status).toBe(204);
    expect(await latest('queue', q.id)).toMatchObject({ action: 'delete' });
  };
  const slaBody = () => ({
    name: `VIP ${Date.now()}-${++ticketSeq}`,
    priorities: ['urgent'],
    firstResponseMinutes: 30,
  });
  mutations['POST /api/v1/brands/{brandId}/sla-policies'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/sla-policies`, slaBody());
    expect(await latest('sla_policy', res.body.data.id)).toMatchObject({ action: 'create' });
  };
  mutations['PATCH /api/v1/sla-policies/{policyId}'] = async () => {
    const p = (await admin.post(`/api/v1/brands/${brand.id}/sla-policies`, slaBody())).body.data;
    await admin.patch(`/api/v1/sla-policies/${p.id}`, { firstResponseMinutes: 45 });
    expect(await latest('sla_policy', p.id)).toMatchObject({
      action: 'update',
      after: { firstResponseMinutes: 45 },
    });
  };
  mutations['DELETE /api/v1/sla-policies/{policyId}'] = async () => {
    const p = (await admin.post(`/api/v1/brands/${brand.id}/sla-policies`, slaBody())).body.data;
    expect((await admin.delete(`/api/v1/sla-policies/${p.id}`)).status).toBe(204);
    expect(await latest('sla_policy', p.id)).toMatchObject({ action: 'delete' });
  };
  const macroBody = () => ({
    name: `Thanks ${Date.now()}-${++ticketSeq}`,
    body: 'Thanks {{customer.firstName}}!',
  });
  mutations['POST /api/v1/brands/{brandId}/macros'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/macros`, macroBody());
    expect(await latest('macro', res.body.data.id)).toMatchObject({ action: 'create' });
  };
  mutations['PATCH /api/v1/macros/{macroId}'] = async () => {
    const m = (await admin.post(`/api/v1/brands/${brand.id}/macros`, macroBody())).body.data;
    await admin.patch(`/api/v1/macros/${m.id}`, { title: 'Thank-you note' });
    expect(await latest('macro', m.id)).toMatchObject({
      action: 'update',
      after: { title: 'Thank-you note' },
    });
  };
  mutations['DELETE /api/v1/macros/{macroId}'] = async () => {
    const m = (await admin.post(`/api/v1/brands/${brand.id}/macros`, macroBody())).body.data;
    expect((await admin.delete(`/api/v1/macros/${m.id}`)).status).toBe(204);
    expect(await latest('macro', m.id)).toMatchObject({ action: 'delete' });
  };
  mutations['POST /api/v1/brands/{brandId}/views'] = async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/views`, {
      name: 'Breaching soon',
      filters: { queue: 'none' },
    });
    expect(await latest('view', res.body.data.id)).toMatchObject({ action: 'create' });
  };
  mutations['DELETE /api/v1/views/{viewId}'] = async () => {
    const v = (await admin.post(`/api/v1/brands/${brand.id}/views`, { name: 'Temporary' })).body.data;
    expect((await admin.delete(`/api/v1/views/${v.id}`)).status).toBe(204);
    expect(await latest('view', v.id)).toMatchObject({ action: 'delete' });
  };
  mutations['PATCH /api/v1/brands/{brandId}/mail-settings'] = async () => {
    await admin.patch(`/api/v1/brands/${brand.id}/mail-settings`, { fromName: 'Store Help' });
    expect(await latest('mail_settings', brand.id)).toMatchObject({
      action: 'update',
      after: { fromName: 'Store Help' },
    });
  };

  async function addressChangeAdvice() {
    const res = await admin.post('/api/v1/tickets', {
      brandId: brand.id,
      subject: 'New address',
      body: 'Please change my shipping address to 42 Elm St',
      customer: { email: `aud-adv${Date.now()}-${++ticketSeq}@example.com` },
    });
    const t = res.body.data;
    const advice = (await admin.get(`/api/v1/tickets/${t.id}/advice`)).body.data;
    return { t, advice };
  }
  mutations['POST /api/v1/tickets/{ticketId}/advice/apply'] = async () => {
    const { t, advice } = await addressChangeAdvice();
    const escalate = advice.actions.find((a: { action: { type: string } }) => a.action.type === 'escalate');
    const res = await admin.post(`/api/v1/tickets/${t.id}/advice/apply`, {
      index: escalate.index,
      rule: escalate.rule,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await latest('ticket', t.id)).toMatchObject({ action: 'advice_followed' });
  };
  mutations['POST /api/v1/tickets/{ticketId}/advice/override'] = async () => {
    const { t, advice } = await addressChangeAdvice();
    await admin.post(`/api/v1/tickets/${t.id}/advice/override`, { rule: advice.actions[0].rule });
    expect(await latest('ticket', t.id)).toMatchObject({ action: 'advice_overridden' });
  };
  mutations['POST /api/v1/tickets/{ticketId}/macros/apply'] = async () => {
    const t = await ticket();
    const m = (
      await admin.post(`/api/v1/brands/${brand.id}/macros`, { name: `Thanks ${Date.now()}`, body: 'Thanks!' })
    ).body.data;
    const res = await admin.post(`/api/v1/tickets/${t.id}/macros/apply`, { macro: m.name, send: true });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const sent = res.body.data.ticket.messages.at(-1);
    expect(await latest('message', sent.id)).toMatchObject({ action: 'reply', after: { macro: m.name } });
  };

  async function sideConversation() {
    const t = await ticket();
    const res = await admin.post(`/api/v1/tickets/${t.id}/side-conversations`, {
      with: 'vendor',
      to: `vendor${Date.now()}@vendor.example`,
      subject: 'Cancel PO',
      body: 'Please cancel this PO.',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }
  mutations['POST /api/v1/tickets/{ticketId}/side-conversations'] = async () => {
    const side = await sideConversation();
    expect(await latest('side_conversation', side.id)).toMatchObject({ action: 'create' });
  };
  mutations['POST /api/v1/side-conversations/{sideConversationId}/messages'] = async () => {
    const side = await sideConversation();
    const res = await admin.post(`/api/v1/side-conversations/${side.id}/messages`, {
      kind: 'note',
      body: 'Chased by phone.',
    });
    expect(res.status).toBe(201);
    const note = res.body.data.messages.at(-1);
    expect(await latest('message', note.id)).toMatchObject({ action: 'note' });
  };
  mutations['PATCH /api/v1/side-conversations/{sideConversationId}'] = async () => {
    const side = await sideConversation();
    await admin.patch(`/api/v1/side-conversations/${side.id}`, { status: 'closed' });
    expect(await latest('side_conversation', side.id)).toMatchObject({ action: 'update' });
  };

  mutations['POST /api/v1/public/contact/{brandSlug}'] = async () => {
    const res = await new TestClient(h.app).post(`/api/v1/public/contact/${brand.slug}`, {
      name: 'Form Sender',
      email: `form${Date.now()}@example.com`,
      subject: 'Via the form',
      message: 'Hello there',
    });
    expect(res.status).toBe(202);
    const list = await admin.get(`/api/v1/brands/${brand.id}/audit?entityType=ticket&action=create`);
    expect(list.body.data[0]).toMatchObject({
      actor: { type: 'system', label: 'system:contact-form' },
      after: { subject: 'Via the form' },
    });
  };

  async function quizAttempt() {
    const res = await admin.post(`/api/v1/brands/${brand.id}/training/attempts`, { source: 'pack' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data;
  }
  mutations['POST /api/v1/brands/{brandId}/training/attempts'] = async () => {
    const attempt = await quizAttempt();
    expect(await latest('quiz_attempt', attempt.id)).toMatchObject({
      action: 'create',
      after: { source: 'pack' },
    });
  };
  mutations['POST /api/v1/training/attempts/{attemptId}/answers'] = async () => {
    const attempt = await quizAttempt();
    const res = await admin.post(`/api/v1/training/attempts/${attempt.id}/answers`, {
      questionId: attempt.questions[0].id,
      answer: 'OM Cancellation Process',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const answer = res.body.data.questions[0].answered;
    expect(await latest('quiz_answer', answer.id)).toMatchObject({
      action: 'create',
      after: { correct: true },
    });
  };
  mutations['POST /api/v1/training/attempts/{attemptId}/finish'] = async () => {
    const attempt = await quizAttempt();
    expect((await admin.post(`/api/v1/training/attempts/${attempt.id}/finish`)).status).toBe(200);
    expect(await latest('quiz_attempt', attempt.id)).toMatchObject({
      action: 'finish',
      after: { passed: false },
    });
  };
  mutations['POST /api/v1/training/answers/{answerId}/override'] = async () => {
    const attempt = await quizAttempt();
    const answered = await admin.post(`/api/v1/training/attempts/${attempt.id}/answers`, {
      questionId: attempt.questions[0].id,
      answer: 'no idea',
    });
    const answer = answered.body.data.questions[0].answered;
    const res = await admin.post(`/api/v1/training/answers/${answer.id}/override`, {
      correct: true,
      reason: 'Said it out loud correctly',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await latest('quiz_answer', answer.id)).toMatchObject({
      action: 'override',
      before: { correct: false },
      after: { correct: true, judgedBy: 'lead' },
    });
  };
  mutations['PATCH /api/v1/brands/{brandId}/training/settings'] = async () => {
    expect(
      (await admin.patch(`/api/v1/brands/${brand.id}/training/settings`, { passPercent: 70 })).status,
    ).toBe(200);
    expect(await latest('training_settings', brand.id)).toMatchObject({
      action: 'update',
      after: { passPercent: 70, requireCertification: false },
    });
  };

  /** An order of one lamp on one PO, and an agent (who issues refunds, reships and files claims). */
  async function moneyOrder() {
    const n = `${Date.now()}-${++ticketSeq}`;
    const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `MNY-${n}`,
      channel: 'website',
      customer: { email: `money-${n}@example.com` },
      placedAt: new Date(h.clock.now().getTime() - 86_400_000).toISOString(),
      items: [{ sku: 'S1', name: 'Lamp', qty: 1, unitPrice: 10 }],
      purchaseOrders: [{ number: `MNY-PO-${n}`, vendor: 'Best Buy', items: [{ sku: 'S1', qty: 1 }] }],
    });
    const agent = (await signedInMember(h, brand, 'agent')).client;
    return { order: res.body.data, agent, email: `money-${n}@example.com` };
  }
  mutations['POST /api/v1/orders/{orderId}/refunds'] = async () => {
    const { order, agent } = await moneyOrder();
    const res = await agent.post(`/api/v1/orders/${order.id}/refunds`, {
      kind: 'item_cost',
      reason: 'Broken',
    });
    expect(res.status).toBe(201);
    expect(await latest('refund', res.body.data.refunds[0].id)).toMatchObject({
      action: 'issue',
      after: { kind: 'item_cost', amountCents: 1000, reason: 'Broken' },
    });
  };
  mutations['POST /api/v1/orders/{orderId}/reshipments'] = async () => {
    const { order, agent } = await moneyOrder();
    const res = await agent.post(`/api/v1/orders/${order.id}/reshipments`, {
      items: [{ sku: 'S1', qty: 1 }],
      reason: 'Lost',
    });
    expect(res.status).toBe(201);
    expect(await latest('reshipment', res.body.data.reshipments[0].id)).toMatchObject({
      action: 'create',
      after: { reason: 'Lost' },
    });
  };
  mutations['POST /api/v1/orders/{orderId}/cancel'] = async () => {
    const { order } = await moneyOrder();
    const canceler = (await signedInMember(h, brand, { capabilities: ['order.cancel'] })).client;
    const res = await canceler.post(`/api/v1/orders/${order.id}/cancel`, { reason: 'Customer asked' });
    expect(res.status).toBe(200);
    expect(await latest('order', order.id)).toMatchObject({
      action: 'cancel',
      after: { canceled: [{ sku: 'S1', qty: 1 }], reason: 'Customer asked' },
    });
  };
  mutations['POST /api/v1/customers/{customerId}/store-credit'] = async () => {
    const { agent, email } = await moneyOrder();
    const customer = await admin.post(`/api/v1/brands/${brand.id}/customers`, { name: 'Credit', email });
    const res = await agent.post(`/api/v1/customers/${customer.body.data.id}/store-credit`, {
      kind: 'issue',
      amount: 500,
      reason: 'Appeasement',
    });
    expect(res.status).toBe(201);
    expect(await latest('customer', customer.body.data.id)).toMatchObject({
      action: 'store_credit.issue',
      after: { storeCreditCents: 500, reason: 'Appeasement' },
    });
  };
  mutations['POST /api/v1/orders/{orderId}/warranty-plans'] = async () => {
    const { order, agent } = await moneyOrder();
    const res = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'S1',
      plan: 'ProductSecure',
    });
    expect(res.status).toBe(201);
    expect(await latest('warranty_plan', res.body.data.plans[0].id)).toMatchObject({
      action: 'create',
      after: { plan: 'ProductSecure', sku: 'S1' },
    });
  };
  mutations['POST /api/v1/warranty-plans/{planId}/claims'] = async () => {
    const { order, agent } = await moneyOrder();
    const plan = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'S1',
      plan: 'ProductSecure',
    });
    const res = await agent.post(`/api/v1/warranty-plans/${plan.body.data.plans[0].id}/claims`, {
      reason: 'defect',
      description: 'Flickers',
    });
    expect(res.status).toBe(201);
    expect(await latest('warranty_claim', res.body.data.plans[0].claims[0].id)).toMatchObject({
      action: 'file',
      after: { reason: 'defect' },
    });
  };
  mutations['POST /api/v1/warranty-claims/{claimId}/status'] = async () => {
    const { order, agent } = await moneyOrder();
    const plan = await agent.post(`/api/v1/orders/${order.id}/warranty-plans`, {
      sku: 'S1',
      plan: 'ProductSecure',
    });
    const filed = await agent.post(`/api/v1/warranty-plans/${plan.body.data.plans[0].id}/claims`, {
      reason: 'defect',
      description: 'Flickers',
    });
    const claimId = filed.body.data.plans[0].claims[0].id;
    expect((await agent.post(`/api/v1/warranty-claims/${claimId}/status`, { status: 'denied' })).status).toBe(
      200,
    );
    expect(await latest('warranty_claim', claimId)).toMatchObject({
      action: 'set_status',
      before: { status: 'filed' },
      after: { status: 'denied' },
    });
  };

  // Approvals, boards and notifications: on brands whose packs have them.
  let workflow:
    | Promise<{
        trade: BrandRow;
        fashion: BrandRow;
        tradeAdmin: TestClient;
        fashionLead: TestClient;
        fashionAdmin: TestClient;
      }>
    | undefined;
  const wf = () =>
    (workflow ??= (async () => {
      const trade = await makeBrand(h, 'trade-in');
      const fashion = await makeBrand(h, 'fashion-leads');
      return {
        trade,
        fashion,
        tradeAdmin: (await signedInMember(h, trade, 'admin')).client,
        fashionLead: (await signedInMember(h, fashion, 'lead')).client,
        fashionAdmin: (await signedInMember(h, fashion, 'admin')).client,
      };
    })());
  async function latestIn(client: TestClient, brandId: string, entityType: string, entityId: string) {
    const res = await client.get(
      `/api/v1/brands/${brandId}/audit?entityType=${entityType}&entityId=${entityId}`,
    );
    expect(res.status).toBe(200);
    return res.body.data[0];
  }
  async function fileHper() {
    const { fashion } = await wf();
    const { client } = await signedInMember(h, fashion, 'agent');
    const res = await client.post(`/api/v1/brands/${fashion.id}/approvals`, {
      type: 'hper',
      fields: { order: 'A-1', kind: 'Same day shipping' },
    });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  }
  async function tradeCard() {
    const { trade, tradeAdmin } = await wf();
    const { client } = await signedInMember(h, trade, 'agent');
    const res = await client.post(`/api/v1/brands/${trade.id}/boards/trade-in-orders/cards`, {
      title: 'V1 iPhone',
    });
    expect(res.status).toBe(201);
    return { id: res.body.data.id as string, client, trade, tradeAdmin };
  }
  mutations['POST /api/v1/brands/{brandId}/approvals'] = async () => {
    const id = await fileHper();
    const { fashion, fashionAdmin } = await wf();
    expect(await latestIn(fashionAdmin, fashion.id, 'approval', id)).toMatchObject({
      action: 'request',
      after: { type: 'hper', state: 'requested' },
    });
  };
  mutations['POST /api/v1/approvals/{approvalId}/steps'] = async () => {
    const id = await fileHper();
    const { fashion, fashionLead, fashionAdmin } = await wf();
    expect(
      (await fashionLead.post(`/api/v1/approvals/${id}/steps`, { step: 'deny', note: 'Not urgent' })).status,
    ).toBe(200);
    expect(await latestIn(fashionAdmin, fashion.id, 'approval', id)).toMatchObject({
      action: 'deny',
      before: { state: 'requested' },
      after: { state: 'denied', note: 'Not urgent' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/coupon-pools/{pool}/codes'] = async () => {
    const { fashion, fashionLead, fashionAdmin } = await wf();
    const res = await fashionLead.post(`/api/v1/brands/${fashion.id}/coupon-pools/AUDIT/codes`, {
      codes: ['A1', 'A2'],
    });
    expect(res.status).toBe(200);
    expect(await latestIn(fashionAdmin, fashion.id, 'coupon_pool', 'AUDIT')).toMatchObject({
      action: 'add_codes',
      after: { added: 2 },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/coupon-pools/{pool}/take'] = async () => {
    const { fashion, fashionLead, fashionAdmin } = await wf();
    await fashionLead.post(`/api/v1/brands/${fashion.id}/coupon-pools/TAKE/codes`, { codes: ['T1'] });
    expect((await fashionLead.post(`/api/v1/brands/${fashion.id}/coupon-pools/TAKE/take`, {})).status).toBe(
      200,
    );
    expect(await latestIn(fashionAdmin, fashion.id, 'coupon_pool', 'TAKE')).toMatchObject({
      action: 'take_code',
      after: { remaining: 0 },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/boards/{board}/cards'] = async () => {
    const { id, trade, tradeAdmin } = await tradeCard();
    expect(await latestIn(tradeAdmin, trade.id, 'board_card', id)).toMatchObject({
      action: 'create',
      after: { title: 'V1 iPhone', column: 'A. Problem orders. Please contact the customers' },
    });
  };
  mutations['POST /api/v1/board-cards/{cardId}/move'] = async () => {
    const { id, client, trade, tradeAdmin } = await tradeCard();
    expect(
      (await client.post(`/api/v1/board-cards/${id}/move`, { column: 'Waiting for response' })).status,
    ).toBe(200);
    expect(await latestIn(tradeAdmin, trade.id, 'board_card', id)).toMatchObject({
      action: 'move',
      after: { column: 'Waiting for response' },
    });
  };
  mutations['POST /api/v1/board-cards/{cardId}/comments'] = async () => {
    const { id, client, trade, tradeAdmin } = await tradeCard();
    expect((await client.post(`/api/v1/board-cards/${id}/comments`, { body: 'email sent' })).status).toBe(
      201,
    );
    expect(await latestIn(tradeAdmin, trade.id, 'board_card', id)).toMatchObject({
      action: 'comment',
      after: { body: 'email sent' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/notifications/read'] = async () => {
    const { trade, tradeAdmin } = await wf();
    const { client, user } = await signedInMember(h, trade, 'agent');
    expect((await client.post(`/api/v1/brands/${trade.id}/notifications/read`, { all: true })).status).toBe(
      200,
    );
    expect(await latestIn(tradeAdmin, trade.id, 'notifications', user.id)).toMatchObject({
      action: 'mark_read',
    });
  };
  mutations['POST /api/v1/brands/{brandId}/notification-webhooks'] = async () => {
    const { trade, tradeAdmin } = await wf();
    const res = await tradeAdmin.post(`/api/v1/brands/${trade.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'slack',
      url: 'http://93.184.216.34/hook',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await latestIn(tradeAdmin, trade.id, 'notification_webhook', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { channel: '#cs-handling', kind: 'slack' },
    });
  };
  mutations['DELETE /api/v1/notification-webhooks/{webhookId}'] = async () => {
    const { trade, tradeAdmin } = await wf();
    const res = await tradeAdmin.post(`/api/v1/brands/${trade.id}/notification-webhooks`, {
      channel: '#cs-handling',
      kind: 'generic',
      url: 'http://93.184.216.34/generic',
    });
    expect((await tradeAdmin.delete(`/api/v1/notification-webhooks/${res.body.data.id}`)).status).toBe(204);
    expect(await latestIn(tradeAdmin, trade.id, 'notification_webhook', res.body.data.id)).toMatchObject({
      action: 'delete',
    });
  };
  mutations['PATCH /api/v1/brands/{brandId}/notification-settings'] = async () => {
    const { trade, tradeAdmin } = await wf();
    const res = await tradeAdmin.patch(`/api/v1/brands/${trade.id}/notification-settings`, {
      allowPrivateWebhookAddresses: true,
    });
    expect(res.status).toBe(200);
    expect(await latestIn(tradeAdmin, trade.id, 'notification_settings', trade.id)).toMatchObject({
      action: 'update',
      before: { allowPrivateWebhookAddresses: false },
      after: { allowPrivateWebhookAddresses: true },
    });
  };

  /** Tracker records live in a brand on the store-supplier pack, which defines them. */
  async function trackerWorld() {
    const store = await makeBrand(h, 'store-supplier');
    const refs = await makeOrder(h, store, 'Bowen');
    const storeAdmin = (await signedInMember(h, store, 'admin')).client;
    const agent = (await signedInMember(h, store, 'agent')).client;
    const res = await agent.post(`/api/v1/brands/${store.id}/trackers/request/records`, {
      fields: { order: refs.order, request_type: 'hold', details: 'Hold it', posted_in_channel: true },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const last = async (entityType: string, entityId: string) =>
      (await storeAdmin.get(`/api/v1/brands/${store.id}/audit?entityType=${entityType}&entityId=${entityId}`))
        .body.data[0];
    return { store, refs, storeAdmin, agent, record: res.body.data, last };
  }
  mutations['POST /api/v1/brands/{brandId}/trackers/{type}/records'] = async () => {
    const w = await trackerWorld();
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({
      action: 'create',
      after: { type: 'request', state: 'Logged' },
    });
  };
  mutations['PATCH /api/v1/tracker-records/{recordId}'] = async () => {
    const w = await trackerWorld();
    expect(
      (await w.agent.patch(`/api/v1/tracker-records/${w.record.id}`, { fields: { details: 'Hold 2 days' } }))
        .status,
    ).toBe(200);
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({
      action: 'update',
      before: { details: 'Hold it' },
      after: { details: 'Hold 2 days' },
    });
  };
  mutations['POST /api/v1/tracker-records/{recordId}/state'] = async () => {
    const w = await trackerWorld();
    expect(
      (await w.agent.post(`/api/v1/tracker-records/${w.record.id}/state`, { state: 'Done' })).status,
    ).toBe(200);
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({
      action: 'state',
      before: { state: 'Logged' },
      after: { state: 'Done' },
    });
  };
  mutations['POST /api/v1/tracker-records/{recordId}/comments'] = async () => {
    const w = await trackerWorld();
    expect(
      (await w.agent.post(`/api/v1/tracker-records/${w.record.id}/comments`, { body: 'Chased' })).status,
    ).toBe(201);
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({ action: 'comment' });
  };
  mutations['POST /api/v1/tracker-records/{recordId}/evidence'] = async () => {
    const w = await trackerWorld();
    const res = await w.agent.post(`/api/v1/tracker-records/${w.record.id}/evidence`, {
      files: [
        {
          filename: 'p.jpg',
          contentType: 'image/jpeg',
          contentBase64: Buffer.from('jpg').toString('base64'),
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({
      action: 'add_evidence',
      after: { album: 'Proof' },
    });
  };
  mutations['POST /api/v1/tracker-records/{recordId}/links'] = async () => {
    const w = await trackerWorld();
    const other = await w.agent.post(`/api/v1/brands/${w.store.id}/trackers/request/records`, {
      fields: {
        order: w.refs.order,
        request_type: 'tracking',
        details: 'Where is it',
        posted_in_channel: true,
      },
    });
    const res = await w.agent.post(`/api/v1/tracker-records/${w.record.id}/links`, {
      kind: 'record',
      id: other.body.data.id,
    });
    expect(res.status).toBe(201);
    expect(await w.last('tracker_record', w.record.id)).toMatchObject({
      action: 'link',
      after: { kind: 'record' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/trackers/{type}/views'] = async () => {
    const w = await trackerWorld();
    const res = await w.agent.post(`/api/v1/brands/${w.store.id}/trackers/request/views`, { name: 'Holds' });
    expect(res.status).toBe(201);
    expect(await w.last('tracker_view', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { name: 'Holds' },
    });
  };
  mutations['DELETE /api/v1/tracker-views/{viewId}'] = async () => {
    const w = await trackerWorld();
    const view = await w.agent.post(`/api/v1/brands/${w.store.id}/trackers/request/views`, { name: 'Gone' });
    expect((await w.agent.delete(`/api/v1/tracker-views/${view.body.data.id}`)).status).toBe(204);
    expect(await w.last('tracker_view', view.body.data.id)).toMatchObject({ action: 'delete' });
  };
  mutations['PUT /api/v1/brands/{brandId}/supplier-accounts/{membershipId}'] = async () => {
    const w = await trackerWorld();
    const { user } = await makeMember(h, w.store, 'supplier');
    const list = await w.storeAdmin.get(`/api/v1/brands/${w.store.id}/members`);
    const id = list.body.data.find((m: { user: { id: string } }) => m.user.id === user.id).id;
    const res = await w.storeAdmin.request('PUT', `/api/v1/brands/${w.store.id}/supplier-accounts/${id}`, {
      vendor: 'Bowen',
    });
    expect(res.status).toBe(200);
    expect(await w.last('membership', id)).toMatchObject({
      action: 'set_company',
      after: { vendor: 'Bowen' },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/supplier/side-conversations/{sideConversationId}/messages'] =
    async () => {
      const w = await trackerWorld();
      const ticket = await makeTicket(h, w.store);
      const [vendor] = await h.deps.database.db.select().from(vendors).where(eq(vendors.brandId, w.store.id));
      const [side] = await h.deps.database.db
        .insert(sideConversations)
        .values({
          brandId: w.store.id,
          ticketId: ticket.id,
          withKind: 'supplier',
          vendorId: vendor!.id,
          toAddress: 'orders@bowen.example',
          subject: 'Stock?',
          token: `audit-${Date.now()}`,
          createdBy: 'agent@example.com',
        })
        .returning();
      const supplier = await signedInMember(h, w.store, 'supplier');
      const list = await w.storeAdmin.get(`/api/v1/brands/${w.store.id}/members`);
      const id = list.body.data.find((m: { user: { id: string } }) => m.user.id === supplier.user.id).id;
      await w.storeAdmin.request('PUT', `/api/v1/brands/${w.store.id}/supplier-accounts/${id}`, {
        vendor: vendor!.name,
      });
      const res = await supplier.client.post(
        `/api/v1/brands/${w.store.id}/supplier/side-conversations/${side!.id}/messages`,
        { body: 'In stock Friday' },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const entry = await w.last('message', res.body.data.messages.at(-1).id);
      expect(entry).toMatchObject({ action: 'receive', after: { via: 'portal' } });
    };

  // Work log (src/worklog): each change by a person is audited; beats extending ticket time are not.
  const worklogUrl = () => `/api/v1/brands/${brand.id}/worklog`;
  mutations['POST /api/v1/tickets/{ticketId}/activity'] = async () => {
    const ticket = await makeTicket(h, brand);
    const res = await admin.post(`/api/v1/tickets/${ticket.id}/activity`, {});
    expect(res.status).toBe(200);
    expect(await latest('work_log_entry', res.body.data.entry.id)).toMatchObject({
      action: 'start_ticket_time',
      after: { ticketId: ticket.id },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/worklog/timer'] = async () => {
    const { client } = await signedInMember(h, brand, 'admin');
    const res = await client.post(`${worklogUrl()}/timer`, { category: 'Voice calls' });
    expect(res.status).toBe(201);
    expect(await latest('work_log_entry', res.body.data.id)).toMatchObject({ action: 'start_timer' });
  };
  mutations['POST /api/v1/brands/{brandId}/worklog/timer/stop'] = async () => {
    const { client } = await signedInMember(h, brand, 'admin');
    const started = await client.post(`${worklogUrl()}/timer`, { category: 'Voice calls' });
    expect((await client.post(`${worklogUrl()}/timer/stop`, {})).status).toBe(200);
    expect(await latest('work_log_entry', started.body.data.id)).toMatchObject({
      action: 'stop_timer',
      before: { endedAt: null },
    });
  };
  mutations['POST /api/v1/brands/{brandId}/worklog/entries'] = async () => {
    const res = await admin.post(`${worklogUrl()}/entries`, { category: 'Spam checking', minutes: 5 });
    expect(res.status).toBe(201);
    expect(await latest('work_log_entry', res.body.data.id)).toMatchObject({
      action: 'create',
      after: { category: 'Spam checking', seconds: 300 },
    });
  };
  mutations['PATCH /api/v1/worklog/entries/{entryId}'] = async () => {
    const created = await admin.post(`${worklogUrl()}/entries`, { category: 'Spam checking', minutes: 5 });
    const res = await admin.patch(`/api/v1/worklog/entries/${created.body.data.id}`, { minutes: 7 });
    expect(res.status).toBe(200);
    expect(await latest('work_log_entry', created.body.data.id)).toMatchObject({
      action: 'update',
      before: { seconds: 300 },
      after: { seconds: 420 },
    });
  };
  mutations['DELETE /api/v1/worklog/entries/{entryId}'] = async () => {
    const created = await admin.post(`${worklogUrl()}/entries`, { category: 'Spam checking', minutes: 5 });
    expect((await admin.delete(`/api/v1/worklog/entries/${created.body.data.id}`)).status).toBe(204);
    expect(await latest('work_log_entry', created.body.data.id)).toMatchObject({ action: 'delete' });
  };
  mutations['POST /api/v1/brands/{brandId}/worklog/locks'] = async () => {
    const { user } = await makeMember(h, brand, 'agent');
    const through = new Date(h.clock.now().getTime() - 7 * 86_400_000).toISOString().slice(0, 10);
    const res = await admin.post(`${worklogUrl()}/locks`, { userId: user.id, through });
    expect(res.status).toBe(200);
    expect(await latest('work_log_lock', user.id)).toMatchObject({
      action: 'lock',
      after: { lockedThrough: through },
    });
  };

  for (const [route, run] of Object.entries(mutations)) {
    it(`records ${route}`, run);
  }

  /** POST routes that compute an answer and change nothing. */
  const READ_ONLY = [
    'POST /api/v1/advice',
    'POST /api/v1/brands/{brandId}/tracking-imports/preview',
    'POST /api/v1/brands/{brandId}/order-imports/preview',
    // Presence is a heartbeat of who has a ticket open, not a change to the ticket.
    'POST /api/v1/tickets/{ticketId}/presence',
    'POST /api/v1/tickets/{ticketId}/macros/render',
  ];

  it('covers every mutating route of the API', async () => {
    const doc = (await new TestClient(h.app).get('/api/v1/openapi.json')).body;
    const mutating = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops)
          .filter((m) => m !== 'get')
          .map((m) => `${m.toUpperCase()} ${path}`)
          .filter((route) => !READ_ONLY.includes(route)),
    );
    expect(mutating.sort()).toEqual(Object.keys(mutations).sort());
  });

  it('records the API token as the actor of a change it makes', async () => {
    const created = await admin.post(`/api/v1/brands/${brand.id}/api-tokens`, {
      name: 'settings bot',
      role: 'admin',
    });
    const bot = new TestClient(h.app);
    bot.bearer = created.body.token;
    expect((await bot.patch(`/api/v1/brands/${brand.id}`, { name: 'Renamed by bot' })).status).toBe(200);
    expect(await latest('brand', brand.id)).toMatchObject({
      actor: { type: 'api_token', id: created.body.data.id, label: 'token:settings bot' },
    });
  });

  it('is append-only: the database refuses to change or delete entries', async () => {
    const { db } = h.deps.database;
    await expect(
      db.execute(sql`update audit_log set action = 'tampered' where brand_id = ${brand.id}`),
    ).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where brand_id = ${brand.id}`)).rejects.toThrow();
    const res = await admin.get(`/api/v1/brands/${brand.id}/audit?action=tampered`);
    expect(res.body.data).toEqual([]);
  });

  it('pages from newest to oldest', async () => {
    const first = await admin.get(`/api/v1/brands/${brand.id}/audit?limit=2`);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.data[0].id).toBeGreaterThan(first.body.data[1].id);
    const next = await admin.get(`/api/v1/brands/${brand.id}/audit?limit=2&before=${first.body.nextBefore}`);
    expect(next.body.data[0].id).toBeLessThan(first.body.data[1].id);
  });
});
