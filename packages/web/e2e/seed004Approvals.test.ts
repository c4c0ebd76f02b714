import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 004 ("Leads Only Duties!") procedure by procedure in a real browser, on the fashion-leads
 * brand: an HPER for a cancellation outside the 60 minute window asked by an advocate, filed by a
 * lead (posted to the leadership's GChat) and the cancellation going through; HPERs for same day
 * shipping (not necessary, with the reason) and an address change (filed by the ASL); a store
 * credit removal denied with a reason, and one approved, which freezes every credit on the
 * account until the shift lead processes the MRR; bug reports with the customer's support
 * details, deduplicated; and the coupon pool's low-stock alert to the leads, who add codes.
 * (The approve → MRR path with the SA's read-only view runs in approvals.test.ts.)
 */

const PACK_SLUG = 'fashion-leads';
const TEST_MS = 120_000;

describeWithBrowser('seed 004 approvals', () => {
  let e2e: E2E;
  let admin: ApiSession;
  let agentApi: ApiSession;
  let leadApi: ApiSession;
  let brandId: string;
  let serial = 0;

  beforeAll(async () => {
    e2e = await startE2E();
    admin = await apiSignIn(e2e.baseUrl, 'admin@example.com', PACK_SLUG);
    agentApi = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
    leadApi = await apiSignIn(e2e.baseUrl, 'lead@example.com', PACK_SLUG);
    brandId = admin.brandId;
  });

  afterAll(async () => {
    await e2e?.close();
  });

  async function page(email: string): Promise<Page> {
    const p = await e2e.newPage();
    await signIn(p, email);
    return p;
  }

  /** An order placed `minutesAgo` minutes ago, not shipped. */
  async function order(minutesAgo: number, email?: string): Promise<{ number: string; id: string }> {
    serial += 1;
    const number = `MC-${(Date.now() % 1_000_000) + serial}`;
    const res = await admin.call('POST', `/brands/${brandId}/orders`, {
      number,
      channel: 'website',
      ...(email ? { customer: { name: 'Casey Customer', email } } : {}),
      placedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      items: [{ sku: 'DRESS-2', name: 'Tea dress', qty: 1, unitPrice: 59.9 }],
      purchaseOrders: [
        { number: `${number}-PO`, vendor: 'ModCloth DC', items: [{ sku: 'DRESS-2', qty: 1 }] },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { number, id: res.body.data.id };
  }

  /** Fills the Approvals area's request form for `type` and sends it; returns the list link. */
  async function request(
    p: Page,
    type: string,
    fields: Record<string, string>,
    choices: Record<string, string> = {},
  ) {
    await p.goto(`/b/${brandId}/approvals`);
    await p.getByLabel('New request').selectOption({ label: type });
    for (const [label, value] of Object.entries(fields))
      await p.getByLabel(label, { exact: true }).fill(value);
    for (const [label, value] of Object.entries(choices))
      await p.getByLabel(label, { exact: true }).selectOption({ label: value });
    await p.getByRole('button', { name: 'Send request' }).click();
  }

  async function openRequest(p: Page, name: RegExp) {
    await p.goto(`/b/${brandId}/approvals`);
    await p.getByRole('link', { name }).click();
    await p.getByRole('heading', { name }).waitFor();
  }

  const decide = (p: Page) => p.getByRole('region', { name: 'Decide' });

  it(
    'runs an HPER for a cancellation outside the 60 minute window: the advocate asks, a lead files it, the order is cancelled',
    async () => {
      const { number, id } = await order(120);
      const agent = await page('agent@example.com');

      // Outside the window the agent's cancellation is refused with the rule's reason.
      await agent.goto(`/b/${brandId}/orders/${id}`);
      await agent.getByRole('button', { name: 'Cancel order' }).click();
      const dialog = agent.getByRole('dialog', { name: `Cancel order ${number}` });
      await dialog.getByRole('button', { name: 'Cancel the order' }).click();
      expect(await dialog.getByRole('alert').textContent()).toContain('File an HPER');
      await dialog.getByRole('button', { name: 'Keep it' }).click();

      // The advocate asks leadership in the Approvals area, and may not file it themselves.
      await request(
        agent,
        'High priority exception request (HPER)',
        { 'Order (required)': number, 'Minutes since the order was placed': '120' },
        { 'Exception (required)': 'Cancellation outside the 60 minute window' },
      );
      const name = new RegExp(`High priority exception request \\(HPER\\): ${number}`);
      await agent.getByRole('link', { name }).waitFor();
      await openRequest(agent, name);
      await agent.getByText('State: requested.', { exact: false }).waitFor();
      expect(await decide(agent).count()).toBe(0);

      // The lead decides it is necessary and files it; the leadership's GChat hears of it.
      const lead = await page('lead@example.com');
      await openRequest(lead, name);
      await decide(lead).getByRole('button', { name: 'File the HPER' }).click();
      const posted = `Leadership GChat: HPER filed for order ${number}: Cancellation outside the 60 minute window`;
      await lead.getByRole('status').filter({ hasText: posted }).waitFor();
      await lead.getByText(/State: filed\./).waitFor();
      await lead.goto(`/b/${brandId}/notifications`);
      await lead
        .getByRole('link', {
          name: `HPER filed for order ${number}: Cancellation outside the 60 minute window`,
        })
        .waitFor();

      // With the HPER filed the cancellation goes through.
      await agent.goto(`/b/${brandId}/orders/${id}`);
      await agent.getByRole('button', { name: 'Cancel order' }).click();
      await dialog.getByRole('button', { name: 'Cancel the order' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await agent.getByText('Canceled', { exact: true }).first().waitFor();
      await agent.screenshot({ path: artifactPath('seed004-hper-cancelled.png') });
    },
    TEST_MS,
  );

  it(
    'runs HPERs for same day shipping (not necessary, with the reason), an address change (filed by the ASL) and a shipping method change (filed by the SA)',
    async () => {
      const sameDay = await order(30);
      const moved = await order(90);
      const agent = await page('agent@example.com');
      await request(
        agent,
        'High priority exception request (HPER)',
        {
          'Order (required)': sameDay.number,
          'What the customer asked for (new address, shipping method...)': 'Needs it for a wedding tomorrow',
        },
        { 'Exception (required)': 'Same day shipping' },
      );
      await request(
        agent,
        'High priority exception request (HPER)',
        {
          'Order (required)': moved.number,
          'What the customer asked for (new address, shipping method...)': '12 Elm St, Pittsburgh PA 15213',
        },
        { 'Exception (required)': 'Shipping address change' },
      );
      const method = await order(75);
      await request(
        agent,
        'High priority exception request (HPER)',
        {
          'Order (required)': method.number,
          'What the customer asked for (new address, shipping method...)': 'Upgrade to overnight',
        },
        { 'Exception (required)': 'Shipping method change' },
      );

      // The SA does not think same day shipping is necessary; the reason is required.
      const sa = await page('sa@example.com');
      const sameDayName = new RegExp(`HPER\\): ${sameDay.number} · Same day shipping`);
      await openRequest(sa, sameDayName);
      await decide(sa).getByRole('button', { name: 'Not necessary' }).click();
      await sa.getByRole('alert').filter({ hasText: /note/ }).waitFor();
      await sa.getByLabel(/^Note/).fill('Standard shipping arrives in time for the date given.');
      await decide(sa).getByRole('button', { name: 'Not necessary' }).click();
      await sa.getByText(/State: denied\./).waitFor();

      // The ASL files the address change.
      const asl = await page('asl@example.com');
      const movedName = new RegExp(`HPER\\): ${moved.number} · Shipping address change`);
      await openRequest(asl, movedName);
      await decide(asl).getByRole('button', { name: 'File the HPER' }).click();
      await asl
        .getByRole('status')
        .filter({ hasText: `HPER filed for order ${moved.number}: Shipping address change` })
        .waitFor();

      // The SA files the shipping method change.
      const methodName = new RegExp(`HPER\\): ${method.number} · Shipping method change`);
      await openRequest(sa, methodName);
      await decide(sa).getByRole('button', { name: 'File the HPER' }).click();
      await sa
        .getByRole('status')
        .filter({ hasText: `HPER filed for order ${method.number}: Shipping method change` })
        .waitFor();

      // The advocate sees the outcomes, with the SA's reason, to tell the customer.
      await openRequest(agent, sameDayName);
      await agent.getByText('State: denied.', { exact: false }).waitFor();
      await agent
        .getByText('“Standard shipping arrives in time for the date given.”', { exact: false })
        .first()
        .waitFor();
      await agent.goto(`/b/${brandId}/approvals`);
      const row = agent.getByRole('row').filter({ has: agent.getByRole('link', { name: movedName }) });
      expect(await row.getByRole('cell').nth(1).textContent()).toBe('filed');
    },
    TEST_MS,
  );

  it(
    'denies a store credit removal with a reason; approves another, which freezes all credit until the lead processes the MRR',
    async () => {
      const email = `credit-${Date.now()}@example.com`;
      const ticket = await agentApi.call('POST', '/tickets', {
        brandId,
        subject: 'I wanted my money back',
        body: 'You gave me store credit twice, but I asked for refunds.',
        customer: { email, name: 'Casey Customer' },
      });
      expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
      const customerId: string = ticket.body.data.customerId;
      const first = await order(3000, email);
      const second = await order(2000, email);
      for (const [amount, reason] of [
        [1000, 'Earlier goodwill credit'],
        [4990, `Return of ${first.number}`],
        [5990, `Return of ${second.number}`],
      ] as const) {
        const credit = await leadApi.call('POST', `/customers/${customerId}/store-credit`, {
          kind: 'issue',
          amount,
          reason,
        });
        expect(credit.status, JSON.stringify(credit.body)).toBe(201);
      }

      // 1. The advocate asks; the SA says no, with the reason; nothing is frozen.
      const agent = await page('agent@example.com');
      await request(agent, 'Store credit removal', {
        'Order (required)': first.number,
        'Store credit issued instead of the refund (required)': '49.90',
        'Ticket (id, optional)': ticket.body.data.id,
      });
      await agent.getByRole('status').filter({ hasText: '10-15 business days' }).waitFor();
      const firstName = new RegExp(`Store credit removal: ${first.number}`);
      const sa = await page('sa@example.com');
      await openRequest(sa, firstName);
      await decide(sa).getByRole('button', { name: 'Deny', exact: true }).click();
      await sa.getByRole('alert').filter({ hasText: /note/ }).waitFor();
      await sa.getByLabel(/^Note/).fill('The credit was the appeasement the customer accepted.');
      await decide(sa).getByRole('button', { name: 'Deny', exact: true }).click();
      await sa.getByText(/State: denied\./).waitFor();
      await agent.goto(`/b/${brandId}/customers/${customerId}`);
      const credit = agent.getByRole('region', { name: 'Store credit' });
      await credit.getByTestId('store-credit-balance').filter({ hasText: '$119.80' }).waitFor();
      expect(await credit.getByText(/^Frozen since/).count()).toBe(0);

      // 2. A lead asks for the second one; nobody approves their own request.
      const lead = await page('lead@example.com');
      await lead.goto(`/b/${brandId}/customers/${customerId}`);
      const usable = lead
        .getByRole('region', { name: 'Store credit' })
        .getByRole('form', { name: 'Change store credit' })
        .getByLabel('Change');
      await usable.waitFor();
      expect(await usable.locator('option').allTextContents()).toEqual(['Issue credit', 'Use credit']);
      await request(lead, 'Store credit removal', {
        'Order (required)': second.number,
        'Store credit issued instead of the refund (required)': '59.90',
        'Store credit the account held before (also frozen during the removal)': '10.00',
        'Ticket (id, optional)': ticket.body.data.id,
      });
      const secondName = new RegExp(`Store credit removal: ${second.number}`);
      await openRequest(lead, secondName);
      expect(await decide(lead).count()).toBe(0);

      // The ASL approves: the credit is frozen and the MRR filed.
      const asl = await page('asl@example.com');
      await openRequest(asl, secondName);
      await decide(asl).getByRole('button', { name: 'Approve', exact: true }).click();
      await asl.getByRole('status').filter({ hasText: 'Store credit frozen' }).waitFor();

      // Every credit on the account is frozen, the earlier balance too: the lead may no longer use any.
      await lead.goto(`/b/${brandId}/customers/${customerId}`);
      const leadCredit = lead.getByRole('region', { name: 'Store credit' });
      await leadCredit.getByText(/^Frozen since/).waitFor();
      const change = leadCredit.getByRole('form', { name: 'Change store credit' }).getByLabel('Change');
      expect(await change.locator('option').allTextContents()).toEqual(['Issue credit']);
      await agent.reload();
      await credit.getByText(/^Frozen since/).waitFor();

      // The shift lead processes the MRR with a note: the credit comes off, the freeze ends.
      // The ASL can see that the MRR is filed but not act on it.
      const mrr = new RegExp(`Manual refund request \\(MRR\\): ${second.number}`);
      await openRequest(asl, mrr);
      await asl.getByText(/State: filed\./).waitFor();
      expect(await decide(asl).count()).toBe(0);
      await openRequest(lead, mrr);
      await lead.getByLabel(/^Note/).fill('Refund put through; 2-5 business days at the bank.');
      await decide(lead).getByRole('button', { name: 'Process', exact: true }).click();
      await lead.getByText(/State: processed\./).waitFor();
      await lead
        .getByText('Refund put through; 2-5 business days at the bank.', { exact: false })
        .first()
        .waitFor();
      await agent.reload();
      await credit.getByTestId('store-credit-balance').filter({ hasText: '$59.90' }).waitFor();
      expect(await credit.getByText(/^Frozen since/).count()).toBe(0);
      expect(await credit.locator('.money-list').textContent()).toContain('Removed $59.90');
      await agent.screenshot({ path: artifactPath('seed004-store-credit.png'), fullPage: true });
    },
    TEST_MS,
  );

  it(
    'takes a bug report with the customer’s support details, refuses a duplicate, and leadership files or declines it',
    async () => {
      const stamp = Date.now();
      const summary = `Checkout button does nothing on Safari since ${stamp}`;
      const agent = await page('agent@example.com');
      await request(agent, 'Bugs Report', { 'What goes wrong, where, and since when (required)': summary });
      await agent.getByRole('alert').filter({ hasText: 'support_details' }).waitFor();
      await agent
        .getByLabel("The customer's support details (browser, OS, screen, cookies...) (required)")
        .fill('Safari 17.4, macOS 14.4, 1440×900, cookies on (supportdetails.com)');
      await agent.getByRole('button', { name: 'Send request' }).click();
      const name = new RegExp(`Bugs Report: ${summary}`);
      await agent.getByRole('link', { name }).waitFor();

      // The SA hears of the same bug from another customer: it is already open.
      const sa = await page('sa@example.com');
      await request(sa, 'Bugs Report', {
        'What goes wrong, where, and since when (required)': summary,
        "The customer's support details (browser, OS, screen, cookies...) (required)": 'Safari 17.3, iOS',
      });
      await sa.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();

      // A lead files it with the Bugs Team.
      const lead = await page('lead@example.com');
      await openRequest(lead, name);
      await decide(lead).getByRole('button', { name: 'File with the Bugs Team' }).click();
      await lead.getByText(/State: filed\./).waitFor();
      // Filing logs the report in leadership's Bugs reports tracker, where the next one is checked.
      await lead
        .getByRole('status')
        .getByRole('link', { name: /^Bugs reports: / })
        .click();
      await lead.getByRole('heading', { name: /^Bugs reports #\d+$/ }).waitFor();
      await lead.getByText(/^Reported to the Bugs Team · logged/).waitFor();
      await lead.getByText(summary).first().waitFor();

      // A report that is not a bug is declined, with the reason.
      const other = `Wishlist heart is grey on ${stamp}`;
      await request(agent, 'Bugs Report', {
        'What goes wrong, where, and since when (required)': other,
        "The customer's support details (browser, OS, screen, cookies...) (required)":
          'Chrome 124, Windows 11',
      });
      await openRequest(sa, new RegExp(`Bugs Report: ${other}`));
      await sa.getByLabel(/^Note/).fill('Grey is the design for items not saved yet.');
      await decide(sa).getByRole('button', { name: 'Decline' }).click();
      await sa.getByText(/State: declined\./).waitFor();
      await openRequest(agent, new RegExp(`Bugs Report: ${other}`));
      await agent
        .getByText('Grey is the design for items not saved yet.', { exact: false })
        .first()
        .waitFor();
    },
    TEST_MS,
  );

  it(
    'alerts the leads when the coupon pool runs low; an advocate asks for codes and a lead adds them',
    async () => {
      const pool = `SORRY${Date.now() % 100000}`;
      const lead = await page('lead@example.com');
      await lead.goto(`/b/${brandId}/approvals`);
      await lead.getByRole('textbox', { name: 'Pool', exact: true }).fill(pool);
      await lead.getByLabel('New codes (one per line)').fill('S-1\nS-2\nS-3\nS-4\nS-5\nS-6');
      await lead.getByRole('button', { name: 'Add codes' }).click();
      await lead
        .getByRole('status')
        .filter({ hasText: `Added 6 codes to ${pool}` })
        .waitFor();

      // Taking the code that leaves five tells the leads.
      const agent = await page('agent@example.com');
      await agent.goto(`/b/${brandId}/approvals`);
      await agent.getByRole('button', { name: `Take a code from ${pool}` }).click();
      await agent
        .getByRole('status')
        .filter({ hasText: 'Your code: S-1 (5 left; the leads were told the pool is low)' })
        .waitFor();
      await lead.goto(`/b/${brandId}/notifications`);
      await lead.getByText(`Coupon pool ${pool}: 5 codes left. Please add new ones.`).waitFor();
      const agentNotes = await agentApi.call('GET', `/brands/${brandId}/notifications`);
      expect(JSON.stringify(agentNotes.body)).not.toContain(`Coupon pool ${pool}`);

      // The advocate asks for new codes; a lead adds them and says so on the request.
      await request(agent, 'New coupon codes', { 'Which coupon pool ran out': pool });
      const name = new RegExp(`New coupon codes: ${pool}`);
      await agent.getByRole('link', { name }).waitFor();
      await lead.goto(`/b/${brandId}/approvals`);
      await lead.getByRole('textbox', { name: 'Pool', exact: true }).fill(pool);
      await lead.getByLabel('New codes (one per line)').fill('S-7\nS-8\nS-9');
      await lead.getByRole('button', { name: 'Add codes' }).click();
      await lead
        .getByRole('status')
        .filter({ hasText: `Added 3 codes to ${pool}` })
        .waitFor();
      await lead.getByText(`${pool}: 8 free, 1 used`, { exact: false }).waitFor();
      await openRequest(lead, name);
      await decide(lead).getByRole('button', { name: 'New codes added' }).click();
      await lead.getByText(/State: created\./).waitFor();
      await openRequest(agent, name);
      await agent.getByText('State: created.', { exact: false }).waitFor();
    },
    TEST_MS,
  );
});
