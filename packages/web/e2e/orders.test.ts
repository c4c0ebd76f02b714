import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * The Orders area in a real browser against the real server. Orders are created through the API
 * as the demo admin (who may import orders but not change PO statuses in the drop-ship pack); the
 * browser works them as the demo agent, who may change statuses and record shipments. The list
 * tests use the multichannel-retail brand, whose demo data has no orders (the drop-ship demo has a
 * few, to show on its demo tickets).
 */

const PACK_SLUG = 'marketplace-dropship';
const LIST_PACK_SLUG = 'multichannel-retail';

async function openOrders(page: Page, brandId: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Brand' }).selectOption(brandId);
  await page.waitForURL(`**/b/${brandId}/inbox`);
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Orders' }).click();
  await page.waitForURL(`**/b/${brandId}/orders`);
  await page.getByRole('heading', { name: 'Orders', exact: true }).waitFor();
}

const rowNumbers = (page: Page) => page.locator('.order-table tbody .order-number').allTextContents();

describeWithBrowser('orders', () => {
  let e2e: E2E;
  let admin: ApiSession;
  let listAdmin: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    listAdmin = await apiSignIn(e2e.baseUrl, 'admin@example.com', LIST_PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('says where orders come from while the brand has none', async () => {
    const page = await e2e.newPage();
    await signIn(page, 'agent@example.com');
    await openOrders(page, listAdmin.brandId);
    const empty = page.locator('.empty-state');
    await empty.waitFor();
    expect(await empty.textContent()).toContain(
      'Orders arrive through the API (POST /api/v1/brands/{brandId}/orders) or imports.',
    );
  });

  it('lists orders newest first, loads older ones, filters and opens rows from the keyboard', async () => {
    // 51 orders an hour apart: one more than a page.
    for (let n = 1; n <= 51; n++) {
      const res = await listAdmin.call('POST', `/brands/${listAdmin.brandId}/orders`, {
        number: `L-${String(n).padStart(3, '0')}`,
        channel: n % 2 ? 'website' : 'amazon',
        customer: { email: `buyer${n}@example.com` },
        placedAt: new Date(Date.UTC(2026, 0, 1, n)).toISOString(),
        items: [{ sku: 'CABLE', name: 'HDMI cable', qty: 1, unitPrice: 9.99 }],
        purchaseOrders: [],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }

    const page = await e2e.newPage();
    await signIn(page, 'agent@example.com');
    await openOrders(page, listAdmin.brandId);
    await page.locator('.order-table').waitFor();
    let numbers = await rowNumbers(page);
    expect(numbers).toHaveLength(50);
    expect(numbers[0]).toBe('L-051');
    expect(numbers[49]).toBe('L-002');
    expect(await page.getByRole('status').filter({ hasText: 'loaded' }).textContent()).toBe(
      '50 orders loaded',
    );

    await page.getByRole('button', { name: 'Load older' }).click();
    await page.getByRole('cell', { name: 'L-001' }).waitFor();
    numbers = await rowNumbers(page);
    expect(numbers).toHaveLength(51);
    expect(numbers.at(-1)).toBe('L-001');
    await page.getByRole('button', { name: 'Load older' }).waitFor({ state: 'detached' });

    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await filter.fill('buyer7@');
    expect(await rowNumbers(page)).toEqual(['L-007']);
    expect(await page.getByRole('status').filter({ hasText: 'match' }).textContent()).toBe(
      '1 of 51 loaded orders match',
    );
    await filter.fill('L-04');
    expect(await rowNumbers(page)).toEqual(
      Array.from({ length: 10 }, (_, i) => `L-04${9 - i}`), // L-049 … L-040
    );
    await filter.fill('nothing-like-this');
    expect(await page.locator('main').textContent()).toContain(
      'No loaded order matches “nothing-like-this”.',
    );

    // Keyboard: focus the first row, move down one, open it with Enter.
    await filter.fill('');
    const firstRow = page.locator('.order-table tbody tr').first();
    await firstRow.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Order L-050' }).waitFor();
    expect(await page.locator('.order-facts').textContent()).toContain('buyer50@example.com');

    // Back to the list: the row of the order just left has focus again.
    await page.getByRole('link', { name: '← Orders' }).click();
    await page.locator('.order-table').waitFor();
    await page.waitForFunction(() => document.activeElement?.querySelector('.order-number') !== null);
    expect(
      await page.evaluate(() => document.activeElement?.querySelector('.order-number')?.textContent),
    ).toBe('L-050');
  });

  it('changes a PO’s status within the pack’s guardrails and records a shipment as the agent', async () => {
    const poNumber = 'PO-7001';
    const created = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: 'M-1001',
      channel: 'website',
      customer: { name: 'Dana Buyer', email: 'dana@example.com' },
      placedAt: '2026-03-09T15:00:00Z',
      shippingAddress: {
        line1: 'PO Box 77',
        city: 'Springfield',
        region: 'IL',
        postalCode: '62701',
        country: 'US',
        problems: ['po_box'],
      },
      shippingCost: 12.5,
      items: [
        { sku: 'TV-55', name: '55in 4K TV', qty: 1, unitPrice: 499.99, category: 'electronics' },
        { sku: 'MOUNT', name: 'Wall mount', qty: 2, unitPrice: 30 },
      ],
      purchaseOrders: [
        {
          number: poNumber,
          vendor: 'Best Buy',
          status: 'Sent to Vendor',
          items: [
            { sku: 'TV-55', qty: 1 },
            { sku: 'MOUNT', qty: 2 },
          ],
        },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const orderId: string = created.body.data.id;
    const poId: string = created.body.data.purchaseOrders[0].id;
    // A customer writes about the order: the ticket links itself by the number.
    const ticket = await admin.call('POST', '/tickets', {
      brandId: admin.brandId,
      subject: 'Where is my order M-1001?',
      body: 'The TV has not arrived.',
      customer: { email: 'dana@example.com' },
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);

    const page = await e2e.newPage();
    await signIn(page, 'agent@example.com');
    await openOrders(page, admin.brandId);
    await page.getByRole('searchbox', { name: 'Filter' }).fill('M-1001');
    await page.getByRole('cell', { name: 'M-1001' }).click();
    await page.waitForURL(`**/b/${admin.brandId}/orders/${orderId}`);
    await page.getByRole('heading', { name: 'Order M-1001' }).waitFor();

    // The order: header facts, items with money in the order's currency, the flagged address.
    const facts = await page.locator('.order-facts').textContent();
    expect(facts).toContain('website');
    expect(facts).toContain('Dana Buyer');
    expect(facts).toContain('dana@example.com');
    const items = page.locator('.order-overview table');
    expect(await items.getByRole('row', { name: /TV-55/ }).textContent()).toContain('$499.99');
    expect(await items.locator('tfoot').textContent()).toContain('$572.49'); // 499.99 + 2 × 30 + 12.50
    const address = page.getByRole('region', { name: 'Shipping address' });
    expect(await address.getByRole('list', { name: 'Address problems' }).textContent()).toContain('PO box');
    expect(await address.locator('address').textContent()).toContain('Springfield, IL, 62701');

    // The ticket about the order; an agent without audit.read sees no audit trail.
    const tickets = page.getByRole('region', { name: /^Tickets/ });
    await tickets.getByRole('link', { name: /Where is my order M-1001\?/ }).waitFor();
    expect(await tickets.textContent()).toContain('linked automatically');
    expect(await page.getByRole('region', { name: 'Audit trail' }).count()).toBe(0);

    // The PO card: status, refund flag, and the next statuses the pack allows or refuses.
    const card = page.getByRole('article', { name: poNumber });
    expect(await card.locator('.po-card-header').textContent()).toContain('Best Buy');
    expect(await card.locator('.badge').textContent()).toBe('Sent to Vendor');
    expect(await card.locator('.po-card-header').textContent()).toContain('Not refunded');
    const button = (status: string) => card.getByRole('button', { name: status, exact: true });
    expect(await button('On-Hold').isEnabled()).toBe(true);
    expect(await button('Shipped').isDisabled()).toBe(true);
    expect(await button('Canceled').isDisabled()).toBe(true);
    expect(await button('Canceled').getAttribute('title')).toContain('does not show as refunded');
    expect(await card.locator('.po-refusals').textContent()).toContain(
      'Canceled: The PO does not show as refunded in House yet.',
    );

    // On-Hold, with a reason.
    await button('On-Hold').click();
    const statusDialog = page.getByRole('dialog', { name: `Set ${poNumber} to On-Hold` });
    await statusDialog.waitFor();
    await statusDialog.getByLabel('Reason (optional)').fill('Customer asked to cancel before shipment');
    await statusDialog.getByRole('button', { name: 'Set On-Hold' }).click();
    await statusDialog.waitFor({ state: 'hidden' });
    await card.locator('.badge', { hasText: 'On-Hold' }).waitFor();
    expect(await card.getByRole('status').textContent()).toBe(`${poNumber} is now On-Hold.`);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(poNumber);
    const history = card.getByRole('region', { name: `Status history of ${poNumber}` });
    const newest = history.locator('tbody tr').first();
    expect(await newest.textContent()).toContain('Sent to Vendor → to On-Hold');
    expect(await newest.textContent()).toContain('agent@example.com');
    expect(await newest.textContent()).toContain('Customer asked to cancel before shipment');
    expect(await history.locator('tbody tr').last().textContent()).toContain('Created as Sent to Vendor');

    // From On-Hold, Canceled still waits for the refund; the reason stays in view.
    expect(await button('Canceled').isDisabled()).toBe(true);
    expect(await card.locator('.po-refusals').textContent()).toContain(
      'Canceled: The PO does not show as refunded in House yet.',
    );
    // Tall enough for the whole order, so the screenshot shows the page as an agent sees it.
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.screenshot({ path: artifactPath('order.png') });

    // Add shipment: Escape closes the dialog and gives focus back to its button.
    const addButton = card.getByRole('button', { name: 'Add shipment' });
    await addButton.click();
    const shipDialog = page.getByRole('dialog', { name: `Add a shipment to ${poNumber}` });
    await shipDialog.waitFor();
    await page.keyboard.press('Escape');
    await shipDialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add shipment');

    // The quantities start at what is left to ship; send them all.
    await addButton.click();
    await shipDialog.waitFor();
    expect(await shipDialog.getByLabel(/55in 4K TV/).inputValue()).toBe('1');
    expect(await shipDialog.getByLabel(/Wall mount/).inputValue()).toBe('2');
    await shipDialog.getByLabel('Carrier').fill('UPS');
    // A blank tracking number passes the browser's check but not the API's: its message names the field.
    const trackingInput = shipDialog.getByLabel('Tracking number');
    await trackingInput.fill('   ');
    await shipDialog.getByRole('button', { name: 'Add shipment' }).click();
    const fieldError = shipDialog.getByRole('alert');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('trackingNumber: must not be empty');
    expect(await trackingInput.getAttribute('aria-invalid')).toBe('true');
    await trackingInput.fill('1Z999AA10123456784');
    await shipDialog.getByRole('button', { name: 'Add shipment' }).click();
    await shipDialog.waitFor({ state: 'hidden' });
    const shipments = card.getByRole('region', { name: `Shipments of ${poNumber}` });
    await shipments.getByText('1Z999AA10123456784').waitFor();
    expect(await shipments.locator('.shipment').textContent()).toContain('UPS');
    expect(await card.getByRole('status').textContent()).toBe(
      'Shipment 1Z999AA10123456784 added. Every item has shipped, so Casebook set the PO to Shipped.',
    );
    await card.locator('.badge', { hasText: 'Shipped' }).waitFor();
    const shipped = await card.locator('.po-columns table tbody').textContent();
    expect(shipped).toContain('1/1');
    expect(shipped).toContain('2/2');
    expect(await addButton.count()).toBe(0);
    expect(await history.locator('tbody tr').first().textContent()).toContain('Casebook (automatic)');

    // Tracking from the carrier's webhook shows newest first.
    const secret = await admin.call('GET', `/brands/${admin.brandId}/webhook-secret`);
    expect(secret.status).toBe(200);
    const body = JSON.stringify({
      events: [
        {
          id: 'evt-1',
          trackingNumber: '1Z999AA10123456784',
          status: 'label_created',
          at: '2026-03-10T09:00:00Z',
        },
        {
          id: 'evt-2',
          trackingNumber: '1Z999AA10123456784',
          status: 'in_transit',
          at: '2026-03-11T14:30:00Z',
          description: 'Departed UPS facility, Chicago IL',
        },
      ],
    });
    const webhook = await fetch(`${e2e.baseUrl}/api/v1/tracking-events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-casebook-brand': admin.brandId,
        'x-casebook-signature': `sha256=${createHmac('sha256', secret.body.data.secret).update(body).digest('hex')}`,
      },
      body,
    });
    expect(webhook.status).toBe(200);
    await page.reload();
    const timeline = card.getByRole('list', { name: 'Tracking events, newest first' });
    await timeline.waitFor();
    const events = await timeline.locator('.timeline-status').allTextContents();
    expect(events).toEqual(['In transit', 'Label created']);
    expect(await timeline.textContent()).toContain('Departed UPS facility, Chicago IL');

    // Someone else moves the PO on meanwhile: the stale change is refused, explained, and the page reloads.
    const otherAgent = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
    const moved = await otherAgent.call('POST', `/purchase-orders/${poId}/status`, {
      status: 'Delivered',
      version: created.body.data.purchaseOrders[0].version + 2,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await button('Returned').click();
    await page.getByRole('dialog', { name: `Set ${poNumber} to Returned` }).waitFor();
    await page.getByRole('button', { name: 'Set Returned' }).click();
    const alert = card.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^The PO changed since you loaded it/);
    await card.locator('.badge', { hasText: 'Delivered' }).waitFor();
    expect(await card.locator('.po-actions').getByRole('button').allTextContents()).toEqual(['Returned']);
  });
});
