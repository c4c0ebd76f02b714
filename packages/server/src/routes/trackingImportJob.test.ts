import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOrder } from '../commands/importOrder';
import { auditLog, importRuns, purchaseOrders, shipments } from '../db/schema';
import { buildJobRegistry } from '../jobs/registry';
import { runDueJobs } from '../jobs/run';
import type { BrandRow } from '../policies';
import { makeBrand, signedInMember } from '../test/factories';
import { type Harness, type TestClient, testApp } from '../test/harness';

describe('tracking import in the background', () => {
  let h: Harness;
  let brand: BrandRow;
  let agent: TestClient;
  let manager: TestClient;
  let stranger: TestClient;
  const s = randomUUID().slice(0, 6);
  const N = 2500;

  beforeAll(async () => {
    h = await testApp();
    brand = await makeBrand(h, 'marketplace-dropship');
    agent = (await signedInMember(h, brand, 'agent')).client;
    manager = (await signedInMember(h, brand, 'manager')).client;
    stranger = (await signedInMember(h, await makeBrand(h, 'marketplace-dropship'), 'agent')).client;
    const pack = h.deps.packs.get('marketplace-dropship')!;
    const ctx = { actor: { kind: 'system' as const, name: 'test' }, now: h.clock.now() };
    await h.deps.database.db.transaction(async (tx) => {
      for (let n = 0; n < N; n++) {
        await importOrder(tx, ctx, brand.id, pack, {
          number: `J${s}-${n}`,
          channel: 'website',
          placedAt: '2026-03-01T10:00:00Z',
          items: [{ sku: 'SKU1', name: 'Item', qty: 1, unitPrice: 10 }],
          purchaseOrders: [
            {
              number: `JPO${s}-${n}`,
              vendor: 'Best Buy',
              status: 'Sent to Vendor',
              items: [{ sku: 'SKU1', qty: 1 }],
            },
          ],
        });
      }
    });
  }, 300_000);

  const shipmentCount = async () =>
    (
      await h.deps.database.db.select({ n: count() }).from(shipments).where(eq(shipments.brandId, brand.id))
    )[0]!.n;
  const csv = [
    'PO,SKU,Carrier,Tracking Number',
    ...Array.from({ length: N }, (_, n) => `JPO${s}-${n},SKU1,UPS,1Z${s}J${n}`),
    `JPO${s}-0,NOPE,UPS,1Z${s}X`,
  ].join('\n');
  const run = () => runDueJobs(h.deps, buildJobRegistry(h.deps), { kinds: ['imports.apply'] });

  it('applies a large file in batches, reports progress and the result, and adds nothing the second time', async () => {
    const started = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports`, { csv });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const url = `/api/v1/brands/${brand.id}/import-runs/${started.body.data.id}`;
    expect((await agent.get(url)).body.data).toMatchObject({ state: 'queued', processed: 0 });
    await run();
    const done = (await agent.get(url)).body.data;
    expect(done).toMatchObject({ state: 'done', rows: N + 1, processed: N + 1 });
    expect(done.result).toMatchObject({ shipments: N, autoShipped: N, valid: N });
    expect(done.result.problems).toEqual([
      { row: N + 2, kind: 'unknown_sku', message: `Row ${N + 2}: NOPE is not on PO JPO${s}-0.` },
    ]);
    expect(await shipmentCount()).toBe(N);
    const shipped = await h.deps.database.db
      .select({ n: count() })
      .from(purchaseOrders)
      .where(and(eq(purchaseOrders.brandId, brand.id), eq(purchaseOrders.status, 'Shipped')));
    expect(shipped[0]!.n).toBe(N);
    // Every shipment and every PO change has its audit entry, attributed to the agent who started it.
    const audits = await h.deps.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brand.id), eq(auditLog.entityType, 'shipment')));
    expect(audits[0]!.n).toBe(N);

    const again = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports`, { csv });
    await run();
    const second = (await agent.get(`/api/v1/brands/${brand.id}/import-runs/${again.body.data.id}`)).body
      .data;
    expect(second.result).toMatchObject({ shipments: 0, autoShipped: 0 });
    expect(second.result.alreadyImported).toHaveLength(N);
    expect(await shipmentCount()).toBe(N);
    const [a, b] = await Promise.all(
      [started.body.data.id, again.body.data.id].map(async (id) => {
        const [row] = await h.deps.database.db.select().from(importRuns).where(eq(importRuns.id, id));
        return row!.fileHash;
      }),
    );
    expect(a).toBe(b);
  }, 300_000);

  it('refuses a role without shipments.manage (403) and other brands (404)', async () => {
    expect(
      (await manager.post(`/api/v1/brands/${brand.id}/tracking-imports`, { csv: 'PO,SKU\n1,2' })).status,
    ).toBe(403);
    expect(
      (await stranger.post(`/api/v1/brands/${brand.id}/tracking-imports`, { csv: 'PO,SKU\n1,2' })).status,
    ).toBe(404);
    const started = await agent.post(`/api/v1/brands/${brand.id}/tracking-imports`, { csv: 'PO,SKU\n1,2' });
    const url = `/api/v1/brands/${brand.id}/import-runs/${started.body.data.id}`;
    expect((await manager.get(url)).status).toBe(403);
    expect((await stranger.get(url)).status).toBe(404);
  });
});
