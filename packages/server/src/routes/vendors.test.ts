import { randomUUID } from 'node:crypto';
import { advise } from '@casebook/core';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema';
import { loadOrder, poFacts, toScenarioOrder } from '../orders/aggregate';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';
import { brandVendorSettings, packWithVendorSettings } from '../vendors/settings';

describe('vendor admin', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  let stranger: TestClient;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
    const other = await makeBrand(h, 'marketplace-dropship');
    stranger = (await signedInMember(h, other, 'admin')).client;
  });

  const unique = () => randomUUID().slice(0, 8);
  const list = async (client: TestClient) => {
    const res = await client.get(`/api/v1/brands/${brand.id}/vendors`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data as any[];
  };

  it("lists the pack's vendors with the policies of vendors.yaml as they stand", async () => {
    const vendors = await list(agent);
    const bestBuy = vendors.find((v) => v.name === 'Best Buy');
    expect(bestBuy).toMatchObject({
      id: null,
      inPack: true,
      stored: false,
      policy: {
        addressChangeAllowed: false,
        cancelWholeOrderWhenSkuOutOfStock: true,
        cancelVia: 'side_conversation',
        processingDays: { min: 3, max: 5 },
        freight: false,
      },
      overrides: {},
      allowed: [],
    });
    expect(vendors.find((v) => v.name === 'Amazon').policy.cancelVia).toBe('portal');
    expect(vendors.find((v) => v.name === 'Ashley Furniture').policy).toMatchObject({
      processingDays: { min: 10, max: 15 },
      freight: true,
    });
    expect((await list(admin)).find((v) => v.name === 'Best Buy').allowed).toEqual(['update']);
  });

  it('creates a vendor with contact emails and policies; unset ones read the pack defaults', async () => {
    const name = `Acme ${unique()}`;
    const res = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name,
      contactEmails: ['Orders@Acme.example', 'backup@acme.example'],
      cancelVia: 'portal',
      processingDays: { min: 5, max: 8 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({
      name,
      inPack: false,
      stored: true,
      contactEmails: ['orders@acme.example', 'backup@acme.example'],
      policy: {
        addressChangeAllowed: true,
        cancelWholeOrderWhenSkuOutOfStock: false,
        cancelVia: 'portal',
        processingDays: { min: 5, max: 8 },
        freight: false,
      },
      version: 1,
    });
    const again = await admin.post(`/api/v1/brands/${brand.id}/vendors`, { name });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('name:');
    const bad = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name: `Bad ${unique()}`,
      contactEmails: ['not-an-address'],
      processingDays: { min: 9, max: 3 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('contactEmails.0: must be an email address');
    const inverted = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name: `Bad ${unique()}`,
      processingDays: { min: 9, max: 3 },
    });
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.message).toBe('processingDays.min: must not be more than processingDays.max');
    const [entry] = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, 'vendor'),
          eq(auditLog.entityId, res.body.data.id),
          eq(auditLog.action, 'create'),
        ),
      );
    expect(entry).toBeDefined();
  });

  it("edits a pack vendor over its pack policy, null puts the pack's back, and the order facts follow", async () => {
    const stored = await admin.post(`/api/v1/brands/${brand.id}/vendors`, { name: 'Best Buy' });
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    const id = stored.body.data.id;
    const order = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `V${unique()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'TV', name: 'TV', qty: 1, unitPrice: 400 }],
      purchaseOrders: [{ number: `VPO-${unique()}`, vendor: 'Best Buy', items: [{ sku: 'TV', qty: 1 }] }],
    });
    expect(order.status).toBe(201);
    const facts = async () => {
      const pack = h.deps.packs.get(brand.packId)!;
      const agg = (await loadOrder(h.deps.database.db, brand.id, order.body.data.id))!;
      return poFacts(pack, agg, agg.purchaseOrders[0]!.po.id, h.clock.now()).vendor as Record<
        string,
        unknown
      >;
    };
    expect(await facts()).toMatchObject({ addressChangeAllowed: false, cancelVia: 'side_conversation' });

    const changed = await admin.patch(`/api/v1/vendors/${id}`, {
      addressChangeAllowed: true,
      cancelVia: 'portal',
      contactEmails: ['desk@bestbuy.example'],
      version: 1,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.data).toMatchObject({
      policy: { addressChangeAllowed: true, cancelVia: 'portal', cancelWholeOrderWhenSkuOutOfStock: true },
      packPolicy: { addressChangeAllowed: false, cancelVia: 'side_conversation' },
      overrides: { addressChangeAllowed: true, cancelVia: 'portal' },
      contactEmails: ['desk@bestbuy.example'],
      version: 2,
    });
    expect(await facts()).toMatchObject({ addressChangeAllowed: true, cancelVia: 'portal' });

    const stale = await admin.patch(`/api/v1/vendors/${id}`, { freight: true, version: 1 });
    expect(stale.status).toBe(409);

    const reset = await admin.patch(`/api/v1/vendors/${id}`, { addressChangeAllowed: null, version: 2 });
    expect(reset.body.data.policy.addressChangeAllowed).toBe(false);
    expect(reset.body.data.overrides.addressChangeAllowed).toBeNull();
    expect(await facts()).toMatchObject({ addressChangeAllowed: false, cancelVia: 'portal' });
    expect((await admin.get(`/api/v1/vendors/${id}`)).body.data.version).toBe(3);
  });

  it("gives the SOP engine the brand's policy in force through the brand's view of the pack", async () => {
    const other = await makeBrand(h, 'marketplace-dropship');
    const otherAdmin = (await signedInMember(h, other, 'admin')).client;
    const created = await otherAdmin.post(`/api/v1/brands/${other.id}/vendors`, {
      name: 'Best Buy',
      cancelVia: 'portal',
      contactEmails: ['desk@bestbuy.example'],
    });
    expect(created.status).toBe(201);
    const order = await otherAdmin.post(`/api/v1/brands/${other.id}/orders`, {
      number: `W${unique()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'TV', name: 'TV', qty: 1, unitPrice: 400 }],
      purchaseOrders: [
        {
          number: `WPO-${unique()}`,
          vendor: 'Best Buy',
          status: 'Sent to Vendor',
          items: [{ sku: 'TV', qty: 1 }],
        },
      ],
    });
    const pack = h.deps.packs.get(other.packId)!;
    const agg = (await loadOrder(h.deps.database.db, other.id, order.body.data.id))!;
    const scenario = {
      id: 'vendor-settings',
      pack: pack.manifest.id,
      now: '2026-03-03T10:00:00Z',
      intent: 'cancel_order',
      order: toScenarioOrder(agg),
    };
    const types = (p: typeof pack) => advise(p, scenario).actions.map((a) => a.type);
    // The pack alone: Best Buy cancels through a side conversation.
    expect(types(pack)).toContain('side_conversation');
    // The brand's view: Best Buy cancels on its portal, so the engine checks the cancel option first.
    const brandPack = packWithVendorSettings(pack, await brandVendorSettings(h.deps.database.db, other.id));
    expect(types(brandPack)).not.toContain('side_conversation');
    expect(advise(brandPack, scenario).actions).toContainEqual(
      expect.objectContaining({ type: 'check', what: 'vendor_cancel_option' }),
    );
    // The shared pack is unchanged for every other brand.
    expect(pack.manifest.vendors!.list['Best Buy']!.cancelVia).toBeUndefined();
  });

  it('sends side conversations to the first contact email', async () => {
    const created = await admin.post(`/api/v1/brands/${brand.id}/vendors`, {
      name: `Desk ${unique()}`,
      contactEmails: ['first@desk.example', 'second@desk.example'],
    });
    const ticket = await agent.post('/api/v1/tickets', {
      brandId: brand.id,
      channel: 'email',
      subject: 'Where is it?',
      body: 'Hello',
      customer: { email: `c-${unique()}@example.com`, name: 'Dana Reyes' },
    });
    const side = await agent.post(`/api/v1/tickets/${ticket.body.data.id}/side-conversations`, {
      with: 'vendor',
      vendorId: created.body.data.id,
      subject: 'PO',
      body: 'Hi',
    });
    expect(side.status, JSON.stringify(side.body)).toBe(201);
    expect(side.body.data.to).toBe('first@desk.example');
  });

  it('refuses changes without brand.settings.manage (403) and hides vendors of other brands (404)', async () => {
    const created = await admin.post(`/api/v1/brands/${brand.id}/vendors`, { name: `Own ${unique()}` });
    const id = created.body.data.id;
    const denied = await agent.post(`/api/v1/brands/${brand.id}/vendors`, { name: `No ${unique()}` });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('brand.settings.manage');
    expect((await agent.patch(`/api/v1/vendors/${id}`, { freight: true })).status).toBe(403);
    expect((await agent.get(`/api/v1/vendors/${id}`)).status).toBe(200);

    expect((await stranger.get(`/api/v1/brands/${brand.id}/vendors`)).status).toBe(404);
    expect((await stranger.post(`/api/v1/brands/${brand.id}/vendors`, { name: 'X' })).status).toBe(404);
    expect((await stranger.get(`/api/v1/vendors/${id}`)).status).toBe(404);
    expect((await stranger.patch(`/api/v1/vendors/${id}`, { freight: true })).status).toBe(404);
    expect((await admin.get(`/api/v1/vendors/${randomUUID()}`)).status).toBe(404);
  });
});
