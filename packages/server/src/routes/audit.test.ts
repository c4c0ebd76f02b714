import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BrandRow } from '../policies';
import { makeBrand, makeMember, makeUser, signedInMember } from '../test/factories';
import { type Harness, TestClient, testApp } from '../test/harness';
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

  for (const [route, run] of Object.entries(mutations)) {
    it(`records ${route}`, run);
  }

  /** POST routes that compute an answer and change nothing. */
  const READ_ONLY = [
    'POST /api/v1/advice',
    'POST /api/v1/brands/{brandId}/tracking-imports/preview',
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
