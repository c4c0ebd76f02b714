import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Approvals in a real browser (seed 004): an advocate asks for a store credit removal and is told
 * it takes 10-15 business days; an ASL approves it, which freezes the credit and files an MRR; the
 * SA can see the MRR but not act on it; the shift lead processes it with a note. Then the coupon
 * pool: the lead adds codes and the advocate takes one.
 */

const PACK_SLUG = 'fashion-leads';

describeWithBrowser('approvals', () => {
  let e2e: E2E;
  let agentApi: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    agentApi = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('runs a store credit removal through the ASL to an MRR the shift lead processes', async () => {
    const brandId = agentApi.brandId;
    const ticket = await agentApi.call('POST', '/tickets', {
      brandId,
      subject: 'I wanted a refund',
      body: 'You gave me store credit but I asked for my money back.',
      customer: { email: `credit-${Date.now()}@example.com`, name: 'Casey Customer' },
    });
    expect(ticket.status, JSON.stringify(ticket.body)).toBe(201);
    const order = `MC-${Date.now() % 1_000_000}`;
    // The store credit the customer got instead of the refund.
    const leadApi = await apiSignIn(e2e.baseUrl, 'lead@example.com', PACK_SLUG);
    const credit = await leadApi.call('POST', `/customers/${ticket.body.data.customerId}/store-credit`, {
      kind: 'issue',
      amount: 5990,
      reason: `Return of ${order}`,
    });
    expect(credit.status, JSON.stringify(credit.body)).toBe(201);

    const agent = await e2e.newPage();
    await signIn(agent, 'agent@example.com');
    await agent.goto(`/b/${brandId}/approvals`);
    await agent.getByLabel('New request').selectOption({ label: 'Store credit removal' });
    await agent
      .getByText(/10-15 business days/)
      .first()
      .waitFor();
    await agent.getByLabel('Order (required)').fill(order);
    await agent.getByRole('button', { name: 'Send request' }).click();
    await agent.getByRole('alert').filter({ hasText: 'store_credit_amount' }).waitFor();
    await agent.getByLabel('Store credit issued instead of the refund (required)').fill('59.90');
    await agent.getByLabel('Ticket (id, optional)').fill(ticket.body.data.id);
    await agent.getByRole('button', { name: 'Send request' }).click();
    await agent.getByRole('link', { name: new RegExp(`Store credit removal: ${order}`) }).waitFor();

    const asl = await e2e.newPage();
    await signIn(asl, 'asl@example.com');
    await asl.goto(`/b/${brandId}/approvals`);
    await asl.getByRole('link', { name: new RegExp(`Store credit removal: ${order}`) }).click();
    const decide = asl.getByRole('region', { name: 'Decide' });
    await decide.getByRole('button', { name: 'Approve', exact: true }).click();
    const result = asl.getByRole('status').filter({ hasText: 'Store credit frozen' });
    await result.waitFor();
    expect(await result.textContent()).toContain('10-15 business days');
    expect(await result.textContent()).toContain('mrr');

    const sa = await e2e.newPage();
    await signIn(sa, 'sa@example.com');
    await sa.goto(`/b/${brandId}/approvals`);
    await sa.getByRole('link', { name: new RegExp(`Manual refund request \\(MRR\\): ${order}`) }).click();
    await sa.getByRole('heading', { name: /Manual refund request/ }).waitFor();
    expect(await sa.getByRole('region', { name: 'Decide' }).count()).toBe(0);

    const lead = await e2e.newPage();
    await signIn(lead, 'lead@example.com');
    await lead.goto(`/b/${brandId}/approvals`);
    await lead.getByRole('link', { name: new RegExp(`Manual refund request \\(MRR\\): ${order}`) }).click();
    const process = lead.getByRole('region', { name: 'Decide' });
    await process.getByRole('button', { name: 'Process', exact: true }).click();
    await lead.getByRole('alert').filter({ hasText: 'note: is required to process' }).waitFor();
    await lead.getByLabel(/^Note/).fill('Refund put through; 2-5 business days at the bank');
    await process.getByRole('button', { name: 'Process', exact: true }).click();
    await lead.getByText('State: processed.').waitFor();
  }, 90_000);

  it('lets the lead refill a coupon pool and an advocate take a code', async () => {
    const brandId = agentApi.brandId;
    const pool = `WELCOME${Date.now() % 100000}`;
    const lead = await e2e.newPage();
    await signIn(lead, 'lead@example.com');
    await lead.goto(`/b/${brandId}/approvals`);
    await lead.getByRole('textbox', { name: 'Pool', exact: true }).fill(pool);
    await lead.getByLabel('New codes (one per line)').fill('CODE-A\nCODE-B');
    await lead.getByRole('button', { name: 'Add codes' }).click();
    await lead
      .getByRole('status')
      .filter({ hasText: `Added 2 codes to ${pool}` })
      .waitFor();

    const agent = await e2e.newPage();
    await signIn(agent, 'agent@example.com');
    await agent.goto(`/b/${brandId}/approvals`);
    expect(await agent.getByRole('button', { name: 'Add codes' }).count()).toBe(0);
    await agent.getByRole('button', { name: `Take a code from ${pool}` }).click();
    await agent.getByRole('status').filter({ hasText: 'Your code: CODE-A (1 left' }).waitFor();
  }, 60_000);
});
