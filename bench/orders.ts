/**
 * Order side throughput: tracking events ingested per second through the signed webhook, and
 * tracking CSV rows applied per second through the bulk import, on the configured database
 * (DATABASE_URL for PostgreSQL; otherwise an embedded database in a temporary folder).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/orders.ts [orders]
 *
 * Targets: at least 2,000 events/s and 5,000 rows/s on PostgreSQL on this machine.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { buildApp } from '../packages/server/src/app';
import { createBrand } from '../packages/server/src/commands/createBrand';
import { importOrder } from '../packages/server/src/commands/importOrder';
import { loadConfig } from '../packages/server/src/config';
import type { RequestContext } from '../packages/server/src/context';
import { openDatabase } from '../packages/server/src/db/client';
import { runMigrations } from '../packages/server/src/db/migrate';
import { brands, purchaseOrders, shipments } from '../packages/server/src/db/schema';
import { loadPacks } from '../packages/server/src/packs';
import { webhookSignature } from '../packages/server/src/routes/webhooks';
import { TEST_SECRET } from '../packages/server/src/test/harness';

const ORDERS = Number(process.argv[2] ?? 5000);
/** Orders for a small import first, so the measured one runs on warm code, as a server does. */
const WARMUP = 200;
const url = process.env.DATABASE_URL;
const dir = url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-bench-'));
const database = url
  ? await openDatabase({ kind: 'postgres', url })
  : await openDatabase({ kind: 'embedded', dataDir: path.join(dir!, 'pglite') });
await runMigrations(database);
const config = loadConfig({
  NODE_ENV: 'test',
  CASEBOOK_SECRET: TEST_SECRET,
  CASEBOOK_DEMO: '0',
  CASEBOOK_WEB_DIR: '/nonexistent',
});
const packs = loadPacks(config.packsDir);
const pack = packs.get('marketplace-dropship')!;
const ctx: RequestContext = { actor: { kind: 'system', name: 'bench' }, now: new Date() };
const stamp = Date.now();
const { brand } = await database.db.transaction((tx) =>
  createBrand(tx, ctx, { name: `Bench ${stamp}`, slug: `bench-${stamp}`, pack }),
);

console.log(`database: ${database.kind}; preparing ${ORDERS} orders with one PO each…`);
const batch = 500;
for (let start = 0; start < ORDERS + WARMUP; start += batch) {
  await database.db.transaction(async (tx) => {
    for (let n = start; n < Math.min(start + batch, ORDERS + WARMUP); n++) {
      await importOrder(tx, ctx, brand.id, pack, {
        number: `B${stamp}-${n}`,
        channel: 'website',
        placedAt: '2026-03-01T10:00:00Z',
        items: [{ sku: 'SKU1', name: 'Item', qty: 1, unitPrice: 10 }],
        purchaseOrders: [
          {
            number: `BPO${stamp}-${n}`,
            vendor: 'Best Buy',
            status: 'Sent to Vendor',
            items: [{ sku: 'SKU1', qty: 1 }],
          },
        ],
      });
    }
  });
}

// Planner statistics as a running database has them (autovacuum would gather them later).
await database.db.execute(
  sql`analyze orders, order_items, purchase_orders, po_items, shipments, vendors, tracking_events`,
);
const app = await buildApp({ database, config, clock: () => new Date(), packs });
const [row] = await database.db.select().from(brands).where(eq(brands.id, brand.id));
const key = row!.webhookSecret;

// CSV import: one row per PO.
const csv = [
  'PO,SKU,Carrier,Tracking Number',
  ...Array.from({ length: ORDERS }, (_, n) => `BPO${stamp}-${n},SKU1,UPS,1Z${stamp}${n}`),
].join('\n');
const { createUser } = await import('../packages/server/src/commands/createUser');
const { grantMembership, roleByName } = await import('../packages/server/src/commands/members');
const email = `bench-${stamp}@example.com`;
await database.db.transaction(async (tx) => {
  const user = await createUser(tx, ctx, { email, name: 'Bench', password: 'bench-password-123' });
  await grantMembership(tx, ctx, brand.id, user, await roleByName(tx, brand.id, 'agent'));
});
const login = await app.inject({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { email, password: 'bench-password-123' },
});
const cookie = String(login.headers['set-cookie']).split(';')[0]!;
const csrf = login.json().csrfToken as string;
const apply = (text: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/brands/${brand.id}/tracking-imports/apply`,
    headers: { cookie, 'x-csrf-token': csrf },
    payload: { csv: text },
  });
const warm = await apply(
  [
    'PO,SKU,Carrier,Tracking Number',
    ...Array.from({ length: WARMUP }, (_, i) => `BPO${stamp}-${ORDERS + i},SKU1,UPS,1Z${stamp}W${i}`),
  ].join('\n'),
);
if (warm.statusCode !== 200) throw new Error(warm.body);
const cpu = process.cpuUsage();
let t = performance.now();
const applied = await app.inject({
  method: 'POST',
  url: `/api/v1/brands/${brand.id}/tracking-imports/apply`,
  headers: { cookie, 'x-csrf-token': csrf },
  payload: { csv },
});
const importSeconds = (performance.now() - t) / 1000;
const importCpu = process.cpuUsage(cpu);
if (applied.statusCode !== 200) throw new Error(applied.body);
console.log(
  `tracking CSV import: ${ORDERS} rows in ${importSeconds.toFixed(2)} s = ${Math.round(ORDERS / importSeconds)} rows/s (target 5000) — ${applied.json().data.shipments} shipments; this process used ${((importCpu.user + importCpu.system) / 1e6).toFixed(2)} s of CPU`,
);

// Tracking events: three events per shipment, 500 per signed request.
const tracking = await database.db
  .select({ trackingNumber: shipments.trackingNumber })
  .from(shipments)
  .innerJoin(purchaseOrders, eq(purchaseOrders.id, shipments.poId))
  .where(eq(shipments.brandId, brand.id));
const events = tracking.flatMap(({ trackingNumber }, i) =>
  (['label_created', 'in_transit', 'delivered'] as const).map((status, j) => ({
    id: `${trackingNumber}-${j}`,
    trackingNumber,
    status,
    at: new Date(Date.UTC(2026, 2, 2 + j, i % 24)).toISOString(),
  })),
);
t = performance.now();
for (let i = 0; i < events.length; i += 500) {
  const raw = JSON.stringify({ events: events.slice(i, i + 500) });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tracking-events',
    headers: {
      'content-type': 'application/json',
      'x-casebook-brand': brand.id,
      'x-casebook-signature': webhookSignature(key, raw),
    },
    payload: raw,
  });
  if (res.statusCode !== 200) throw new Error(res.body);
}
const eventSeconds = (performance.now() - t) / 1000;
console.log(
  `tracking events: ${events.length} in ${eventSeconds.toFixed(2)} s = ${Math.round(events.length / eventSeconds)} events/s (target 2000)`,
);
await app.close();
await database.close();
if (dir) fs.rmSync(dir, { recursive: true, force: true });
