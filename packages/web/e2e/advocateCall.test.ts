import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { type ApiSession, apiSignIn, signIn } from './sessions';

/**
 * Seed 004's advocate phone calls in a real browser: an advocate calls in sick; the agent who took
 * the call sets the ticket's intent, and the advice says to give the leadership a heads-up on GChat
 * and transfer the call. Applying the first posts the heads-up to the Leadership GChat channel
 * (the lead sees it), applying the second moves the ticket to the Leadership queue.
 */

const PACK_SLUG = 'fashion-leads';

describeWithBrowser('advocate phone calls', () => {
  let e2e: E2E;
  let agent: ApiSession;
  let lead: ApiSession;

  beforeAll(async () => {
    e2e = await startE2E();
    agent = await apiSignIn(e2e.baseUrl, 'agent@example.com', PACK_SLUG);
    lead = await apiSignIn(e2e.baseUrl, 'lead@example.com', PACK_SLUG);
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('gives the leadership a heads-up on GChat and transfers the advocate to them', async () => {
    const body = `It's Jess, advocate on the morning shift, I'm sick today (${Date.now()})`;
    const opened = await agent.call('POST', '/tickets', {
      brandId: agent.brandId,
      channel: 'phone',
      subject: 'Advocate on the line',
      body,
      customer: { name: 'Jess Advocate' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const ticketId: string = opened.body.data.id;

    const page = await e2e.newPage();
    try {
      await signIn(page, 'agent@example.com');
      await page.getByRole('combobox', { name: 'Brand' }).selectOption(agent.brandId);
      await page.goto(`/b/${agent.brandId}/tickets/${ticketId}`);
      await page.getByRole('heading', { name: 'Advocate on the line' }).waitFor();

      // The caller is a team member, not a customer: the agent says what the call is about.
      const advice = page.getByRole('region', { name: 'SOP advice' });
      await advice.getByRole('button', { name: 'Change intent' }).click();
      await advice.getByLabel('Intent name').fill('advocate_call');
      await advice.getByRole('button', { name: 'Set intent' }).click();
      const actions = advice.getByRole('list', { name: 'Advised actions, in order' });
      const headsUp = actions.getByRole('button', { name: /Notify Leadership GChat/ });
      await headsUp.waitFor();
      const because = (await actions.locator('.advice-because').first().textContent()) ?? '';
      expect(because).toContain('GChat your Lead/ASL/SAs who is on the line');

      await headsUp.click();
      await actions.getByRole('status').filter({ hasText: 'Posted to Leadership GChat.' }).waitFor();
      const headsUpPosted = async () => {
        const inbox = await lead.call('GET', `/brands/${lead.brandId}/notifications`);
        return inbox.body.data.find((n: { text: string }) => n.text.includes(body));
      };
      await expect.poll(headsUpPosted, { timeout: 10_000 }).toBeDefined();
      await actions.getByRole('button', { name: /Escalate/ }).click();
      await expect
        .poll(async () => (await lead.call('GET', `/tickets/${ticketId}`)).body.data.queue, {
          timeout: 10_000,
        })
        .toBe('Leadership');
      await page.screenshot({ path: artifactPath('advocate-call.png') });
    } finally {
      await page.context().close();
    }

    // The lead has the heads-up, linked to the ticket; the ticket waits in the Leadership queue.
    const inbox = await lead.call('GET', `/brands/${lead.brandId}/notifications`);
    const post = inbox.body.data.find((n: { text: string }) => n.text.includes(body));
    expect(post, JSON.stringify(inbox.body.data.slice(0, 3))).toBeDefined();
    expect(post.channel).toBe('Leadership GChat');
    expect(post.text).toContain('Heads up: an advocate is on the line');
    const ticket = await lead.call('GET', `/tickets/${ticketId}`);
    expect(ticket.body.data.queue).toBe('Leadership');
  });
});
