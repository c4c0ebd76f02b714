import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeWithBrowser, type E2E, startE2E } from './browser';
import { apiSignIn, signIn } from './sessions';

/**
 * Work logging in a real browser, with the server's clock and the page's timers under the test's
 * control: an agent of the multichannel-retail brand (seed 003's task categories) works a ticket
 * for five minutes, the advice categorises it as "Kayako Tickets", and the time appears under that
 * category on the agent's timesheet; the lead sees it in the handle-time report's chart and table
 * and exports the report as CSV.
 */

const PACK_SLUG = 'multichannel-retail';
const CATEGORY = 'Kayako Tickets';
const BEAT_MS = 30_000;

describeWithBrowser('work logging and reports', () => {
  let now = Date.now();
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E({ clock: () => new Date(now) });
  });

  afterAll(async () => {
    await e2e?.close();
  });

  const newPage = () => e2e.newPage({ width: 1400, height: 900 });
  const baseUrl = () => e2e.baseUrl;

  it('logs five minutes on a ticket under its category; the lead charts it and exports the CSV', async () => {
    const agentApi = await apiSignIn(baseUrl(), 'agent@example.com', PACK_SLUG);
    const brandId = agentApi.brandId;
    const opened = await agentApi.call('POST', '/tickets', {
      brandId,
      channel: 'email',
      subject: 'Question about my order',
      body: 'Hello, could you tell me when my order ships? Thanks, Robin',
      customer: { email: `robin-${Date.now()}@example.com`, name: 'Robin Worklog' },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const ticketId: string = opened.body.data.id;

    const page = await newPage();
    try {
      // The page's timers follow the test, so the 30-second heartbeat runs when the test says.
      await page.clock.install({ time: new Date(now) });
      await signIn(page, 'agent@example.com');
      await page.getByRole('combobox', { name: 'Brand' }).selectOption(brandId);
      await page.waitForURL(`**/b/${brandId}/inbox`);
      await page.goto(`/b/${brandId}/tickets/${ticketId}`);
      await page.getByRole('heading', { name: 'Question about my order' }).waitFor();

      // The advice says to categorise an email from a customer as "Kayako Tickets"; apply it.
      const advice = page.getByRole('region', { name: 'SOP advice' });
      const actions = advice.getByRole('list', { name: 'Advised actions, in order' });
      await actions.getByRole('button', { name: new RegExp(`Categorize as “${CATEGORY}”`) }).click();
      await page.getByText(`Category set to ${CATEGORY}`).first().waitFor();

      // Five minutes of work: the agent moves the mouse, and every 30 s the page says so.
      for (let i = 0; i < 10; i++) {
        now += BEAT_MS;
        await page.mouse.move(200 + i * 10, 300);
        const beat = page.waitForResponse(
          (r) => r.url().endsWith(`/tickets/${ticketId}/activity`) && r.request().method() === 'POST',
        );
        await page.clock.runFor(BEAT_MS);
        expect((await beat).status()).toBe(200);
      }
      await expect
        .poll(async () => (await page.getByTestId('ticket-time-mine').textContent())?.trim())
        .toBe('5 min');

      // The agent's timesheet shows the five minutes under the ticket's category.
      await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Time' }).click();
      await page.getByRole('heading', { name: 'Time', exact: true }).waitFor();
      const perCategory = page.getByRole('table', { name: 'Totals per category' });
      await perCategory.getByRole('row', { name: new RegExp(CATEGORY) }).waitFor();
      expect(await perCategory.getByRole('row', { name: new RegExp(CATEGORY) }).textContent()).toContain(
        '5 min',
      );
      await page.screenshot({ path: artifactPath('worklog-timesheet.png') });
    } finally {
      await page.context().close();
    }

    // The lead: the handle-time report by category, its chart and table, and the CSV export.
    const lead = await newPage();
    try {
      await signIn(lead, 'lead@example.com');
      await lead.getByRole('combobox', { name: 'Brand' }).selectOption(brandId);
      await lead.waitForURL(`**/b/${brandId}/inbox`);
      await lead.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Reports' }).click();
      await lead.getByLabel('Report').selectOption({ label: 'Handle time' });
      await lead.getByLabel('Group by').selectOption({ label: 'Category' });
      const table = lead.getByRole('table', { name: /Handle time by category/i });
      const row = table.getByRole('row', { name: new RegExp(CATEGORY) });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/5 min|300/);
      // The chart draws the category's bar, named on its axis.
      const chart = lead.locator('.report-chart');
      await chart.locator('svg text', { hasText: CATEGORY }).first().waitFor();
      expect(await chart.locator('svg .recharts-bar-rectangle').count()).toBeGreaterThan(0);
      await lead.screenshot({ path: artifactPath('worklog-report.png') });

      const download = lead.waitForEvent('download');
      await lead.getByRole('link', { name: 'Export CSV' }).click();
      const file = await (await download).path();
      const csv = fs.readFileSync(file!, 'utf8');
      const line = csv.split(/\r?\n/).find((l) => l.includes(CATEGORY));
      expect(line, csv).toBeDefined();
      expect(line).toMatch(/\b300\b|5 min|\b5\b/);
    } finally {
      await lead.context().close();
    }
  });
});
