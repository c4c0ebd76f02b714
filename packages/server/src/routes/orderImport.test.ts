import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, orders } from '../db/schema';
import { buildJobRegistry } from '../jobs/registry';
import { runDueJobs } from '../jobs/run';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

const HEADER =
  'External ID,Order Number,Channel,Placed At,Customer Email,Customer Name,Shipping Address 1,Shipping City,Shipping Region,Shipping Postal Code,Shipping Country,SKU,Name,Qty,Unit Price,Category,Vendor,PO Number';

describe('order CSV import', () => {
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
    stranger = (await signedInMember(h, await makeBrand(h, 'marketplace-dropship'), 'admin')).client;
  });

  const orderCount = async () =>
    (await h.deps.database.db.select({ n: count() }).from(orders).where(eq(orders.brandId, brand.id)))[0]!.n;

  /** Two good orders (one of two items from two vendors), one with a bad quantity, one inconsistent. */
  const file = (s: string) =>
    [
      HEADER,
      `shop:${s}-1,A${s}-1,website,2026-03-01T10:00:00Z,dana@example.com,Dana Reyes,1 Main St,Springfield,IL,62701,US,TV,55in TV,1,499.99,electronics,Best Buy,PO-${s}-1`,
      `shop:${s}-1,A${s}-1,website,2026-03-01T10:00:00Z,,,,,,,,SOFA,Sofa,1,899,furniture,Ashley Furniture,PO-${s}-2`,
      `shop:${s}-2,A${s}-2,amazon,2026-03-02T09:30:00Z,lee@example.com,Lee Park,,,,,,CABLE,HDMI cable,2,9.5,,Amazon,`,
      `shop:${s}-3,A${s}-3,website,2026-03-02T09:30:00Z,kim@example.com,Kim,,,,,,MUG,Mug,0,5,,,`,
      `shop:${s}-4,A${s}-4,website,2026-03-03T09:30:00Z,a@example.com,Ann,,,,,,HAT,Hat,1,5,,,`,
      `shop:${s}-4,A${s}-4,ebay,2026-03-03T09:30:00Z,,,,,,,,CAP,Cap,1,5,,,`,
      `shop:${s}-5,A${s}-5,website,not a date,b@example.com,Bo,,,,,,PEN,Pen,1,2,,,`,
    ].join('\n');

  it('previews a file: the orders it would create and every problem by row, writing nothing', async () => {
    const s = randomUUID().slice(0, 6);
    const before = await orderCount();
    const res = await admin.post(`/api/v1/brands/${brand.id}/order-imports/preview`, { csv: file(s) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { data } = res.body;
    expect(data.rows).toBe(7);
    expect(data.orders).toEqual([
      {
        number: `A${s}-1`,
        externalId: `shop:${s}-1`,
        rows: [2, 3],
        items: 2,
        purchaseOrders: [`PO-${s}-1`, `PO-${s}-2`],
      },
      { number: `A${s}-2`, externalId: `shop:${s}-2`, rows: [4], items: 1, purchaseOrders: [`A${s}-2-P1`] },
    ]);
    expect(data.problems.map((p: { row: number; kind: string }) => [p.row, p.kind])).toEqual([
      [5, 'invalid'],
      [7, 'inconsistent'],
      [8, 'invalid'],
    ]);
    expect(data.problems[0].message).toBe('Row 5: qty must be a whole number of at least 1.');
    expect(data.problems[1].message).toBe(
      'Row 7: channel "ebay" differs from "website" in row 6 of the same order.',
    );
    expect(data.problems[2].message).toBe('Row 8: placed at must be an ISO 8601 date-time.');
    expect(await orderCount()).toBe(before);
  });

  it('applies through the same order creation as the API, and adds nothing when the file comes again', async () => {
    const s = randomUUID().slice(0, 6);
    const first = await admin.post(`/api/v1/brands/${brand.id}/order-imports/apply`, { csv: file(s) });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data.created).toBe(2);
    const [row] = await h.deps.database.db
      .select()
      .from(orders)
      .where(and(eq(orders.brandId, brand.id), eq(orders.externalId, `shop:${s}-1`)));
    const view = (await admin.get(`/api/v1/orders/${row!.id}`)).body.data;
    expect(view).toMatchObject({
      number: `A${s}-1`,
      channel: 'website',
      customer: { name: 'Dana Reyes', email: 'dana@example.com' },
      shippingAddress: {
        line1: '1 Main St',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US',
      },
      items: [
        { sku: 'SOFA', qty: 1, unitPrice: 899, category: 'furniture' },
        { sku: 'TV', qty: 1, unitPrice: 499.99, category: 'electronics' },
      ],
    });
    expect(view.purchaseOrders.map((p: any) => [p.number, p.vendor, p.status, p.history[0].reason])).toEqual([
      [`PO-${s}-1`, 'Best Buy', 'Processing', 'imported with the order'],
      [`PO-${s}-2`, 'Ashley Furniture', 'Processing', 'imported with the order'],
    ]);
    const audits = await h.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, row!.id), eq(auditLog.action, 'import')));
    expect(audits).toHaveLength(1);

    const count = await orderCount();
    const again = await admin.post(`/api/v1/brands/${brand.id}/order-imports/apply`, { csv: file(s) });
    expect(again.body.data.created).toBe(0);
    expect(again.body.data.alreadyImported.map((o: { externalId: string }) => o.externalId)).toEqual([
      `shop:${s}-1`,
      `shop:${s}-2`,
    ]);
    expect(await orderCount()).toBe(count);
  });

  it('flags order and PO numbers the brand already uses, and PO statuses the pack does not know', async () => {
    const s = randomUUID().slice(0, 6);
    await admin.post(`/api/v1/brands/${brand.id}/order-imports/apply`, {
      csv: [HEADER, `x:${s},B${s},website,2026-03-01T10:00:00Z,,,,,,,,TV,TV,1,1,,Best Buy,BPO-${s}`].join(
        '\n',
      ),
    });
    const res = await admin.post(`/api/v1/brands/${brand.id}/order-imports/preview`, {
      csv: [
        `${HEADER},PO Status`,
        `y:${s},B${s},website,2026-03-01T10:00:00Z,,,,,,,,TV,TV,1,1,,Best Buy,,`,
        `z:${s},C${s},website,2026-03-01T10:00:00Z,,,,,,,,TV,TV,1,1,,Best Buy,BPO-${s},`,
        `w:${s},D${s},website,2026-03-01T10:00:00Z,,,,,,,,TV,TV,1,1,,Best Buy,,Lost`,
      ].join('\n'),
    });
    expect(res.body.data.problems.map((p: { message: string }) => p.message)).toEqual([
      `Row 2: order B${s} already exists.`,
      `Row 3: PO BPO-${s} already exists.`,
      expect.stringMatching(/^Row 4: po status "Lost" is not a PO status of this brand/),
    ]);
    expect(res.body.data.orders).toEqual([]);
  });

  it('answers a file without the needed columns with the columns it takes', async () => {
    const res = await admin.post(`/api/v1/brands/${brand.id}/order-imports/preview`, { csv: 'foo,bar\n1,2' });
    expect(res.body.data.problems).toHaveLength(1);
    expect(res.body.data.problems[0].message).toMatch(
      /missing: number, channel, placedAt, sku, name, qty, unitPrice/,
    );
  });

  it('imports a large file in the background with progress, once', async () => {
    const s = randomUUID().slice(0, 6);
    const lines = Array.from(
      { length: 1500 },
      (_, i) => `bg:${s}-${i},E${s}-${i},website,2026-03-01T10:00:00Z,,,,,,,,SKU,Item,1,3,,Best Buy,`,
    );
    const csv = [HEADER, ...lines].join('\n');
    const before = await orderCount();
    const started = await admin.post(`/api/v1/brands/${brand.id}/order-imports`, { csv });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.data).toMatchObject({ kind: 'orders', state: 'queued', processed: 0 });
    const runUrl = `/api/v1/brands/${brand.id}/import-runs/${started.body.data.id}`;
    await runDueJobs(h.deps, buildJobRegistry(h.deps), { kinds: ['imports.apply'] });
    const done = (await admin.get(runUrl)).body.data;
    expect(done).toMatchObject({ state: 'done', rows: 1500, processed: 1500 });
    expect(done.result).toMatchObject({ created: 1500, problems: [] });
    expect(await orderCount()).toBe(before + 1500);

    const again = await admin.post(`/api/v1/brands/${brand.id}/order-imports`, { csv });
    await runDueJobs(h.deps, buildJobRegistry(h.deps), { kinds: ['imports.apply'] });
    const second = (await admin.get(`/api/v1/brands/${brand.id}/import-runs/${again.body.data.id}`)).body
      .data;
    expect(second.result.created).toBe(0);
    expect(second.result.alreadyImported).toHaveLength(1500);
    expect(await orderCount()).toBe(before + 1500);
  }, 120_000);

  it('refuses members without orders.import (403) and hides the brand from others (404)', async () => {
    const csv = [HEADER, `q,Q1,website,2026-03-01T10:00:00Z,,,,,,,,TV,TV,1,1,,,`].join('\n');
    for (const path of ['order-imports/preview', 'order-imports/apply', 'order-imports']) {
      const denied = await agent.post(`/api/v1/brands/${brand.id}/${path}`, { csv });
      expect(denied.status, path).toBe(403);
      expect(denied.body.error.message).toContain('orders.import');
      expect((await stranger.post(`/api/v1/brands/${brand.id}/${path}`, { csv })).status, path).toBe(404);
    }
    const run = await admin.post(`/api/v1/brands/${brand.id}/order-imports`, { csv });
    const url = `/api/v1/brands/${brand.id}/import-runs/${run.body.data.id}`;
    expect((await agent.get(url)).status).toBe(403);
    expect((await stranger.get(url)).status).toBe(404);
    expect((await admin.get(`/api/v1/brands/${brand.id}/import-runs/${randomUUID()}`)).status).toBe(404);
  });
});
