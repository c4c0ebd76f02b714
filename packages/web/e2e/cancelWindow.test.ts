import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 004's cancellation window in a real browser: an agent of the fashion-leads brand may cancel
 * an order within 60 minutes of it being placed; two hours on, the order page refuses with the
 * rule's reason (file an HPER), and once the leadership has filed an HPER for the order the same
 * button cancels it.
 */

const PACK_SLUG = 'fashion-leads';

describeWithBrowser('cancellation window', () => {
  let e2e: E2E;
  let admin: ApiSession;
  let agent: ApiSession;
  let lead: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    agent = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
    lead = await apiSignIn(e2e.baseUrl, 'lead@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('refuses a late cancellation on the order page with the reason, and cancels once an HPER is filed', async () => {
    const number = `FL-${Date.now()}`;
    const placed = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number,
      channel: 'website',
      placedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
      items: [{ sku: 'DRESS-1', name: 'Wrap dress', qty: 1, unitPrice: 59.9 }],
      purchaseOrders: [
        { number: `${number}-PO`, vendor: 'ModCloth DC', items: [{ sku: 'DRESS-1', qty: 1 }] },
      ],
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId: string = placed.body.data.id;

    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await page.getByRole('combobox', { name: 'Brand' }).selectOption(agent.brandId);
      await page.goto(`/b/${agent.brandId}/orders/${orderId}`);
      await page.getByRole('heading', { name: `Order ${number}` }).waitFor();

      await page.getByRole('button', { name: 'Cancel order' }).click();
      const dialog = page.getByRole('dialog', { name: `Cancel order ${number}` });
      await dialog.getByLabel('Reason (optional)').fill('Customer ordered the wrong size');
      await dialog.getByRole('button', { name: 'Cancel the order' }).click();
      const refusal = dialog.getByRole('alert');
      await refusal.waitFor();
      const reason = (await refusal.textContent()) ?? '';
      expect(reason).toContain('outside the 60 minute cancellation window');
      expect(reason).toContain('File an HPER');
      await page.screenshot({ path: artifactPath('cancel-window-refused.png') });
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      expect(await page.getByText('Canceled', { exact: true }).count()).toBe(0);

      // The agent asks for the exception; the lead files it.
      const hper = await agent.call('POST', `/brands/${agent.brandId}/approvals`, {
        type: 'hper',
        fields: {
          order: number,
          kind: 'Cancellation outside the 60 minute window',
          minutes_since_placed: 120,
        },
      });
      expect(hper.status, JSON.stringify(hper.body)).toBe(201);
      const filed = await lead.call('POST', `/approvals/${hper.body.data.id}/steps`, { step: 'file' });
      expect(filed.status, JSON.stringify(filed.body)).toBe(200);

      await page.getByRole('button', { name: 'Cancel order' }).click();
      await dialog.getByRole('button', { name: 'Cancel the order' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('Canceled', { exact: true }).first().waitFor();
    } finally {
      await page.context().close();
    }
  });
});
