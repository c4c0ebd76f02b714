import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 002 ("Order Issue & Escalation Process") procedure by procedure in a real browser, on the
 * store-with-supplier brand, with the server's clock under the test's control: a customer request
 * logged from the ticket and posted to the supplier channel, an item issue with its photo album and
 * a reshipment logged in the finance file, an incorrect address and a return to sender the supplier
 * logs and the agent settles with the customer, a processing delay operations escalates to the
 * supplier, the incident trend (the same issue type on the same SKU three times within seven
 * days), and the chargeback and high fraud risk logs that only operations and the admin see.
 * Out of stock runs in outOfStock.test.ts.
 */

const PACK_SLUG = 'store-supplier';
const CHANNEL = '#9408 MHJ Support NL-Bowen';
const DAY = 24 * 3600_000;
const TEST_MS = 120_000;

describeWithBrowser('seed 002 trackers', () => {
  let now = Date.now();
  const clock = () => new Date(now);
  let e2e: E2E;
  let baseUrl: string;
  let admin: ApiSession;
  let agentApi: ApiSession;
  let brandId: string;
  let serial = 0;

  beforeAll(async () => {
    e2e = await startE2E({ clock });
    baseUrl = e2e.baseUrl;
    admin = await apiSignIn(baseUrl, 'admin@example.com', PACK_SLUG);
    agentApi = await apiSignIn(baseUrl, 'agent@example.com', PACK_SLUG);
    brandId = admin.brandId;
    // The supplier's account works for Bowen, the company the POs go to (known once a PO names it).
    await orderWithTicket('SETUP-1', 'First order');
    const members = await admin.call('GET', `/brands/${brandId}/members`);
    const supplier = members.body.data.find(
      (m: { user: { email: string } }) => m.user.email === 'supplier@example.com',
    );
    const bound = await admin.call('PUT', `/brands/${brandId}/supplier-accounts/${supplier.id}`, {
      vendor: 'Bowen',
    });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function page(email: string): Promise<Page> {
    const p = await e2e.newPage({ width: 1400, height: 900 });
    await signIn(p, email);
    return p;
  }

  /** An order the supplier (Bowen) fulfils, with a ticket from its customer linked to it. */
  async function orderWithTicket(sku: string, subject: string) {
    serial += 1;
    const number = `MHJ-${(Date.now() % 1_000_000) + serial}`;
    const email = `${number.toLowerCase()}@example.com`;
    const order = await admin.call('POST', `/brands/${brandId}/orders`, {
      number,
      channel: 'website',
      customer: { name: 'Mia Jansen', email },
      placedAt: new Date(now - 3 * DAY).toISOString(),
      items: [{ sku, name: 'Jewellery', qty: 1, unitPrice: 39 }],
      purchaseOrders: [{ number: `PO-${number}`, vendor: 'Bowen', items: [{ sku, qty: 1 }] }],
    });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const ticket = await agentApi.call('POST', '/tickets', {
      brandId,
      subject,
      body: `About my order ${number}.`,
      customer: { email, name: 'Mia Jansen' },
      orderNumbers: [number],
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    return { number, orderId: order.body.data.id as string, ticket: ticket.body.data };
  }

  /** Logs a record of `type` from the ticket's Records panel; returns its label ("Requests #3"). */
  async function logFromTicket(
    p: Page,
    ticketId: string,
    type: string,
    fill: (dialog: Locator) => Promise<void>,
  ): Promise<string> {
    await p.goto(`/b/${brandId}/tickets/${ticketId}`);
    const panel = p.locator('section[aria-labelledby="ticket-records-title"]');
    await panel.getByRole('combobox', { name: 'Log a record' }).selectOption({ label: type });
    await panel.getByRole('button', { name: 'Log', exact: true }).click();
    const dialog = p.getByRole('dialog', { name: `Log ${type}` });
    await fill(dialog);
    await dialog.getByRole('button', { name: 'Log record' }).click();
    await dialog.waitFor({ state: 'detached' });
    const link = panel.getByRole('link', { name: new RegExp(`^${escapeRegExp(type)} #\\d+$`) }).last();
    await link.waitFor();
    return (await link.textContent())!;
  }

  /** Opens a record from its tracker's table, as someone who finds it there. */
  async function openFromTable(p: Page, tab: string, label: string) {
    await p.goto(`/b/${brandId}/trackers`);
    await p
      .getByRole('navigation', { name: 'Record types' })
      .getByRole('link', { name: tab, exact: true })
      .click();
    const number = label.replace(/^.* #/, '#');
    await p.locator('.tracker-table').getByRole('link', { name: number, exact: true }).click();
    await p.getByRole('heading', { name: label }).waitFor();
  }

  /** Replies to the customer on the open ticket with a pack macro, filling what the ticket lacks. */
  async function replyWithMacro(p: Page, search: string, name: string, title: string) {
    await p.keyboard.press('m');
    const picker = p.getByRole('dialog', { name: 'Insert a macro' });
    await picker.waitFor();
    await picker.getByLabel('Find a macro').fill(search);
    await picker.getByRole('region', { name: `Preview of ${title}` }).waitFor();
    await picker.getByRole('button', { name: 'Use this macro' }).click();
    await picker.waitFor({ state: 'hidden' });
    const reply = p.getByRole('textbox', { name: 'Reply to the customer' });
    const text = await reply.inputValue();
    if (text.includes('{{')) await reply.fill(text.replace(/\{\{[^}]+\}\}/g, 'see below'));
    await p.getByRole('button', { name: 'Send reply', exact: true }).click();
    await p
      .getByRole('list', { name: 'Conversation' })
      .getByRole('listitem', { name: /^Reply from / })
      .filter({ hasText: `macro ${name}` })
      .waitFor();
  }

  async function move(p: Page, state: string) {
    await p.getByRole('button', { name: `Move to ${state}`, exact: true }).click();
    await p.getByText(new RegExp(`^${escapeRegExp(state)} · logged`)).waitFor();
  }

  async function editFields(
    p: Page,
    label: string,
    values: Record<string, string>,
    choices: Record<string, string> = {},
  ) {
    await p.getByRole('button', { name: 'Edit fields' }).click();
    const edit = p.getByRole('dialog', { name: `Edit ${label}` });
    for (const [field, value] of Object.entries(values)) await edit.getByLabel(field).fill(value);
    for (const [field, value] of Object.entries(choices)) await edit.getByLabel(field).selectOption(value);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
  }

  it(
    'logs a hold request from the ticket, posts it to the supplier channel, and the supplier marks it done',
    async () => {
      const { number, ticket } = await orderWithTicket('RING-3', 'Please hold my order');
      const agent = await page('agent@example.com');
      const label = await logFromTicket(agent, ticket.id, 'Requests', async (d) => {
        await d.getByLabel('request type').selectOption('hold');
        await d.getByLabel('details').fill('Customer is away until Friday; hold the parcel until then.');
        await d.getByLabel(`Posted in ${CHANNEL}`).selectOption('true');
        expect(await d.getByLabel(/^order( \*)?$/).inputValue()).toBe(number);
      });
      const recordNumber = label.replace('Requests #', '');

      // The post in the supplier channel (no screenshot of the sheet or the chat needed).
      await agent.goto(`/b/${brandId}/notifications`);
      const post = agent.getByRole('link', {
        name: `Request #${recordNumber} (hold) for order ${number}: Customer is away until Friday; hold the parcel until then. (logged by Alex Agent)`,
      });
      await post.waitFor();
      expect(await agent.locator('.notification-list li', { has: post }).textContent()).toContain(CHANNEL);

      // The supplier acts on it from their portal's trackers.
      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await openFromTable(supplier, 'Requests', label);
      await supplier
        .locator('.record-fields')
        .getByText('Customer is away until Friday', { exact: false })
        .waitFor();
      await move(supplier, 'Done');
      expect(await supplier.locator('.record-history').textContent()).toContain('moved it to Done');

      // The ticket shows the record and its state.
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      const row = agent
        .locator('section[aria-labelledby="ticket-records-title"] li')
        .filter({ has: agent.getByRole('link', { name: label, exact: true }) });
      await row.getByText('Done', { exact: true }).waitFor();
    },
    TEST_MS,
  );

  it(
    'logs an item issue with its photo album, the supplier reships, and the reshipment goes in the finance file',
    async () => {
      const { number, ticket } = await orderWithTicket('NECKLACE-4', 'Necklace arrived broken');
      const agent = await page('agent@example.com');
      const album = `https://photos.example.com/album/${number}`;
      const label = await logFromTicket(agent, ticket.id, 'Item Issue', async (d) => {
        await d.getByLabel('sku').fill('NECKLACE-4');
        await d.getByLabel('issue type').selectOption('broken');
        await d.getByLabel('description').fill('The chain is snapped in two places.');
        await d.getByLabel('Proofs of Items Delivered album').fill(album);
      });
      const recordNumber = label.replace('Item Issue #', '');
      await agent.goto(`/b/${brandId}/notifications`);
      await agent
        .getByRole('link', {
          name: `Item issue #${recordNumber} (broken, SKU NECKLACE-4) for order ${number}: The chain is snapped in two places. Photos: ${album} (logged by Alex Agent)`,
        })
        .waitFor();

      // The customer's photos go into an album on the record.
      await openFromTable(agent, 'Item Issue', label);
      await agent.getByLabel('Album').fill(`Order ${number}`);
      await agent.getByLabel('Add photos').setInputFiles({
        name: 'snapped-chain.png',
        mimeType: 'image/png',
        buffer: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
          'base64',
        ),
      });
      await agent.getByRole('heading', { name: `Order ${number}`, level: 3 }).waitFor();
      await agent.locator('.record-evidence').getByRole('link', { name: 'snapped-chain.png' }).waitFor();
      await move(agent, 'Posted to supplier');

      // The supplier sends the replacement and says so on the record.
      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await openFromTable(supplier, 'Item Issue', label);
      await move(supplier, 'Reshipment sent');

      // The agent logs the reshipment in the finance file (BIG5 Refund) and links it to the issue.
      await agent.reload();
      await agent.getByText(/^Reshipment sent · logged/).waitFor();
      await editFields(agent, label, {}, { resolution: 'reshipment' });
      await agent.goto(`/b/${brandId}/trackers/reshipment`);
      await agent.getByRole('button', { name: 'Log Reshipment (BIG5 Refund)' }).click();
      const finance = agent.getByRole('dialog', { name: 'Log Reshipment (BIG5 Refund)' });
      await finance.getByLabel(/^order( \*)?$/).fill(number);
      await finance.getByLabel('items').fill('1 × NECKLACE-4');
      await finance.getByLabel('reason').fill(`Broken on arrival (${label})`);
      await finance.getByLabel('approved by').fill('Kim');
      await finance.getByLabel('tagged done on').fill(new Date(now).toISOString().slice(0, 10));
      await finance.getByRole('button', { name: 'Log record' }).click();
      const reshipment = agent.getByRole('heading', { name: /^Reshipment \(BIG5 Refund\) #\d+$/ });
      await reshipment.waitFor();
      expect(await agent.locator('.record-links').textContent()).toContain(`Order ${number}`);
      const linkForm = agent.getByRole('form', { name: 'Link this record' });
      await linkForm.getByLabel('Link to').selectOption({ label: 'Another record' });
      await linkForm.getByLabel('Number').fill(recordNumber);
      await linkForm.getByRole('button', { name: 'Link' }).click();
      await agent.locator('.record-links').getByRole('link', { name: label }).waitFor();

      // The issue is done; its history holds every step.
      await agent.locator('.record-links').getByRole('link', { name: label }).click();
      await agent.getByRole('heading', { name: label }).waitFor();
      await move(agent, 'Done');
      await agent.locator('.record-fields').getByText('reshipment', { exact: true }).waitFor();
      const history = (await agent.locator('.record-history').textContent()) ?? '';
      for (const step of [
        'logged the record',
        'added evidence',
        'moved it to Posted to supplier',
        'moved it to Reshipment sent',
        'changed fields',
        'moved it to Done',
      ])
        expect(history).toContain(step);
      await agent.screenshot({ path: artifactPath('seed002-item-issue.png'), fullPage: true });
    },
    TEST_MS,
  );

  it(
    'the supplier logs an incorrect address; the agent confirms it with the customer and sends it back',
    async () => {
      const { number, ticket } = await orderWithTicket('BANGLE-1', 'Where is my order?');
      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await supplier.goto(`/b/${brandId}/trackers`);
      await supplier.getByRole('link', { name: 'Incorrect Address Order', exact: true }).click();
      await supplier.getByRole('button', { name: 'Log Incorrect Address Order' }).click();
      const dialog = supplier.getByRole('dialog', { name: 'Log Incorrect Address Order' });
      await dialog.getByLabel(/^order( \*)?$/).fill(number);
      await dialog.getByLabel('Detail to confirm').selectOption('phone');
      await dialog.getByLabel('current value').fill('+31 6 000');
      await dialog.getByRole('button', { name: 'Log record' }).click();
      const heading = supplier.getByRole('heading', { name: /^Incorrect Address Order #\d+$/ });
      await heading.waitFor();
      const label = (await heading.textContent())!;
      await supplier.getByText(/^Logged by supplier · logged/).waitFor();

      // The agent emails the customer from the ticket and notes the record on it.
      const agent = await page('agent@example.com');
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      await agent.getByRole('heading', { name: new RegExp(`#${ticket.number} `) }).waitFor();
      await replyWithMacro(
        agent,
        'confirm order details',
        'MHJ - Confirm Order Details',
        'Confirm shipping, phone, name or tax number',
      );
      await openFromTable(agent, 'Incorrect Address Order', label);
      const linkForm = agent.getByRole('form', { name: 'Link this record' });
      await linkForm.getByLabel('Link to').selectOption({ label: 'Ticket' });
      await linkForm.getByLabel('Number').fill(String(ticket.number));
      await linkForm.getByRole('button', { name: 'Link' }).click();
      await agent
        .locator('.record-links')
        .getByRole('link', { name: `Ticket #${ticket.number}` })
        .waitFor();
      await move(agent, 'Customer contacted');

      // The customer answers; the agent records the confirmed number and hands it back.
      await editFields(agent, label, { 'confirmed value': '+31 6 1234 5678' });
      await move(agent, 'Confirmed');
      await move(agent, 'Sent to supplier');

      await supplier.reload();
      await supplier.getByText(/^Sent to supplier · logged/).waitFor();
      await supplier.locator('.record-fields').getByText('+31 6 1234 5678').waitFor();
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      await agent
        .locator('section[aria-labelledby="ticket-records-title"]')
        .getByRole('link', { name: label, exact: true })
        .waitFor();
    },
    TEST_MS,
  );

  it(
    'the supplier logs a return to sender; the agent emails the customer, who wants it reshipped, and confirms the address',
    async () => {
      const { number, ticket } = await orderWithTicket('ANKLET-2', 'Has my order shipped?');
      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await supplier.goto(`/b/${brandId}/trackers`);
      await supplier
        .getByRole('link', { name: 'Pick Up Order / Return to Sender (RTS)', exact: true })
        .click();
      await supplier.getByRole('button', { name: 'Log Pick Up Order / Return to Sender (RTS)' }).click();
      const dialog = supplier.getByRole('dialog', { name: 'Log Pick Up Order / Return to Sender (RTS)' });
      await dialog.getByLabel(/^order( \*)?$/).fill(number);
      await dialog.getByLabel('kind').selectOption('return_to_sender');
      await dialog.getByLabel('tracking number').fill(`3SRTS${number}`);
      await dialog.getByRole('button', { name: 'Log record' }).click();
      const heading = supplier.getByRole('heading', {
        name: /^Pick Up Order \/ Return to Sender \(RTS\) #\d+$/,
      });
      await heading.waitFor();
      const label = (await heading.textContent())!;

      const agent = await page('agent@example.com');
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      await agent.getByRole('heading', { name: new RegExp(`#${ticket.number} `) }).waitFor();
      await replyWithMacro(
        agent,
        'returned to sender',
        'MHJ - Returned to Sender',
        'Parcel returned to sender, ask what the customer wants',
      );
      await openFromTable(agent, 'Pick Up Order / Return to Sender (RTS)', label);
      await move(agent, 'Customer emailed');

      // The customer asks for a reshipment: the agent confirms the address, then asks for it.
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      await agent.getByRole('heading', { name: new RegExp(`#${ticket.number} `) }).waitFor();
      await replyWithMacro(
        agent,
        'confirm address for reshipment',
        'MHJ - Confirm Address for Reshipment',
        'Confirm the address before reshipping',
      );
      await openFromTable(agent, 'Pick Up Order / Return to Sender (RTS)', label);
      await editFields(agent, label, {}, { 'customer decision': 'reship' });
      await move(agent, 'Reshipment requested');
      const history = (await agent.locator('.record-history').textContent()) ?? '';
      expect(history).toContain('moved it to Customer emailed');
      expect(history).toContain('moved it to Reshipment requested');

      await supplier.reload();
      await supplier.getByText(/^Reshipment requested · logged/).waitFor();
      await supplier.locator('.record-fields').getByText('reship', { exact: true }).waitFor();
    },
    TEST_MS,
  );

  it(
    'the supplier logs a parcel waiting at a pick-up point; the agent emails the pick-up instructions and it is collected',
    async () => {
      const { number, ticket } = await orderWithTicket('BROOCH-5', 'My parcel is not at home');
      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await supplier.goto(`/b/${brandId}/trackers/pickup_rts`);
      await supplier.getByRole('button', { name: 'Log Pick Up Order / Return to Sender (RTS)' }).click();
      const dialog = supplier.getByRole('dialog', { name: 'Log Pick Up Order / Return to Sender (RTS)' });
      await dialog.getByLabel(/^order( \*)?$/).fill(number);
      await dialog.getByLabel('kind').selectOption('pickup');
      await dialog.getByLabel('pickup point').fill('PostNL point, Bakkerstraat 4, Utrecht');
      await dialog.getByRole('button', { name: 'Log record' }).click();
      const heading = supplier.getByRole('heading', {
        name: /^Pick Up Order \/ Return to Sender \(RTS\) #\d+$/,
      });
      await heading.waitFor();
      const label = (await heading.textContent())!;

      const agent = await page('agent@example.com');
      await agent.goto(`/b/${brandId}/tickets/${ticket.id}`);
      await agent.getByRole('heading', { name: new RegExp(`#${ticket.number} `) }).waitFor();
      await replyWithMacro(
        agent,
        'pickup instructions',
        'MHJ - Pickup Instructions',
        'Parcel waiting at a pick-up point',
      );
      await openFromTable(agent, 'Pick Up Order / Return to Sender (RTS)', label);
      await agent.locator('.record-fields').getByText('PostNL point, Bakkerstraat 4, Utrecht').waitFor();
      await move(agent, 'Customer emailed');
      await editFields(agent, label, {}, { 'customer decision': 'collect' });
      await move(agent, 'Collected');
      const history = (await agent.locator('.record-history').textContent()) ?? '';
      expect(history).toContain('moved it to Customer emailed');
      expect(history).toContain('moved it to Collected');
    },
    TEST_MS,
  );

  it(
    'operations logs an order at risk of delay, escalates it to the supplier, who confirms the cause',
    async () => {
      const { number } = await orderWithTicket('CHAIN-8', 'Order still processing');
      const ops = await page('ops@example.com');
      await ops.goto(`/b/${brandId}/trackers`);
      await ops.getByRole('link', { name: 'Order Processing Delay', exact: true }).click();
      await ops.getByRole('button', { name: 'Log Order Processing Delay' }).click();
      const dialog = ops.getByRole('dialog', { name: 'Log Order Processing Delay' });
      await dialog.getByLabel(/^order( \*)?$/).fill(number);
      await dialog.getByLabel('Why the order is at risk').fill('Three days unfulfilled in Shopify.');
      await dialog.getByRole('button', { name: 'Log record' }).click();
      const heading = ops.getByRole('heading', { name: /^Order Processing Delay #\d+$/ });
      await heading.waitFor();
      const label = (await heading.textContent())!;
      await move(ops, 'Escalated to supplier');

      const supplier = await page('supplier@example.com');
      await supplier.waitForURL(`**/b/${brandId}/supplier`);
      await openFromTable(supplier, 'Order Processing Delay', label);
      await editFields(supplier, label, {
        'Cause confirmed by the supplier': 'Clasp supplier late; ships Monday.',
      });
      await move(supplier, 'Cause confirmed');

      await ops.reload();
      await ops.getByText(/^Cause confirmed · logged/).waitFor();
      await ops.locator('.record-fields').getByText('Clasp supplier late; ships Monday.').waitFor();
      const history = (await ops.locator('.record-history').textContent()) ?? '';
      expect(history).toContain('moved it to Escalated to supplier');
      expect(history).toContain('moved it to Cause confirmed');
    },
    TEST_MS,
  );

  it(
    'raises a trending incident when the same issue type hits the same SKU three times within seven days',
    async () => {
      const sku = `EARRING-${Date.now() % 10000}`;
      const logBroken = async (order: string) => {
        const res = await agentApi.call('POST', `/brands/${brandId}/trackers/item_issue/records`, {
          fields: {
            order,
            sku,
            issue_type: 'broken',
            description: 'Hook bent',
            proof_album_link: `https://photos.example.com/album/${order}`,
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        return res.body;
      };
      const incidents = async () =>
        (await agentApi.call('GET', `/brands/${brandId}/trackers/incident/records`)).body.data.filter(
          (r: { fields: { issue?: string } }) => r.fields.issue?.includes(sku),
        );
      // Earlier reports: one eight days before the others, which is outside the window.
      const first = await orderWithTicket(sku, 'Earring hook bent');
      await logBroken(first.number);
      now += 8 * DAY;
      const second = await orderWithTicket(sku, 'Earring hook bent');
      expect((await logBroken(second.number)).raised).toBeNull();
      now += 2 * DAY;
      const third = await orderWithTicket(sku, 'Earring hook bent');
      expect((await logBroken(third.number)).raised).toBeNull();
      expect(await incidents()).toEqual([]);

      // Four days later the agent logs the third within seven days, from the ticket.
      now += 4 * DAY;
      const fourth = await orderWithTicket(sku, 'Earring hook bent again');
      const agent = await page('agent@example.com');
      await logFromTicket(agent, fourth.ticket.id, 'Item Issue', async (d) => {
        await d.getByLabel('sku').fill(sku);
        await d.getByLabel('issue type').selectOption('broken');
        await d.getByLabel('description').fill('Hook bent on arrival');
        await d
          .getByLabel('Proofs of Items Delivered album')
          .fill(`https://photos.example.com/album/${fourth.number}`);
      });

      await agent.goto(`/b/${brandId}/trackers`);
      await agent.getByRole('link', { name: 'Ticket Issue (Incident Report Form)', exact: true }).click();
      const row = agent.locator('.tracker-table tbody tr').filter({ hasText: sku });
      await row.waitFor();
      expect(await row.count()).toBe(1);
      expect(await row.textContent()).toContain('recurring');
      await row.getByRole('link', { name: /^#\d+$/ }).click();
      await agent.getByRole('heading', { name: /^Ticket Issue \(Incident Report Form\) #\d+$/ }).waitFor();
      const links = agent.locator('.record-links li');
      await expect.poll(() => links.count()).toBe(3);
      expect(await agent.locator('.record-history').textContent()).toMatch(
        /trend-detection.*logged the record/,
      );
      await agent.screenshot({ path: artifactPath('seed002-incident-trend.png'), fullPage: true });

      // An agent also logs a new ticket issue by hand on the same form.
      await agent.getByRole('link', { name: /← Ticket Issue/ }).click();
      await agent.getByRole('button', { name: 'Log Ticket Issue (Incident Report Form)' }).click();
      const form = agent.getByRole('dialog', { name: 'Log Ticket Issue (Incident Report Form)' });
      await form.getByLabel(/^issue( \*)?$/).fill('Jewellery missing inside the box');
      await form.getByLabel('Tickets that show the issue').fill(`#${fourth.ticket.number}`);
      await form.getByLabel('severity').selectOption('urgent');
      await form.getByRole('button', { name: 'Log record' }).click();
      await agent.getByRole('heading', { name: /^Ticket Issue \(Incident Report Form\) #\d+$/ }).waitFor();
      await agent.getByText(/^Reported · logged/).waitFor();
    },
    TEST_MS,
  );

  it(
    'keeps chargebacks and high fraud risk orders to operations and the admin',
    async () => {
      const { number } = await orderWithTicket('RING-9', 'Payment question');
      const ops = await page('ops@example.com');
      await ops.goto(`/b/${brandId}/trackers`);
      await ops.getByRole('link', { name: 'Chargeback', exact: true }).click();
      await ops.getByRole('button', { name: 'Log Chargeback' }).click();
      const dialog = ops.getByRole('dialog', { name: 'Log Chargeback' });
      await dialog.getByLabel(/^order( \*)?$/).fill(number);
      await dialog.getByLabel('case source').selectOption('Chargeback.io');
      await dialog.getByLabel('amount').fill('39.00');
      await dialog.getByRole('button', { name: 'Log record' }).click();
      await ops.getByRole('heading', { name: /^Chargeback #\d+$/ }).waitFor();
      const chargebackUrl = new URL(ops.url()).pathname;
      await move(ops, 'Evidence submitted');

      await ops.goto(`/b/${brandId}/trackers`);
      await ops.getByRole('link', { name: 'High Fraud Risk Order', exact: true }).click();
      await ops.getByRole('button', { name: 'Log High Fraud Risk Order' }).click();
      const fraud = ops.getByRole('dialog', { name: 'Log High Fraud Risk Order' });
      await fraud.getByLabel(/^order( \*)?$/).fill(number);
      await fraud
        .getByLabel('Risk signals')
        .fill('Billing and shipping countries differ; three cards tried.');
      await fraud.getByRole('button', { name: 'Log record' }).click();
      await ops.getByRole('heading', { name: /^High Fraud Risk Order #\d+$/ }).waitFor();
      await move(ops, 'On hold');

      // The admin (Loise) sees both logs.
      const adminPage = await page('admin@example.com');
      await adminPage.goto(chargebackUrl);
      await adminPage.getByText(/^Evidence submitted · logged/).waitFor();

      // Agents and the supplier see neither: not in their trackers, not by the record's address.
      for (const email of ['agent@example.com', 'supplier@example.com']) {
        const other = await page(email);
        await other.goto(`/b/${brandId}/trackers`);
        const tabs = other.getByRole('navigation', { name: 'Record types' });
        await tabs.getByRole('link').first().waitFor();
        const names = await tabs.getByRole('link').allTextContents();
        expect(names).not.toContain('Chargeback');
        expect(names).not.toContain('High Fraud Risk Order');
        await other.goto(chargebackUrl);
        await other
          .getByRole('alert')
          .filter({ hasText: /not found|No such record/i })
          .waitFor();
        expect(await other.getByRole('heading', { name: /^Chargeback #/ }).count()).toBe(0);
      }
    },
    TEST_MS,
  );
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
