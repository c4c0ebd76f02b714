import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, purchaseOrders, shipments } from '../db/schema';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

describe('bulk tracking import', () => {
  let h: Harness;
  let brand: BrandRow;
  let admin: TestClient;
  let agent: TestClient;
  let po: (n: number) => string;
  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    admin = (await signedInMember(h, brand, 'admin')).client;
    agent = (await signedInMember(h, brand, 'agent')).client;
    const stamp = Date.now();
    po = (n) => `TI-${stamp}-${n}`;
    // Twelve POs of one SKU each; PO 11 gets canceled (refunded first), PO 12 has a canceled SKU line.
    for (let n = 1; n <= 12; n++) {
      const res = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
        number: `TIO-${stamp}-${n}`,
        channel: 'website',
        placedAt: '2026-03-01T10:00:00Z',
        items: [{ sku: 'TV', name: 'TV', qty: 1, unitPrice: 400 }],
        purchaseOrders: [
          { number: po(n), vendor: 'Best Buy', status: 'Sent to Vendor', items: [{ sku: 'TV', qty: 1 }] },
        ],
      });
      expect(res.status).toBe(201);
      if (n === 11) {
        const { purchaseOrders } = await import('../db/schema');
        const id = res.body.data.purchaseOrders[0].id;
        await h.deps.database.db
          .update(purchaseOrders)
          .set({ refunded: true })
          .where(eq(purchaseOrders.id, id));
        expect(
          (await agent.post(`/api/v1/purchase-orders/${id}/status`, { status: 'Canceled' })).status,
        ).toBe(200);
      }
      if (n === 12) {
        const { poItems } = await import('../db/schema');
        await h.deps.database.db
          .update(poItems)
          .set({ canceled: true })
          .where(eq(poItems.poId, res.body.data.purchaseOrders[0].id));
      }
    }
  });

  const shipmentCount = async () =>
    (
      await h.deps.database.db.select({ n: count() }).from(shipments).where(eq(shipments.brandId, brand.id))
    )[0]!.n;

  const auditCount = async () =>
    (await h.deps.database.db.select({ n: count() }).from(auditLog).where(eq(auditLog.brandId, brand.id)))[0]!
      .n;
  const poStatuses = async () =>
    (
      await h.deps.database.db
        .select({
          number: purchaseOrders.number,
          status: purchaseOrders.status,
          version: purchaseOrders.version,
        })
        .from(purchaseOrders)
        .where(eq(purchaseOrders.brandId, brand.id))
    ).sort((a, b) => a.number.localeCompare(b.number));

  const file = () =>
    [
      'PO,SKU,Carrier,Tracking Number',
      ...Array.from({ length: 10 }, (_, i) => `${po(i + 1)},TV,UPS,1ZTI${i + 1}`),
      `${po(11)},TV,UPS,1ZTI11`,
      `${po(12)},TV,UPS,1ZTI12`,
      'PO-NOPE,TV,UPS,1ZTI13',
      `${po(1)},RADIO,UPS,1ZTI14`,
      `${po(2)},TV,UPS`,
      `${po(3)},TV,FedEx,1ZTI1`,
    ].join('\n');

  it('previews a file: flags canceled POs and SKUs and every other bad row by number, writing nothing', async () => {
    const before = await shipmentCount();
    const res = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/preview`, { csv: file() });
    expect(res.status).toBe(200);
    const { data } = res.body;
    expect(data.canceled).toBe(2);
    expect(data.reviewRequired).toBe(true);
    expect(data.problems.map((p: { row: number; kind: string }) => [p.row, p.kind])).toEqual([
      [12, 'canceled'],
      [13, 'canceled'],
      [14, 'unknown_po'],
      [15, 'unknown_sku'],
      [16, 'malformed'],
      [17, 'duplicate_tracking'],
    ]);
    expect(data.problems[0].message).toContain(`PO ${po(11)} is canceled`);
    expect(data.valid).toHaveLength(10);
    expect(await shipmentCount()).toBe(before);
  });

  it('applies the valid rows in one go, and adds nothing when the same file comes again', async () => {
    const first = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/apply`, { csv: file() });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ shipments: 10, autoShipped: 10 });
    const after = await shipmentCount();
    const again = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/apply`, { csv: file() });
    expect(again.body.data.shipments).toBe(0);
    expect(again.body.data.alreadyImported).toHaveLength(10);
    expect(await shipmentCount()).toBe(after);
  });

  it('answers a malformed 10,000-row file with row-level errors and writes nothing', async () => {
    const before = await shipmentCount();
    const auditBefore = await auditCount();
    const statusesBefore = await poStatuses();
    const rows = [
      'PO,SKU,Carrier,Tracking Number',
      ...Array.from({ length: 10_000 }, () => `${po(1)},TV,UPS`),
    ];
    const res = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/apply`, {
      csv: rows.join('\n'),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.problems).toHaveLength(10_000);
    expect(res.body.data.problems[9_999]).toMatchObject({ row: 10_001, kind: 'malformed' });
    expect(res.body.data.shipments).toBe(0);
    expect(await shipmentCount()).toBe(before);
    expect(await auditCount()).toBe(auditBefore);
    expect(await poStatuses()).toEqual(statusesBefore);
    // The preview of the same file says the same, row by row.
    const preview = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/preview`, {
      csv: rows.join('\n'),
    });
    expect(preview.body.data.problems.map((p: { row: number }) => p.row)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i + 2),
    );
  });

  it('flags a second tracking number for the same PO line: without quantities the first row ships it all', async () => {
    const csv = [
      'PO,SKU,Carrier,Tracking Number',
      `${po(5)},TV,UPS,1ZSPLIT1`,
      `${po(5)},TV,UPS,1ZSPLIT2`,
    ].join('\n');
    const fresh = await admin.post(`/api/v1/brands/${brand.id}/orders`, {
      number: `TIO-split-${Date.now()}`,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'TV', name: 'TV', qty: 2, unitPrice: 400 }],
      purchaseOrders: [
        { number: `TI-split-${Date.now()}`, vendor: 'Best Buy', items: [{ sku: 'TV', qty: 2 }] },
      ],
    });
    const number = fresh.body.data.purchaseOrders[0].number;
    const res = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/preview`, {
      csv: csv.replaceAll(po(5), number),
    });
    expect(res.body.data.valid.map((r: { row: number }) => r.row)).toEqual([2]);
    expect(res.body.data.problems).toEqual([
      {
        row: 3,
        kind: 'duplicate_line',
        message: `Row 3: TV of PO ${number} already ships with tracking number 1ZSPLIT1 in row 2.`,
      },
    ]);
  });

  it('refuses a file without the needed columns, and a role without shipments.manage', async () => {
    const res = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports/preview`, {
      csv: 'order,thing\n1,2',
    });
    expect(res.body.data.problems[0].message).toMatch(/missing: po, sku, carrier, trackingNumber/);
    const manager = (await signedInMember(h, brand, 'manager')).client;
    expect(
      (await manager.post(`/api/v1/brands/${brand.id}/tracking-imports/preview`, { csv: file() })).status,
    ).toBe(403);
  });
});
