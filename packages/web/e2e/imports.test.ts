import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, openBrand, signIn } from './sessions';

/**
 * Order-side imports and vendor admin in a real browser against the real server, with its job
 * worker on (imports are applied in the background). The demo admin of the drop-ship brand may
 * import orders and tracking and edit vendors.
 */

const PACK_SLUG = 'marketplace-dropship';
const TEST_MS = 120_000;

describeWithBrowser('imports and vendors', () => {
  let e2e: E2E;
  let admin: ApiSession;
  const stamp = Date.now().toString(36).toUpperCase();

  beforeAll(async () => {
    e2e = await startE2E({ env: { CASEBOOK_WORKER: '1' } });
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    // Twelve orders with one Best Buy PO each, sent to the vendor.
    for (let n = 1; n <= 12; n++) {
      const res = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
        number: `IMP-${stamp}-${n}`,
        channel: 'website',
        placedAt: '2026-03-01T10:00:00Z',
        items: [{ sku: 'TV', name: '55in TV', qty: 1, unitPrice: 499 }],
        purchaseOrders: [
          {
            number: `IPO-${stamp}-${n}`,
            vendor: 'Best Buy',
            status: 'Sent to Vendor',
            items: [{ sku: 'TV', qty: 1 }],
          },
        ],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }, TEST_MS);

  afterAll(async () => {
    await e2e?.close();
  });

  async function openImports(page: Page): Promise<void> {
    await signIn(page, 'admin@example.com');
    await openBrand(page, admin.brandId);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Imports' }).click();
    await page.waitForURL(`**/b/${admin.brandId}/orders/imports`);
    await page.getByRole('heading', { name: 'Imports', exact: true }).waitFor();
  }

  const upload = (page: Page, name: string, text: string) =>
    page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  it(
    'previews a tracking file with its flagged rows, applies it with a progress bar, and adds nothing the second time',
    async () => {
      const csv = [
        'PO,SKU,Carrier,Tracking Number',
        ...Array.from({ length: 12 }, (_, i) => `IPO-${stamp}-${i + 1},TV,UPS,1Z${stamp}${i + 1}`),
        `IPO-NOPE-${stamp},TV,UPS,1Z${stamp}X`,
        `IPO-${stamp}-1,TV,UPS`,
      ].join('\n');
      const page = await e2e.newPage();
      await openImports(page);
      const flow = page.getByRole('region', { name: 'Tracking import' });
      await upload(page, 'tracking.csv', csv);
      const summary = flow.locator('.import-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain('14 rows: 12 ready, 0 already imported, 2 flagged');
      expect(await summary.textContent()).toContain('More than ten tracking numbers');
      const table = flow.getByRole('table', { name: 'Rows of the file' });
      const flagged = table.locator('tr.import-row-flagged');
      expect(await flagged.count()).toBe(2);
      expect(await flagged.nth(0).textContent()).toContain(`Row 14: there is no PO IPO-NOPE-${stamp}.`);
      expect(await flagged.nth(1).textContent()).toContain('Row 15 has 3 cells; the header has 4.');
      expect(await table.locator('tr.import-row-ready').count()).toBe(12);
      await page.screenshot({ path: artifactPath('imports-preview.png') });

      await flow.getByRole('button', { name: 'Apply 12 rows' }).click();
      const progress = flow.locator('progress');
      await progress.waitFor();
      await flow.getByText('Import finished').waitFor({ timeout: 60_000 });
      expect(await progress.getAttribute('value')).toBe('100');
      expect(await flow.locator('.import-result').textContent()).toBe(
        '12 shipments added, 12 POs set to Shipped, 0 rows already imported, 2 rows flagged.',
      );

      // The same file again: every good row is already imported, so there is nothing to apply.
      await flow.getByRole('button', { name: 'Import another file' }).click();
      await upload(page, 'tracking.csv', csv);
      await summary.waitFor();
      expect(await summary.textContent()).toContain('14 rows: 0 ready, 12 already imported, 2 flagged');
      expect(await flow.getByRole('button', { name: 'Apply 0 rows' }).isDisabled()).toBe(true);
      await flow.getByRole('button', { name: 'Cancel' }).click();
      expect(await summary.count()).toBe(0);

      const order = await admin.call('GET', `/brands/${admin.brandId}/orders?limit=50`);
      const first = order.body.data.find((o: { number: string }) => o.number === `IMP-${stamp}-1`);
      const view = await admin.call('GET', `/orders/${first.id}`);
      expect(view.body.data.purchaseOrders[0]).toMatchObject({ status: 'Shipped' });
      expect(view.body.data.purchaseOrders[0].shipments).toHaveLength(1);
    },
    TEST_MS,
  );

  it(
    'imports an order file: flagged rows by number, cancel, then import in the background',
    async () => {
      const header =
        'External ID,Order Number,Channel,Placed At,Customer Email,Customer Name,SKU,Name,Qty,Unit Price,Vendor';
      const csv = [
        header,
        `csv:${stamp}-1,CSV-${stamp}-1,website,2026-03-04T10:00:00Z,ana@example.com,Ana Diaz,LAMP,Desk lamp,1,35,Best Buy`,
        `csv:${stamp}-1,CSV-${stamp}-1,website,2026-03-04T10:00:00Z,,,BULB,Bulb,2,4,Best Buy`,
        `csv:${stamp}-2,CSV-${stamp}-2,amazon,2026-03-05T10:00:00Z,ben@example.com,Ben Ode,SOFA,Sofa,1,899,Ashley Furniture`,
        `csv:${stamp}-3,CSV-${stamp}-3,website,2026-03-05T10:00:00Z,cy@example.com,Cy,MUG,Mug,none,5,`,
      ].join('\n');
      const page = await e2e.newPage();
      await openImports(page);
      await page
        .getByRole('navigation', { name: 'Import kind' })
        .getByRole('link', { name: 'Order CSV' })
        .click();
      await page.waitForURL(`**/orders/imports/orders`);
      const flow = page.getByRole('region', { name: 'Order import' });
      await upload(page, 'orders.csv', csv);
      const summary = flow.locator('.import-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toContain(
        '4 rows: 2 orders ready, 0 already imported, 1 rows flagged',
      );
      const flagged = flow.locator('tr.import-row-flagged');
      expect(await flagged.textContent()).toContain('Row 5: qty must be a whole number of at least 1.');

      // Cancel writes nothing.
      await flow.getByRole('button', { name: 'Cancel' }).click();
      expect(await summary.count()).toBe(0);
      const before = await admin.call('GET', `/brands/${admin.brandId}/orders?limit=200`);
      expect(before.body.data.some((o: { number: string }) => o.number === `CSV-${stamp}-1`)).toBe(false);

      await upload(page, 'orders.csv', csv);
      await flow.getByRole('button', { name: 'Import 2 orders' }).click();
      await flow.getByText('Import finished').waitFor({ timeout: 60_000 });
      expect(await flow.locator('.import-result').textContent()).toBe(
        '2 orders created, 0 already imported, 1 rows flagged.',
      );
      const after = await admin.call('GET', `/brands/${admin.brandId}/orders?limit=200`);
      const created = after.body.data.filter((o: { number: string }) => o.number.startsWith(`CSV-${stamp}`));
      expect(created.map((o: { number: string }) => o.number).sort()).toEqual([
        `CSV-${stamp}-1`,
        `CSV-${stamp}-2`,
      ]);
    },
    TEST_MS,
  );

  it(
    'edits a vendor’s contact emails and policies over the pack’s, and puts one back',
    async () => {
      const page = await e2e.newPage();
      await signIn(page, 'admin@example.com');
      await openBrand(page, admin.brandId);
      await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Vendors' }).click();
      await page.waitForURL(`**/b/${admin.brandId}/orders/vendors`);
      const row = page.getByRole('row', { name: /^Best Buy/ });
      await row.waitFor();
      expect(await row.textContent()).toContain('Side conversation');
      await row.getByRole('button', { name: 'Edit Best Buy' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Best Buy' });
      await dialog.getByLabel('Contact emails').fill('orders@bestbuy.example\nescalations@bestbuy.example');
      await dialog.getByLabel('Cancellation via').selectOption('portal');
      await dialog.getByLabel('Set for this brand').check();
      await dialog.getByLabel('From', { exact: true }).fill('4');
      await dialog.getByLabel('To', { exact: true }).fill('7');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row.getByText('Vendor portal').waitFor();
      expect(await row.textContent()).toContain('orders@bestbuy.example, escalations@bestbuy.example');
      expect(await row.textContent()).toContain('4–7');

      // Back to the pack's cancellation route.
      await row.getByRole('button', { name: 'Edit Best Buy' }).click();
      await dialog.getByLabel('Cancellation via').selectOption('');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await row.getByText('Side conversation').waitFor();
      const vendors = await admin.call('GET', `/brands/${admin.brandId}/vendors`);
      const bestBuy = vendors.body.data.find((v: { name: string }) => v.name === 'Best Buy');
      expect(bestBuy).toMatchObject({
        contactEmails: ['orders@bestbuy.example', 'escalations@bestbuy.example'],
        policy: { cancelVia: 'side_conversation', processingDays: { min: 4, max: 7 } },
        overrides: { cancelVia: null, processingDays: { min: 4, max: 7 } },
      });
      await page.screenshot({ path: artifactPath('vendors.png') });
    },
    TEST_MS,
  );
});
