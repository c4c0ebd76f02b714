import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 002's out-of-stock procedure end to end in the browser: the supplier (Bowen) logs an order
 * with an out-of-stock item from their portal, operations (Kim) gives alternatives on the record,
 * and the supplier sources one of them. Each step lands in the record's history.
 */

const PACK_SLUG = 'store-supplier';

describeWithBrowser('out of stock (seed 002)', () => {
  let e2e: E2E;
  let admin: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('supplier logs it, operations gives alternatives, the supplier sources one', async () => {
    const orderNumber = `MHJ-OOS-${Date.now()}`;
    const order = await admin.call('POST', `/brands/${admin.brandId}/orders`, {
      number: orderNumber,
      channel: 'website',
      placedAt: '2026-03-01T10:00:00Z',
      items: [{ sku: 'BRACELET-7', name: 'Bracelet', qty: 1, unitPrice: 35 }],
      purchaseOrders: [
        { number: `PO-${orderNumber}`, vendor: 'Bowen', items: [{ sku: 'BRACELET-7', qty: 1 }] },
      ],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const members = await admin.call('GET', `/brands/${admin.brandId}/members`);
    const supplierMember = members.body.data.find(
      (m: { user: { email: string } }) => m.user.email === 'supplier@example.com',
    );
    const bound = await admin.call('PUT', `/brands/${admin.brandId}/supplier-accounts/${supplierMember.id}`, {
      vendor: 'Bowen',
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);

    // 1. The supplier logs the out-of-stock item from their portal.
    const supplier = await e2e.newPage();
    await signIn(supplier, 'supplier@example.com');
    await supplier.waitForURL(`**/b/${admin.brandId}/supplier`);
    await supplier
      .locator('.supplier-panel')
      .getByRole('cell', { name: `PO-${orderNumber}`, exact: true })
      .waitFor();
    await supplier.getByRole('link', { name: 'Log a record' }).click();
    await supplier.getByRole('link', { name: 'Out of Stock', exact: true }).click();
    await supplier.getByRole('button', { name: 'Log Out of Stock' }).click();
    const dialog = supplier.getByRole('dialog', { name: 'Log Out of Stock' });
    await dialog.getByLabel('order').fill(orderNumber);
    await dialog.getByLabel('sku').fill('BRACELET-7');
    await dialog.getByLabel('Product name').fill('Silver bracelet');
    await dialog.getByRole('button', { name: 'Log record' }).click();
    const heading = supplier.getByRole('heading', { name: /^Out of Stock #\d+$/ });
    await heading.waitFor();
    const recordUrl = new URL(supplier.url()).pathname;
    const label = (await heading.textContent())!;
    expect(await supplier.locator('.record-links').textContent()).toContain(`PO PO-${orderNumber}`);
    await supplier.getByText(/^Logged · logged/).waitFor();

    // 2. Operations gives alternatives and moves the record on.
    const ops = await e2e.newPage();
    await signIn(ops, 'ops@example.com');
    await ops.goto(recordUrl);
    await ops.getByRole('heading', { name: label }).waitFor();
    await ops.getByRole('button', { name: 'Edit fields' }).click();
    const edit = ops.getByRole('dialog', { name: `Edit ${label}` });
    await edit
      .getByLabel('Alternatives given by operations')
      .fill('Gold bracelet BRACELET-8, or rose gold BRACELET-9');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await ops.getByRole('button', { name: 'Move to Alternatives given' }).click();
    await ops.getByText(/^Alternatives given · logged/).waitFor();

    // 3. The supplier sees the alternatives, sources one and marks it sourced.
    await supplier.reload();
    await supplier.getByText(/^Alternatives given · logged/).waitFor();
    await supplier
      .locator('.record-fields')
      .getByText('Gold bracelet BRACELET-8, or rose gold BRACELET-9')
      .waitFor();
    await supplier.getByRole('button', { name: 'Edit fields' }).click();
    const sourcing = supplier.getByRole('dialog', { name: `Edit ${label}` });
    await sourcing.getByLabel('Option the supplier sourced').fill('BRACELET-8');
    await sourcing.getByRole('button', { name: 'Save' }).click();
    await sourcing.waitFor({ state: 'detached' });
    await supplier.getByRole('button', { name: 'Move to Sourced' }).click();
    await supplier.getByText(/^Sourced · logged/).waitFor();
    await supplier.locator('.record-fields').getByText('BRACELET-8', { exact: true }).waitFor();
    const history = (await supplier.locator('.record-history').textContent()) ?? '';
    expect(history).toContain('logged the record');
    expect(history).toContain('moved it to Alternatives given');
    expect(history).toContain('moved it to Sourced');
    await supplier.screenshot({ path: artifactPath('out-of-stock-sourced.png'), fullPage: true });

    // The brand's table shows it sourced, with the option the supplier took.
    const records = await admin.call('GET', `/brands/${admin.brandId}/trackers/out_of_stock/records`);
    const row = records.body.data.find((r: { label: string }) => r.label === label);
    expect(row).toMatchObject({ state: 'Sourced', fields: { sourced_option: 'BRACELET-8' } });
  });
});
