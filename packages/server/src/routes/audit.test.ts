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

  for (const [route, run] of Object.entries(mutations)) {
    it(`records ${route}`, run);
  }

  /** POST routes that compute an answer and change nothing. */
  const READ_ONLY = ['POST /api/v1/advice', 'POST /api/v1/brands/{brandId}/tracking-imports/preview'];

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
