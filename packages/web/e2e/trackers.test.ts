import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Trackers in a real browser: the demo agent of the store-with-supplier brand logs an item issue
 * from a ticket, sees it on the ticket and in the tracker table, and exports the table as CSV with
 * the formula-looking description neutralised.
 */

const PACK_SLUG = 'store-supplier';

describeWithBrowser('trackers', () => {
  let e2e: E2E;
  let admin: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('logs a record from a ticket, shows it on the ticket and in the table, and exports CSV', async () => {
    const orderNumber = `MHJ-${Date.now()}`;
    const order = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: orderNumber,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'NECKLACE-9', name: 'Necklace', qty: 1, unitPrice: 40 }],
      purchaseOrders: [
        { number: `PO-${orderNumber}`, vendor: 'Bowen', items: [{ sku: 'NECKLACE-9', qty: 1 }] },
      ],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const tickets = await admin.call('GET', `/brands/${admin.brandId}/tickets`);
    expect(tickets.status, JSON.stringify(tickets.body)).toBe(200);
    const ticket = tickets.body.data[0];
    expect(ticket).toBeDefined();

    const page = await e2e.newPage();
    await signIn(page, 'agent@example.com');
    await page.goto(`/b/${admin.brandId}/tickets/${ticket.id}`);
    const panel = page.locator('section[aria-labelledby="ticket-records-title"]');
    await panel.waitFor();
    await panel.getByRole('combobox', { name: 'Log a record' }).selectOption({ label: 'Item Issue' });
    await panel.getByRole('button', { name: 'Log', exact: true }).click();

    const dialog = page.getByRole('dialog', { name: 'Log Item Issue' });
    await dialog.waitFor();
    await dialog.getByLabel('order').fill(orderNumber);
    await dialog.getByLabel('sku').fill('NECKLACE-9');
    await dialog.getByLabel('issue type').selectOption('broken');
    await dialog.getByLabel('description').fill('=1+1 clasp snapped');
    await dialog.getByLabel('Proofs of Items Delivered album').fill('https://photos.example.com/album/42');
    await dialog.getByRole('button', { name: 'Log record' }).click();
    await dialog.waitFor({ state: 'detached' });

    const link = panel.getByRole('link', { name: /^Item Issue #\d+$/ });
    await link.waitFor();
    const label = (await link.textContent())!;
    const number = label.replace('Item Issue #', '');

    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Trackers' }).click();
    await page.getByRole('link', { name: 'Item Issue', exact: true }).click();
    await page.waitForURL(`**/b/${admin.brandId}/trackers/item_issue`);
    const row = page.locator('.tracker-table tbody tr').filter({ hasText: `#${number}` });
    await row.waitFor();
    expect(await row.textContent()).toContain(orderNumber);
    await page.screenshot({ path: artifactPath('trackers-table.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const file = await download.path();
    const csv = (await import('node:fs')).readFileSync(file!, 'utf8');
    const line = csv.split('\r\n').find((l) => l.startsWith(`${number},`));
    expect(line).toBeDefined();
    expect(line).toContain(orderNumber);
    expect(line).toContain("'=1+1 clasp snapped");

    // A view shared with the team, deleted again by the agent who shared it.
    const viewName = `Broken ${Date.now()}`;
    await page.getByLabel('View name').fill(viewName);
    await page.getByLabel('Share with the team').check();
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByRole('button', { name: `${viewName} (shared)` }).waitFor();
    await page.getByRole('button', { name: `Delete view ${viewName}` }).click();
    await page.getByRole('button', { name: `${viewName} (shared)` }).waitFor({ state: 'detached' });

    // The record page, from the table.
    await row.getByRole('link', { name: `#${number}` }).click();
    await page.getByRole('heading', { name: `Item Issue #${number}` }).waitFor();
    expect(await page.locator('.record-links').textContent()).toContain(`Order ${orderNumber}`);

    // Link it to the replacement's PO by its number, from the record page.
    const replacement = `${orderNumber}-R`;
    const second = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: replacement,
      channel: 'website',
      placedAt: '2026-03-02T10:00:00Z',
      items: [{ sku: 'NECKLACE-9', name: 'Necklace', qty: 1, unitPrice: 40 }],
      purchaseOrders: [
        { number: `PO-${replacement}`, vendor: 'Bowen', items: [{ sku: 'NECKLACE-9', qty: 1 }] },
      ],
    });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const linkForm = page.getByRole('form', { name: 'Link this record' });
    await linkForm.getByLabel('Link to').selectOption({ label: 'Purchase order' });
    await linkForm.getByLabel('Number').fill('PO-NOPE');
    await linkForm.getByRole('button', { name: 'Link' }).click();
    await page.getByText(/no purchase order PO-NOPE in this brand/).waitFor();
    await linkForm.getByLabel('Number').fill(`PO-${replacement}`);
    await linkForm.getByRole('button', { name: 'Link' }).click();
    await page.locator('.record-links').getByText(`PO PO-${replacement}`).waitFor();
    expect(await page.locator('.record-history').textContent()).toContain('linked it');

    // Edit a field, move the record on and comment; each lands in the history.
    await page.getByRole('button', { name: 'Edit fields' }).click();
    const edit = page.getByRole('dialog', { name: `Edit Item Issue #${number}` });
    await edit.getByLabel('description').fill('Clasp snapped on arrival');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.locator('.record-fields').getByText('Clasp snapped on arrival').waitFor();
    await page.getByRole('button', { name: 'Move to Posted to supplier' }).click();
    await page.getByText(/^Posted to supplier · logged/).waitFor();
    await page.getByLabel('Comment').fill('Posted in the supplier channel');
    await page.getByRole('button', { name: 'Add comment' }).click();
    await page.locator('.record-comments').getByText('Posted in the supplier channel').waitFor();
    const history = await page.locator('.record-history').textContent();
    expect(history).toContain('changed fields');
    expect(history).toContain('moved it to Posted to supplier');
    expect(history).toContain('commented');
    await page.screenshot({ path: artifactPath('trackers-record.png'), fullPage: true });
  });

  it('lands the supplier on their portal with their company’s POs, takes their tracking, and lets them log an out-of-stock record', async () => {
    const orderNumber = `MHJ-S-${Date.now()}`;
    const order = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: orderNumber,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'EARRING-2', name: 'Earrings', qty: 2, unitPrice: 15 }],
      purchaseOrders: [
        { number: `PO-${orderNumber}`, vendor: 'Bowen', items: [{ sku: 'EARRING-2', qty: 2 }] },
      ],
    });
    expect(order.status).toBe(201);
    const members = await admin.call('GET', `/brands/${admin.brandId}/members`);
    const supplier = members.body.data.find(
      (m: { user: { email: string } }) => m.user.email === 'supplier@example.com',
    );
    const bound = await admin.call('PUT', `/brands/${admin.brandId}/supplier-accounts/${supplier.id}`, {
      vendor: 'Bowen',
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);

    const page = await e2e.newPage();
    await signIn(page, 'supplier@example.com');
    // A supplier lands on their portal and the navigation offers only what they can use.
    await page.waitForURL(`**/b/${admin.brandId}/supplier`);
    const nav = page.getByRole('navigation', { name: 'Areas' });
    // Each link's text is the area's name and its shortcut ("Portal" + "g p").
    const areas = await nav.getByRole('link').allTextContents();
    expect(areas.map((t) => t.replace(/g [a-z]$/, '').trim())).toEqual(['Portal', 'Trackers']);
    expect(await page.getByRole('link', { name: /^Notifications/ }).count()).toBe(0);
    const pos = page.locator('.supplier-panel');
    await pos.getByRole('cell', { name: `PO-${orderNumber}`, exact: true }).waitFor();
    expect(await pos.textContent()).toContain('2 × EARRING-2');
    await page.screenshot({ path: artifactPath('supplier-portal.png'), fullPage: true });

    // Tracking for their own company's PO.
    await pos.getByRole('button', { name: `Add tracking to PO-${orderNumber}` }).click();
    const tracking = pos.getByRole('form', { name: `Tracking for PO-${orderNumber}` });
    await tracking.getByLabel('Carrier').fill('PostNL');
    await tracking.getByLabel('Tracking number').fill(`3SBOW${Date.now()}`);
    await tracking.getByRole('button', { name: 'Add shipment' }).click();
    const row = pos.getByRole('row').filter({ hasText: `PO-${orderNumber}` });
    await row.getByText('2 × EARRING-2 (2 shipped)').waitFor();
    await row.getByText('All shipped').waitFor();
    const shipped = await admin.call('GET', `/orders/${order.body.data.id}`);
    expect(shipped.body.data.purchaseOrders[0].items[0].shippedQty).toBe(2);

    // The inbox is not theirs: asking for it brings them back to the portal.
    await page.goto(`/b/${admin.brandId}/inbox`);
    await page.waitForURL(`**/b/${admin.brandId}/supplier`);

    await nav.getByRole('link', { name: 'Trackers' }).click();
    await page.getByRole('link', { name: 'Out of Stock', exact: true }).click();
    await page.waitForURL(`**/b/${admin.brandId}/trackers/out_of_stock`);
    await page.getByRole('button', { name: 'Log Out of Stock' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log Out of Stock' });
    await dialog.getByLabel('order').fill(orderNumber);
    await dialog.getByLabel('sku').fill('EARRING-2');
    await dialog.getByLabel('Product name').fill('Earrings');
    await dialog.getByRole('button', { name: 'Log record' }).click();
    await page.getByRole('heading', { name: /^Out of Stock #\d+$/ }).waitFor();
    expect(await page.locator('.record-links').textContent()).toContain(`PO PO-${orderNumber}`);
  });
});
