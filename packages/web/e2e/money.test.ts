import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * The money side of the order page in a real browser: the demo agent issues a refund and sees it
 * listed, and a refund the drop-ship pack's SOP refuses (full refund of a package returned to sender
 * through the customer's error) shows the rule's reason in the dialog; the customer's store credit
 * shows on the order and is issued on the customer's page.
 */

const PACK_SLUG = 'marketplace-dropship';

describeWithBrowser('money on the order page', () => {
  let e2e: E2E;
  let admin: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('issues a refund and lists it; a refund the SOP refuses shows why', async () => {
    const created = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: 'R-2001',
      channel: 'website',
      customer: { name: 'Rita Return', email: 'rita@example.com' },
      placedAt: '2026-03-09T15:00:00Z',
      shippingCost: 12.5,
      items: [{ sku: 'VAC-5', name: 'Canister vacuum', qty: 1, unitPrice: 219 }],
      purchaseOrders: [
        {
          number: 'PO-R-2001',
          vendor: 'Walmart',
          status: 'Sent to Vendor',
          items: [{ sku: 'VAC-5', qty: 1 }],
        },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const orderId: string = created.body.data.id;
    const poId: string = created.body.data.purchaseOrders[0].id;

    // The package ships and the carrier returns it: wrong apartment number (the customer's error).
    const trackingNumber = '1ZRTS20010000001';
    const shipped = await admin.call('POST', `/purchase-orders/${poId}/shipments`, {
      carrier: 'UPS',
      trackingNumber,
      items: [{ sku: 'VAC-5', qty: 1 }],
    });
    expect(shipped.status, JSON.stringify(shipped.body)).toBeLessThan(300);
    const secret = await admin.call('GET', `/brands/${admin.brandId}/webhook-secret`);
    const body = JSON.stringify({
      events: [
        {
          id: 'evt-rts-2001',
          trackingNumber,
          status: 'returned',
          at: '2026-03-12T10:00:00Z',
          description: 'Returned to shipper: incorrect address',
          returnReason: 'customer_error',
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

    // The customer is known to the helpdesk by the order's email, so the order shows their credit.
    const customer = await admin.call('POST', `/brands/${admin.brandId}/customers`, {
      name: 'Rita Return',
      email: 'rita@example.com',
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);

    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await page.goto(`/b/${admin.brandId}/orders/${orderId}`);
      await page.getByRole('heading', { name: 'Order R-2001' }).waitFor();
      const refunds = page.getByRole('region', { name: 'Refunds and credits' });
      await refunds.getByText('No refunds on this order.').waitFor();
      expect(await refunds.locator('.money-facts').textContent()).toContain('$231.50');

      // A full refund: the pack's rule refuses it, and the dialog says why.
      await refunds.getByRole('button', { name: 'Issue refund' }).click();
      const dialog = page.getByRole('dialog', { name: 'Issue refund' });
      await dialog.waitFor();
      await dialog.getByLabel('Kind').selectOption('full');
      await dialog.getByLabel('Reason').fill('Package came back');
      await dialog.getByRole('button', { name: 'Issue refund' }).click();
      const refusal = dialog.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.getAttribute('data-code')).toBe('guardrail_violation');
      expect(await refusal.textContent()).toContain('returned to sender because of an error on the customer');
      expect(await refusal.textContent()).toContain('credit the cost of the item only, not the shipping');

      // The item's cost instead: issued, and listed on the page.
      await dialog.getByLabel('Kind').selectOption('item_cost');
      await dialog.getByLabel('Reason').fill('Returned to sender: wrong apartment number');
      await dialog.getByRole('button', { name: 'Issue refund' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await refunds.getByRole('status').filter({ hasText: 'Refunded $219.00.' }).waitFor();
      const table = refunds.getByRole('table', { name: 'Refunds' });
      const row = table.getByRole('row', { name: /Item cost only/ });
      expect(await row.textContent()).toContain('$219.00');
      expect(await row.textContent()).toContain('Returned to sender: wrong apartment number');
      expect(await row.textContent()).toContain('agent@example.com');
      expect(await refunds.locator('.money-facts').textContent()).toContain('Partially refunded');

      // The PO's items are fully refunded, so its card says so.
      const card = page.getByRole('article', { name: 'PO-R-2001' });
      await card
        .locator('.po-card-header', { hasText: 'Refunded' })
        .filter({ hasNotText: 'Not refunded' })
        .waitFor();

      // The customer's store credit: on the order, and on the customer's page where it is issued.
      await refunds.getByRole('link', { name: '$0.00' }).click();
      await page.getByRole('heading', { name: 'Rita Return' }).waitFor();
      const credit = page.getByRole('region', { name: 'Store credit' });
      await credit.getByText('No store credit yet.').waitFor();
      const form = credit.getByRole('form', { name: 'Change store credit' });
      await form.getByLabel('Amount').fill('15.00');
      await form.getByLabel('Reason').fill('Sorry for the trouble');
      await form.getByRole('button', { name: 'Save' }).click();
      await credit.getByTestId('store-credit-balance').filter({ hasText: '$15.00' }).waitFor();
      expect(await credit.locator('.money-list').textContent()).toContain(
        'Issued $15.00 → $15.00: Sorry for the trouble',
      );
    } catch (error) {
      await page.screenshot({ path: artifactPath('money-failure.png'), fullPage: true });
      throw error;
    }
  });
});
